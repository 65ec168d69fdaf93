// Generates CATALOGUE.md: every rule with its citation, grade and period, and every legal document
// with where its start date comes from, in Vietnamese and English.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { citationOf, JURISDICTIONS, LEGAL_DOCUMENTS, RULES } from '../dist/index.js';

const STATUS = {
  'in-force': ['hiệu lực', 'in force'],
  superseded: ['hết hiệu lực', 'superseded'],
  draft: ['dự thảo', 'draft'],
};
const cell = (text) => String(text).replaceAll('|', '\\|');
const lines = [
  '# Danh mục quy tắc / Rule catalogue',
  '',
  'Sinh tự động từ các tệp quy tắc (`src/rules/*.json`) khi build; không sửa tay.',
  'Generated from the rule files (`src/rules/*.json`) at build time; do not edit.',
  '',
  'Hạng / grade: **A** đã đọc chính văn bản của điều / the article text itself was seen; **B** chỉ đọc văn bản nhắc lại trung thực (văn bản của tỉnh, bản tóm tắt chính thức; ghi ở cột cuối) / only a faithful restatement was seen (shown in the last column); **C** chỉ là nhận định của bên thứ ba hoặc suy luận / a third-party claim or an inference.',
  '',
];
for (const j of JURISDICTIONS) {
  const rules = RULES.filter((r) => r.jurisdiction === j.id);
  if (rules.length === 0) continue;
  lines.push(`## ${j.name.vi} / ${j.name.en}`, '');
  lines.push(
    '| id | quy tắc | rule | trích dẫn / citation | hiệu lực / period | trạng thái / status | hạng / grade (nguồn nhắc lại / restated in) |',
  );
  lines.push('|---|---|---|---|---|---|---|');
  for (const r of rules) {
    const c = citationOf(r);
    const grade = c.restatedIn ? `${c.grade} (${c.restatedIn})` : c.grade;
    const period = `${r.period.from} → ${r.period.to ?? '…'}`;
    const assumed = (r.assumptions ?? []).map((a) => ` *Giả định / assumption: ${a.vi} / ${a.en}*`).join('');
    lines.push(
      `| \`${r.id}\` | ${cell(r.statement.vi)}${cell(assumed)} | ${cell(r.statement.en)} | ${c.text} | ${period} | ${STATUS[r.status].join(' / ')} | ${cell(grade)} |`,
    );
  }
  for (const o of j.renamedOffices ?? []) {
    lines.push(
      '',
      `*${o.office} → ${o.now} (${o.fromVerified ? 'từ / since' : 'chậm nhất từ, chưa xác minh / by, unverified'} ${o.from}): ${cell(o.source)}*`,
    );
  }
  lines.push('');
}
lines.push(
  '## Văn bản / Legal documents',
  '',
  '| văn bản / document | ban hành / issuer | hiệu lực / period | nguồn ngày bắt đầu / source of the start date |',
  '|---|---|---|---|',
);
for (const d of LEGAL_DOCUMENTS) {
  const mark = d.fromVerified ? '' : ' ⚠';
  lines.push(
    `| ${cell(d.title)} | ${cell(d.issuer)} | ${d.from}${mark} → ${d.to ?? '…'} (${STATUS[d.status].join(' / ')}) | ${cell(d.fromSource)} |`,
  );
}
lines.push('', '⚠ ngày bắt đầu chưa được xác minh trong văn bản / start date not verified in a text.');
writeFileSync(join(import.meta.dirname, '..', 'CATALOGUE.md'), `${lines.join('\n')}\n`);
console.log(`lifecycle-rules: CATALOGUE.md lists ${RULES.length} rules`);
