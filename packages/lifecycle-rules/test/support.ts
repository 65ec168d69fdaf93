import type { DocumentVerification } from '../src/index.js';

export * from '../src/index.js';

/** Whether `error` carries kyso's error marker (what core's isKysoError checks). */
export function isKysoErrorLike(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[Symbol.for('kyso.error')] === true
  );
}

/** One signature of a verification report, as pdf-signature's verifyPdf gives it. */
export type Sig = DocumentVerification['signatures'][number];

/** Signature `index` of a `kind` signer: passed, unmodified after, signed 2026-11-20 09:00 (+07:00); `extra` overrides. */
export const sig = (index: number, kind: 'personal' | 'organisation', extra: Partial<Sig> = {}): Sig => ({
  index,
  indication: 'TOTAL_PASSED',
  subIndication: null,
  signer: {
    commonName: kind === 'personal' ? 'Nguyễn Văn An' : 'Sở Khoa học và Công nghệ',
    organization: 'Sở Khoa học và Công nghệ',
    kind,
  },
  signingTime: '2026-11-20T09:00:00+07:00',
  modifiedAfter: 'none',
  ...extra,
});

/** A verification report of `signatures`: TOTAL_PASSED when there are some and every one passed, unmodified or allowed after. */
export const report = (...signatures: Sig[]): DocumentVerification => ({
  indication:
    signatures.every((s) => s.indication === 'TOTAL_PASSED' && s.modifiedAfter !== 'disallowed') &&
    signatures.length > 0
      ? 'TOTAL_PASSED'
      : 'TOTAL_FAILED',
  signatures,
});
