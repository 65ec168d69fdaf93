/**
 * Checks of public options at an API boundary. An option that would weaken a check must fail loudly,
 * never fall back to something softer: `revocation: 'hardfail'` is an error, not soft-fail. Each
 * failure is an {@link OptionError} (`OPTION_INVALID`) naming the option, in English and Vietnamese.
 * Exported so that every package validates its options the same way.
 */
import { KysoError } from '../errors.js';
import type { RevocationMode } from '../path/types.js';
import type { ValidateCertificateOptions } from '../path/validate-certificate.js';
import type { Certificate } from '../x509/certificate.js';
import type { Crl } from '../x509/crl.js';

/** The revocation modes, in order of strictness. */
export const REVOCATION_MODES: readonly RevocationMode[] = ['hard-fail', 'soft-fail', 'none'];

/** The revocation mode used where a caller gives none: an unknown status is INDETERMINATE. */
export const DEFAULT_REVOCATION_MODE: RevocationMode = 'hard-fail';

/** A public option that is missing, of the wrong type, or out of range. `option` names it. */
export class OptionError extends KysoError {
  /** The option's name as the caller wrote it, such as `revocation` or `trustAnchors`. */
  readonly option: string;

  constructor(option: string, message: string, messageVi: string) {
    super('OPTION_INVALID', message, { messageVi });
    this.name = 'OptionError';
    this.option = option;
  }
}

/** What a value is, for a message: English, or Vietnamese with `vi`. */
function describe(value: unknown, vi = false): string {
  if (value === null) return '`null`';
  if (value === undefined) return '`undefined`';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return vi ? 'một mảng' : 'an array';
  if (value instanceof Date)
    return Number.isNaN(value.getTime())
      ? vi
        ? 'một Date không hợp lệ'
        : 'an invalid Date'
      : vi
        ? 'một Date'
        : 'a Date';
  if (value instanceof Uint8Array) return vi ? 'dữ liệu nhị phân' : 'bytes';
  if (typeof value === 'object') return vi ? 'một đối tượng' : 'an object';
  return `\`${String(value)}\` (${typeof value})`;
}

/** The options object of `fn`: throws when it is missing or not an object. */
export function checkOptionsObject<T extends object>(value: T | undefined | null, fn: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OptionError(
      'options',
      `${fn} needs an options object, not ${describe(value)}`,
      `${fn} cần một đối tượng tuỳ chọn (options), không phải ${describe(value, true)}`,
    );
  }
  return value;
}

/**
 * A revocation mode: one of {@link REVOCATION_MODES} exactly (no case folding, no aliases), or
 * {@link DEFAULT_REVOCATION_MODE} when `undefined`.
 */
export function checkRevocationMode(value: unknown, option = 'revocation'): RevocationMode {
  if (value === undefined) return DEFAULT_REVOCATION_MODE;
  if (typeof value === 'string' && (REVOCATION_MODES as readonly string[]).includes(value))
    return value as RevocationMode;
  const modes = REVOCATION_MODES.map((m) => `'${m}'`).join(', ');
  throw new OptionError(
    option,
    `option \`${option}\` must be one of ${modes}, not ${describe(value)}`,
    `tuỳ chọn \`${option}\` phải là một trong ${modes}, không phải ${describe(value, true)}`,
  );
}

/** A validation time: a valid `Date` (required; nothing inside reads the clock). */
export function checkDate(value: unknown, option: string): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  throw new OptionError(
    option,
    `option \`${option}\` must be a valid Date, not ${describe(value)}`,
    `tuỳ chọn \`${option}\` phải là một Date hợp lệ, không phải ${describe(value, true)}`,
  );
}

/** An optional Date: `undefined`, or as {@link checkDate}. */
export function checkOptionalDate(value: unknown, option: string): Date | undefined {
  return value === undefined ? undefined : checkDate(value, option);
}

function isCertificate(value: unknown): value is Certificate {
  const c = value as Partial<Certificate> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    c.der instanceof Uint8Array &&
    c.tbs instanceof Uint8Array &&
    typeof c.serialHex === 'string' &&
    typeof c.subject === 'object'
  );
}

const PARSE_HINT = 'parse it first with parseCertificate';
const PARSE_HINT_VI = 'hãy đọc nó bằng parseCertificate trước';

/** A parsed certificate (what `parseCertificate` returns), not bytes or PEM text. */
export function checkCertificate(value: unknown, option: string): Certificate {
  if (isCertificate(value)) return value;
  throw new OptionError(
    option,
    `option \`${option}\` must be a parsed Certificate, not ${describe(value)} (${PARSE_HINT})`,
    `tuỳ chọn \`${option}\` phải là một Certificate đã đọc, không phải ${describe(value, true)} (${PARSE_HINT_VI})`,
  );
}

/** An array of parsed certificates; a single certificate where the array belongs is named as such. */
export function checkCertificateList(value: unknown, option: string): readonly Certificate[] {
  if (!Array.isArray(value)) {
    const single = isCertificate(value);
    throw new OptionError(
      option,
      `option \`${option}\` must be an array of certificates, not ${single ? 'a single certificate (wrap it: [certificate])' : describe(value)}`,
      `tuỳ chọn \`${option}\` phải là một mảng chứng thư số, không phải ${single ? 'một chứng thư số đơn lẻ (hãy viết [certificate])' : describe(value, true)}`,
    );
  }
  value.forEach((c, i) => {
    checkCertificate(c, `${option}[${i}]`);
  });
  return value;
}

/** An optional array of certificates. */
export function checkOptionalCertificateList(
  value: unknown,
  option: string,
): readonly Certificate[] | undefined {
  return value === undefined ? undefined : checkCertificateList(value, option);
}

