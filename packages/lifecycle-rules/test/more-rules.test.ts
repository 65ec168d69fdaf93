import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCertificate, evaluateIncomingDocument, RULES, rulesAt } from '../src/index.js';
import { report, sig } from './support.js';

const personal = { kind: 'personal' as const, notBefore: '2025-01-10', notAfter: '2030-01-10' };

describe('cert.validity.new and cert.validity.renewed (Nghị định 68/2024/NĐ-CP, Điều 9)', () => {
  it('accepts exactly five years for a new certificate and not a day more', () => {
    expect(evaluateCertificate(personal, { at: '2026-01-01' }).validity).toMatchObject({
      maxYears: 5,
      withinMaximum: true,
    });
    const over = evaluateCertificate({ ...personal, notAfter: '2030-01-11' }, { at: '2026-01-01' }).validity;
    expect(over.withinMaximum).toBe(false);
    expect(over.reasons[0]!.citation.text).toBe('Nghị định 68/2024/NĐ-CP, Điều 9, khoản 2');
  });

  it('allows five plus three years once renewed', () => {
    const renewed = evaluateCertificate(
      { ...personal, notAfter: '2033-01-10', renewalsUsed: 1 },
      { at: '2026-01-01' },
    ).validity;
    expect(renewed).toMatchObject({ maxYears: 8, withinMaximum: true });
    expect(renewed.reasons[0]!.citation.text).toBe('Nghị định 68/2024/NĐ-CP, Điều 9, khoản 3');
  });
});

describe('cert.issue.forms (Điều 11)', () => {
  it('names the first-issue form of each kind for a new certificate after expiry', () => {
    for (const [kind, form] of [
      ['personal', 'Mẫu số 01'],
      ['organisation', 'Mẫu số 02'],
      ['device', 'Mẫu số 03'],
    ] as const) {
      const e = evaluateCertificate(
        { kind, notBefore: '2021-01-01', notAfter: '2026-01-01' },
        { at: '2026-06-01' },
      );
      expect(e.afterEnd.steps.at(-1)!.vi).toContain(form);
    }
  });
});

describe('token.lost (Nghị định 68/2024/NĐ-CP Điều 20 khoản 4) and ha-tinh.token.lost-record (Hà Tĩnh Điều 6 khoản 2 điểm c)', () => {
  it('records a lost token on Form 09 nationally, and on Form 15 in Hà Tĩnh while Thông tư 185/2019 was in force', () => {
    const lost = { ...personal, notBefore: '2022-01-10', notAfter: '2027-01-10', token: { lost: true } };
    expect(
      evaluateCertificate(lost, { at: '2026-06-01' })
        .afterEnd.steps.map((s) => s.vi)
        .join(' '),
    ).toContain('Mẫu số 09');
    const haTinh2023 = evaluateCertificate(lost, { at: '2023-06-01', province: 'ha-tinh' });
    const record = haTinh2023.afterEnd.steps.find((s) => s.citation.ruleId === 'ha-tinh.token.lost-record')!;
    expect(record.vi).toContain('Mẫu số 15');
    expect(record.citation.text).toBe('Quyết định 19/2020/QĐ-UBND (Hà Tĩnh), Điều 6, khoản 2 điểm c');
  });
});

describe('son-la.request-copy (Sơn La, Điều 6 khoản 3)', () => {
  it('copies every request to the Department of Science and Technology from 5 June 2025', () => {
    expect(evaluateCertificate(personal, { at: '2025-06-05', province: 'son-la' }).copyRequestsTo).toBe(
      'Sở Khoa học và Công nghệ tỉnh Sơn La',
    );
    expect(evaluateCertificate(personal, { at: '2025-06-04', province: 'son-la' }).copyRequestsTo).toBeNull();
  });
});

