import { describe, expect, it } from 'vitest';
import { LEGAL_DOCUMENTS, RULES, type RuleRecord, validateRules } from '../src/index.js';

const base = RULES.find((r) => r.id === 'cert.renewal.conditions' && r.status === 'in-force')!;
const clone = (patch: Partial<RuleRecord>): RuleRecord => ({ ...structuredClone(base), ...patch });

describe('rule files', () => {
  it('all pass the schema: fields, citations, documents, dates, no overlapping versions', () => {
    expect(validateRules(RULES, LEGAL_DOCUMENTS)).toEqual([]);
    expect(RULES.length).toBeGreaterThan(30);
  });

  it('a typo in a rule fails: unknown topic, jurisdiction, document, bad date, no article, one language', () => {
    expect(validateRules([clone({ topic: 'renewl' as never })])).toEqual([
      expect.stringMatching(/unknown topic "renewl"/),
    ]);
    expect(validateRules([clone({ jurisdiction: 'ha-noi' as never })])).toEqual([
      expect.stringMatching(/unknown jurisdiction/),
    ]);
    expect(validateRules([clone({ source: { ...base.source, document: 'nd-68-2042' } })])[0]).toMatch(
      /cites no known document/,
    );
    expect(validateRules([clone({ source: { ...base.source, article: '' } })])[0]).toMatch(
      /cites no article/,
    );
    expect(validateRules([clone({ period: { from: '2024-02-30' } })])[0]).toMatch(/real date/);
    expect(validateRules([clone({ statement: { vi: 'x', en: '' } })])[0]).toMatch(/Vietnamese and English/);
    expect(
      validateRules([clone({ source: { ...base.source, textSeen: false, citedBy: undefined } })])[0],
    ).toMatch(/citedBy/);
  });

  it('a rule without a grade, a grade A on an unseen article, an unknown restating text or an assumption on no parameter fails', () => {
    expect(validateRules([clone({ source: { ...base.source, grade: undefined as never } })])[0]).toMatch(
      /grade A, B or C/,
    );
    expect(validateRules([clone({ source: { ...base.source, grade: 'A' } })])[0]).toMatch(/grade A means/);
    expect(
      validateRules([clone({ source: { ...base.source, citedBy: 'ninh-binh-2042 Điều 1' } })])[0],
    ).toMatch(/citedBy must start with a known document id/);
    expect(
      validateRules([clone({ assumptions: [{ param: 'latestHour', vi: 'giả định', en: 'assumed' }] })])[0],
    ).toMatch(/assumption on unknown param "latestHour"/);
  });

  it('two versions of one rule with overlapping periods fail', () => {
    const a = clone({ period: { from: '2024-08-15' } });
    const b = clone({ period: { from: '2025-01-01' } });
    expect(validateRules([a, b])).toEqual([expect.stringMatching(/overlap/)]);
    expect(validateRules([clone({ period: { from: '2018-11-15', to: '2024-08-14' } }), a])).toEqual([]);
  });
});
