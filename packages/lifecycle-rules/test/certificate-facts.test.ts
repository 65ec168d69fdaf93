import { describeCertificate, parseCertificate } from '@kyso/core';
import { createTestPki, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateFacts, evaluateCertificate } from '../src/index.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki({ now: new Date('2026-11-20T03:00:00Z') });
}, 120_000);
afterAll(() => pki?.cleanup());

describe('certificateFacts: a described certificate becomes the facts the rules take (issue 14, item 4)', () => {
  it('takes kind and validity as Vietnam dates, and what the caller adds', () => {
    const d = describeCertificate(parseCertificate(pki.leaves.organisation.pem));
    const facts = certificateFacts(d, { renewalsUsed: 1 });
    expect(facts.kind).toBe('organisation');
    // The validity ends at 03:00 UTC, 10:00 in Vietnam: the same calendar day.
    expect(d.notAfter.slice(11, 13)).toBe('03');
    expect(facts.notAfter).toBe(d.notAfter.slice(0, 10));
    expect(facts.renewalsUsed).toBe(1);
    const e = evaluateCertificate(facts, { at: '2026-11-30', province: 'phu-tho' });
    expect(e.expired).toBe(false);
  });

  it('refuses a CA certificate, which is no subscriber’s', () => {
    const d = describeCertificate(parseCertificate(pki.subCa.certificate.pem));
    expect(() => certificateFacts(d)).toThrow(expect.objectContaining({ code: 'RULES_INVALID_INPUT' }));
  });
});