describe('phu-tho.custody.organisation-token, ha-tinh.token.secret-custody, ha-tinh.token.custodian-change', () => {
  it('says how an organisation token is kept', () => {
    const org = { kind: 'organisation' as const, notBefore: '2025-01-10', notAfter: '2030-01-10' };
    expect(
      evaluateCertificate(org, { at: '2026-01-01', province: 'phu-tho' }).custody.map(
        (c) => c.citation.ruleId,
      ),
    ).toEqual(['phu-tho.custody.organisation-token']);
    expect(
      evaluateCertificate(org, { at: '2026-01-01', province: 'ha-tinh' }).custody.map(
        (c) => c.citation.ruleId,
      ),
    ).toEqual(['ha-tinh.token.secret-custody', 'ha-tinh.token.custodian-change']);
    expect(
      evaluateCertificate(personal, { at: '2026-01-01', province: 'ha-tinh' }).custody.map(
        (c) => c.citation.ruleId,
      ),
    ).toEqual(['ha-tinh.token.secret-custody']);
    expect(evaluateCertificate(org, { at: '2025-10-31', province: 'phu-tho' }).custody).toEqual([]);
  });
});

describe('dien-bien.validity.new and dien-bien.renewal.max-years (Điện Biên draft)', () => {
  it('are applied only when drafts are asked for', () => {
    expect(rulesAt('2026-01-01', 'dien-bien').some((r) => r.jurisdiction === 'dien-bien')).toBe(false);
    const withDrafts = rulesAt('2026-01-01', 'dien-bien', { includeDrafts: true }).map((r) => r.id);
    expect(withDrafts).toEqual(
      expect.arrayContaining(['dien-bien.validity.new', 'dien-bien.renewal.max-years']),
    );
    const e = evaluateCertificate(personal, { at: '2026-01-01', province: 'dien-bien', includeDrafts: true });
    expect(e.validity.reasons[0]!.citation.ruleId).toBe('dien-bien.validity.new');
  });
});

describe('cert.signing-validity (Điều 31) drives document decisions', () => {
  it('is in force from 15 August 2024', () => {
    expect(rulesAt('2024-08-15').some((r) => r.id === 'cert.signing-validity')).toBe(true);
    expect(rulesAt('2024-08-14').some((r) => r.id === 'cert.signing-validity')).toBe(false);
  });
});

describe('cert.renewal.form and cert.revocation.form (Điều 13, Điều 19)', () => {
  it('name Form 04 for renewal and change, Form 05 for revocation', () => {
    const e = evaluateCertificate(personal, { at: '2026-01-01' });
    expect(e.renewal.form).toBe('Mẫu số 04');
    expect(e.informationChange.form).toBe('Mẫu số 04');
    expect(e.revocation.form).toBe('Mẫu số 05');
  });
});

describe('document.incoming.check, lao-cai.electronic.both-signatures, lao-cai.incoming.refuse-and-notify', () => {
  const onlyOrg = report(
    sig(1, 'organisation', { signer: { commonName: 'UBND', organization: 'UBND', kind: 'organisation' } }),
  );
  it('cite Nghị định 30/2020 Điều 21 nationally and Lào Cai Điều 5 khoản 2 điểm a and khoản 6 in Lào Cai', () => {
    const national = evaluateIncomingDocument(onlyOrg, { origin: 'electronic' }, { at: '2026-11-20' });
    expect(national.reasons.map((r) => r.citation.ruleId)).toContain('document.incoming.check');
    const laoCai = evaluateIncomingDocument(
      onlyOrg,
      { origin: 'electronic' },
      { at: '2026-11-20', province: 'lao-cai' },
    );
    const ids = laoCai.reasons.map((r) => r.citation.ruleId);
    expect(ids).toContain('lao-cai.electronic.both-signatures');
    expect(ids).toContain('lao-cai.incoming.refuse-and-notify');
    // "Bên nhận có quyền từ chối nhận và phải chịu trách nhiệm về việc từ chối đó" is Lào Cai Điều 5 khoản 6.
    expect(laoCai.notice).toContain('Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 6');
  });
});

describe('every rule is tested by name', () => {
  it('each rule id appears in a test of this package', () => {
    const sources = readdirSync(import.meta.dirname)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(import.meta.dirname, f), 'utf8'))
      .join('\n')
      // This file's own loop must not count.
      .replace(/describe\('every rule is tested by name'[\s\S]*$/, '');
    const untested = [...new Set(RULES.map((r) => r.id))].filter((id) => !sources.includes(id));
    expect(untested).toEqual([]);
  });
});
