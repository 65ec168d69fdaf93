import { KysoError } from '../errors.js';
import { toHex } from '../lib/bytes.js';
import { children, type DerElement, expectTag, latin1, readOid, TAG } from '../lib/der.js';

/** One attribute of a distinguished name, with the string type it was encoded in. */
export interface NameAttribute {
  /** Attribute type OID, such as `2.5.4.3` (commonName). */
  readonly type: string;
  /** Short name (`CN`, `O`, `UID`, …) or the OID when kyso has none. */
  readonly shortName: string;
  /** The decoded text; `#` and hex for values that are not strings. */
  readonly value: string;
  /** The ASN.1 tag of the value (UTF8String 0x0c, PrintableString 0x13, BMPString 0x1e, …). */
  readonly stringTag: number;
}

/** An X.501 distinguished name: relative distinguished names in encoded order (most general first). */
export interface DistinguishedName {
  readonly rdns: readonly (readonly NameAttribute[])[];
  /** The DER encoding, as it appears in the certificate. */
  readonly der: Uint8Array;
  /** RFC 5280 §7.1 comparison key: equal keys mean matching names. */
  readonly key: string;
  /** The comparison key of each RDN, in order. */
  readonly rdnKeys: readonly string[];
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'givenName',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** OID of the emailAddress attribute (RFC 5280 §4.1.2.6 legacy e-mail in the subject). */
export const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

const STRING_TAGS = new Set<number>([
  TAG.UTF8_STRING,
  TAG.PRINTABLE_STRING,
  TAG.TELETEX_STRING,
  TAG.IA5_STRING,
  TAG.VISIBLE_STRING,
  TAG.NUMERIC_STRING,
  TAG.BMP_STRING,
  TAG.UNIVERSAL_STRING,
  TAG.VIDEOTEX_STRING,
]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a directory string in whichever of the ASN.1 string types it was written. */
export function decodeString(el: DerElement, what: string): string {
  const v = el.value;
  switch (el.tag) {
    case TAG.UTF8_STRING:
      try {
        return utf8.decode(v);
      } catch (cause) {
        throw new KysoError('ASN1_MALFORMED', `${what}: invalid UTF-8 in UTF8String at byte ${el.offset}`, {
          cause,
          messageVi: `${what}: UTF8String chứa UTF-8 không hợp lệ tại byte ${el.offset}`,
        });
      }
    case TAG.BMP_STRING: {
      if (v.length % 2 !== 0) throw odd(what, el);
      let s = '';
      for (let i = 0; i < v.length; i += 2) s += String.fromCharCode((v[i]! << 8) | v[i + 1]!);
      return s;
    }
    case TAG.UNIVERSAL_STRING: {
      if (v.length % 4 !== 0) throw odd(what, el);
      let s = '';
      for (let i = 0; i < v.length; i += 4) {
        const cp = ((v[i]! << 24) | (v[i + 1]! << 16) | (v[i + 2]! << 8) | v[i + 3]!) >>> 0;
        if (cp > 0x10ffff) throw odd(what, el);
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      // PrintableString, IA5String, VisibleString, NumericString are ASCII; TeletexString (T.61) is
      // read as Latin-1, as every mainstream implementation does in practice.
      return latin1(v);
  }
}

function odd(what: string, el: DerElement): KysoError {
  return new KysoError('ASN1_MALFORMED', `${what}: string of impossible length at byte ${el.offset}`, {
    messageVi: `${what}: chuỗi có độ dài không hợp lệ tại byte ${el.offset}`,
  });
}

/** RFC 5280 §7.1 / RFC 4518: case-insensitive, insignificant whitespace removed, compatibility-normalised. */
export function normalizeForComparison(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Parses a Name (a SEQUENCE OF RelativeDistinguishedName). */
export function parseName(el: DerElement, what: string): DistinguishedName {
  expectTag(el, TAG.SEQUENCE, what);
  const rdns: NameAttribute[][] = [];
  const keyParts: string[] = [];
  for (const rdnEl of children(el, what)) {
    expectTag(rdnEl, TAG.SET, what);
    const attrs: NameAttribute[] = [];
    const rdnKeys: string[] = [];
    for (const atvEl of children(rdnEl, what)) {
      const [typeEl, valueEl, extra] = children(expectTag(atvEl, TAG.SEQUENCE, what), what);
      if (!typeEl || !valueEl || extra) {
        throw new KysoError('ASN1_MALFORMED', `${what}: bad AttributeTypeAndValue at byte ${atvEl.offset}`, {
          messageVi: `${what}: thuộc tính tên không hợp lệ tại byte ${atvEl.offset}`,
        });
      }
      const type = readOid(typeEl, what);
      const isString = STRING_TAGS.has(valueEl.tag);
      const value = isString ? decodeString(valueEl, what) : `#${toHex(valueEl.raw)}`;
      attrs.push({ type, shortName: SHORT_NAMES[type] ?? type, value, stringTag: valueEl.tag });
      rdnKeys.push(JSON.stringify([type, isString ? normalizeForComparison(value) : value]));
    }
    if (attrs.length === 0) {
      throw new KysoError('ASN1_MALFORMED', `${what}: empty RDN at byte ${rdnEl.offset}`, {
        messageVi: `${what}: RDN rỗng tại byte ${rdnEl.offset}`,
      });
    }
    rdns.push(attrs);
    keyParts.push(`[${rdnKeys.sort().join(',')}]`);
  }
  return { rdns, der: el.raw, key: `[${keyParts.join(',')}]`, rdnKeys: keyParts };
}

/** Whether two names match under RFC 5280 §7.1. */
export function namesEqual(a: DistinguishedName, b: DistinguishedName): boolean {
  return a.key === b.key;
}

/** Whether `name` starts with every RDN of `prefix` (directoryName name constraints). */
export function nameHasPrefix(name: DistinguishedName, prefix: DistinguishedName): boolean {
  if (prefix.rdnKeys.length > name.rdnKeys.length) return false;
  return prefix.rdnKeys.every((part, i) => name.rdnKeys[i] === part);
}

/** The name in RFC 4514 style, most specific first: `CN=Nguyễn Văn An, O=…, C=VN`. */
export function formatName(name: DistinguishedName): string {
  return [...name.rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${a.shortName}=${a.value}`).join('+'))
    .join(', ');
}

/** The values of attribute `type` (OID or short name) in encoded order. */
export function nameValues(name: DistinguishedName, type: string): string[] {
  return name.rdns.flatMap((rdn) =>
    rdn.filter((a) => a.type === type || a.shortName === type).map((a) => a.value),
  );
}
