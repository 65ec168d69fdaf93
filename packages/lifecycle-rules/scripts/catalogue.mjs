// Generates CATALOGUE.md: every rule with its citation and period, in Vietnamese and English.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { citationOf, JURISDICTIONS, RULES } from '../dist/index.js';

const STATUS = {
  'in-force': ['hiệu lực', 'in force'],
  superseded: ['hết hiệu lực', 'superseded'],
  draft: ['dự thảo', 'draft'],
};
const lines = [
  '# Danh mục quy tắc / Rule catalogue',
  '',
  'Sinh tự động từ các tệp quy tắc (`src/rules/*.json`) khi build; không sửa tay.',
  'Generated from the rule files (`src/rules/*.json`) at build time; do not edit.',
  '',
  '"Văn bản gốc đã đọc / article text seen": **có/yes** when the article itself was read; otherwise the rule encodes the provincial text that restates it (shown).',
  '',
];
for (const j of JURISDICTIONS) {
  const rules = RULES.filter((r) => r.jurisdiction === j.id);
  if (rules.length === 0) continue;
  lines.push(`## ${j.name.vi} / ${j.name.en}`, '');
  lines.push(
    '| id | quy tắc | rule | trích dẫn / citation | hiệu lực / period | trạng thái / status | văn bản gốc đã đọc / text seen |',
  );
  lines.push('|---|---|---|---|---|---|---|');
  for (const r of rules) {
    const c = citationOf(r);
    const seen = r.source.textSeen ? 'có / yes' : `không / no (${r.source.citedBy})`;
    const period = `${r.period.from} → ${r.period.to ?? '…'}`;
    lines.push(
      `| \`${r.id}\` | ${r.statement.vi} | ${r.statement.en} | ${c.text} | ${period} | ${STATUS[r.status].join(' / ')} | ${seen} |`,
    );
  }
  lines.push('');
}
writeFileSync(join(import.meta.dirname, '..', 'CATALOGUE.md'), `${lines.join('\n')}\n`);
console.log(`lifecycle-rules: CATALOGUE.md lists ${RULES.length} rules`);