function isCrl(value: unknown): value is Crl {
  const c = value as Partial<Crl> | null;
  return typeof c === 'object' && c !== null && c.der instanceof Uint8Array && c.thisUpdate instanceof Date;
}

/** An optional array of parsed CRLs (what `parseCrl` returns). */
export function checkOptionalCrlList(value: unknown, option: string): readonly Crl[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    const single = isCrl(value);
    throw new OptionError(
      option,
      `option \`${option}\` must be an array of CRLs, not ${single ? 'a single CRL (wrap it: [crl])' : describe(value)}`,
      `tuỳ chọn \`${option}\` phải là một mảng CRL, không phải ${single ? 'một CRL đơn lẻ (hãy viết [crl])' : describe(value, true)}`,
    );
  }
  value.forEach((c, i) => {
    if (!isCrl(c)) {
      throw new OptionError(
        `${option}[${i}]`,
        `option \`${option}[${i}]\` must be a parsed CRL, not ${describe(c)} (parse it first with parseCrl)`,
        `tuỳ chọn \`${option}[${i}]\` phải là một CRL đã đọc, không phải ${describe(c, true)} (hãy đọc nó bằng parseCrl trước)`,
      );
    }
  });
  return value;
}

/**
 * Trust anchors: an array of certificates, or a trust store (anything with an `anchors` array, so
 * that a store from another installed copy of core works too).
 */
export function checkTrustAnchors(value: unknown, option = 'trustAnchors'): void {
  if (Array.isArray(value)) {
    checkCertificateList(value, option);
    return;
  }
  const store = value as { anchors?: unknown } | null;
  if (typeof store === 'object' && store !== null && Array.isArray(store.anchors)) {
    checkCertificateList(store.anchors, `${option}.anchors`);
    return;
  }
  const single = isCertificate(value);
  throw new OptionError(
    option,
    `option \`${option}\` must be an array of certificates or a TrustStore, not ${single ? 'a single certificate (wrap it: [certificate])' : describe(value)}`,
    `tuỳ chọn \`${option}\` phải là một mảng chứng thư số hoặc một TrustStore, không phải ${single ? 'một chứng thư số đơn lẻ (hãy viết [certificate])' : describe(value, true)}`,
  );
}

/** An optional transport: `undefined`, or an object with a `fetch` function. */
export function checkOptionalTransport(value: unknown, option = 'transport'): void {
  if (value === undefined) return;
  const t = value as { fetch?: unknown } | null;
  if (typeof t === 'object' && t !== null && typeof t.fetch === 'function') return;
  throw new OptionError(
    option,
    `option \`${option}\` must be a Transport (an object with a fetch method), not ${describe(value)}`,
    `tuỳ chọn \`${option}\` phải là một Transport (đối tượng có phương thức fetch), không phải ${describe(value, true)}`,
  );
}

/** An optional boolean. */
export function checkOptionalBoolean(value: unknown, option: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new OptionError(
    option,
    `option \`${option}\` must be true or false, not ${describe(value)}`,
    `tuỳ chọn \`${option}\` phải là true hoặc false, không phải ${describe(value, true)}`,
  );
}

/** An optional array of strings (key usages, OIDs). */
export function checkOptionalStringList(value: unknown, option: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new OptionError(
    option,
    `option \`${option}\` must be an array of strings, not ${describe(value)}`,
    `tuỳ chọn \`${option}\` phải là một mảng chuỗi, không phải ${describe(value, true)}`,
  );
}

/**
 * The options of `validateCertificate`, checked, with the revocation mode defaulted to
 * {@link DEFAULT_REVOCATION_MODE}.
 *
 * @throws OptionError `OPTION_INVALID` naming the first option that is wrong.
 */
export function checkValidateCertificateOptions(
  options: ValidateCertificateOptions | undefined,
): ValidateCertificateOptions & { revocation: RevocationMode } {
  const o = checkOptionsObject(options, 'validateCertificate');
  checkCertificate(o.certificate, 'certificate');
  checkTrustAnchors(o.trustAnchors);
  checkDate(o.validationTime, 'validationTime');
  const revocation = checkRevocationMode(o.revocation);
  checkOptionalCertificateList(o.intermediates, 'intermediates');
  checkOptionalCrlList(o.crls, 'crls');
  if (o.ocspResponses !== undefined && !Array.isArray(o.ocspResponses)) {
    throw new OptionError(
      'ocspResponses',
      `option \`ocspResponses\` must be an array of OCSP responses, not ${describe(o.ocspResponses)}`,
      `tuỳ chọn \`ocspResponses\` phải là một mảng phản hồi OCSP, không phải ${describe(o.ocspResponses, true)}`,
    );
  }
  checkOptionalTransport(o.transport);
  checkOptionalBoolean(o.useDeltaCrls, 'useDeltaCrls');
  checkOptionalBoolean(o.signatureCache, 'signatureCache');
  checkOptionalStringList(o.keyUsage, 'keyUsage');
  checkOptionalStringList(o.extendedKeyUsage, 'extendedKeyUsage');
  return { ...o, revocation };
}

/** An optional positive finite number (a timeout, a size limit, a count). */
export function checkOptionalPositiveNumber(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new OptionError(
    option,
    `option \`${option}\` must be a positive number, not ${describe(value)}`,
    `tuỳ chọn \`${option}\` phải là một số dương, không phải ${describe(value, true)}`,
  );
}

/** An optional function (an injected `fetch`, a clock). */
export function checkOptionalFunction(value: unknown, option: string): void {
  if (value === undefined || typeof value === 'function') return;
  throw new OptionError(
    option,
    `option \`${option}\` must be a function, not ${describe(value)}`,
    `tuỳ chọn \`${option}\` phải là một hàm, không phải ${describe(value, true)}`,
  );
}
