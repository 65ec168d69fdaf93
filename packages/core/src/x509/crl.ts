import { isKysoError, KysoError } from '../errors.js';
import { type DerInput, derObjects, toHex } from '../lib/bytes.js';
import {
  children,
  contextTag,
  type DerElement,
  expectChildren,
  expectTag,
  readBigInt,
  readDer,
  readElement,
  readSmallInt,
  readTime,
  TAG,
} from '../lib/der.js';
import {
  type AlgorithmIdentifier,
  parseAlgorithmIdentifier,
  pkcs7Contents,
  serialToHex,
} from './certificate.js';
import {
  type DistributionPoint,
  parseDistributionPoint,
  parseDistributionPointName,
  readExtension,
  reasonMask,
} from './extensions.js';
import { type GeneralName, parseGeneralNames } from './general-name.js';
import { type DistinguishedName, parseName } from './name.js';
import { OID } from './oids.js';

/** CRL reason codes of RFC 5280 §5.3.1 (7 is unused). */
export const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused7',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

/** A revocation reason by name. */
export type CrlReason = (typeof CRL_REASONS)[number];

/** The issuingDistributionPoint extension of a CRL. */
export interface IssuingDistributionPoint {
  distributionPoint?: Pick<DistributionPoint, 'fullName' | 'nameRelativeToCRLIssuer'>;
  onlyContainsUserCerts: boolean;
  onlyContainsCACerts: boolean;
  /** Reason mask, when the CRL covers only some reasons. */
  onlySomeReasons?: number;
  indirectCRL: boolean;
  onlyContainsAttributeCerts: boolean;
}

/** One revoked certificate of a CRL. */
export interface CrlEntry {
  serialHex: string;
  revocationDate: Date;
  reason: CrlReason;
  invalidityDate?: Date;
  /** The certificate issuer this entry applies to, for indirect CRLs. */
  certificateIssuer?: GeneralName[];
  /** An entry extension kyso does not know is critical: the CRL cannot be relied on. */
  hasUnknownCriticalExtension: boolean;
}

/** A parsed CRL. Entries are indexed on first lookup, so a CRL with a million entries stays cheap. */
export interface Crl {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly version: 1 | 2;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signatureValue: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly crlNumber?: bigint;
  /** The cRLNumber extension is marked critical, which RFC 5280 §5.2.3 forbids. */
  readonly crlNumberCritical?: boolean;
  /** Present on a delta CRL: the number of the base CRL it updates. */
  readonly baseCrlNumber?: bigint;
  readonly issuingDistributionPoint?: IssuingDistributionPoint;
  readonly authorityKeyIdentifier?: Uint8Array;
  readonly freshestCRL?: DistributionPoint[];
  /** A CRL extension kyso does not know is critical: the CRL cannot be relied on. */
  readonly hasUnknownCriticalExtension: boolean;
  /** How many entries the CRL lists. */
  readonly entryCount: number;
  /**
   * Entries for a serial number given as its encoded INTEGER content bytes (several in an indirect
   * CRL, one per certificate issuer). Bytes, not a number: 255 (00 FF) and -1 (FF) must not meet.
   */
  lookup(serialNumber: Uint8Array): CrlEntry[];
}

function crlMalformed(message: string, cause?: unknown): KysoError {
  return new KysoError('CRL_MALFORMED', `not a valid CRL: ${message}`, {
    cause,
    messageVi: `không phải danh sách thu hồi (CRL) hợp lệ: ${message}`,
  });
}

/** Parses one CRL from DER. */
export function parseCrlDer(der: Uint8Array): Crl {
  const what = 'CRL';
  try {
    const root = readDer(der, what);
    const [tbsEl, sigAlgEl, sigEl, extra] = expectChildren(root, TAG.SEQUENCE, what);
    if (!tbsEl || !sigAlgEl || !sigEl || extra) throw crlMalformed('expected three elements');
    const tbs = expectChildren(tbsEl, TAG.SEQUENCE, what);
    let i = 0;
    let version: 1 | 2 = 1;
    if (tbs[0]?.tag === TAG.INTEGER) {
      const v = readSmallInt(tbs[0], what);
      if (v !== 1) throw crlMalformed(`unknown version ${v + 1}`);
      version = 2;
      i += 1;
    }
    const innerAlg = parseAlgorithmIdentifier(tbs[i++]!, what);
    const issuer = parseName(tbs[i++]!, what);
    const thisUpdate = readTime(tbs[i++]!, what);
    let nextUpdate: Date | undefined;
    if (tbs[i] && (tbs[i]!.tag === TAG.UTC_TIME || tbs[i]!.tag === TAG.GENERALIZED_TIME))
      nextUpdate = readTime(tbs[i++]!, what);
    let revoked: DerElement | undefined;
    if (tbs[i]?.tag === TAG.SEQUENCE) revoked = tbs[i++];
    const fields: Partial<Omit<Crl, 'lookup'>> & { hasUnknownCriticalExtension: boolean } = {
      hasUnknownCriticalExtension: false,
    };
    if (tbs[i] && contextTag(tbs[i]!) === 0) {
      if (version !== 2) throw crlMalformed('extensions in a version 1 CRL');
      parseCrlExtensions(children(tbs[i]!, what)[0]!, fields, what);
      i += 1;
    }
    if (i !== tbs.length) throw crlMalformed('unexpected trailing fields');
    const signatureAlgorithm = parseAlgorithmIdentifier(sigAlgEl, what);
    if (
      signatureAlgorithm.der.length !== innerAlg.der.length ||
      !signatureAlgorithm.der.every((b, k) => b === innerAlg.der[k])
    ) {
      throw crlMalformed('the signature algorithm inside and outside the signed part differ');
    }
    const sig = expectTag(sigEl, TAG.BIT_STRING, what).value.subarray(1);
    const index = revoked ? new EntryIndex(revoked) : undefined;
    return {
      der: root.raw,
      tbs: tbsEl.raw,
      version,
      signatureAlgorithm,
      signatureValue: sig,
      issuer,
      thisUpdate,
      ...(nextUpdate ? { nextUpdate } : {}),
      ...fields,
      get entryCount() {
        return index ? index.count() : 0;
      },
      lookup: (serial: Uint8Array) => (index ? index.lookup(toHex(serial)) : []),
    } as Crl;
  } catch (error) {
    if (
      isKysoError(error) &&
      (error.code === 'CRL_MALFORMED' || error.code === 'ASN1_TOO_DEEP' || error.code === 'ASN1_TOO_LARGE')
    )
      throw error;
    throw crlMalformed(error instanceof Error ? error.message : String(error), error);
  }
}

function parseCrlExtensions(el: DerElement, out: Record<string, unknown>, what: string): void {
  const seen = new Set<string>();
  for (const extEl of expectChildren(el, TAG.SEQUENCE, what)) {
    const { oid, critical, value } = readExtension(extEl, what);
    if (seen.has(oid)) throw crlMalformed(`extension ${oid} appears twice`);
    seen.add(oid);
    const inner = readDer(value, what);
    switch (oid) {
      case OID.cRLNumber:
        out.crlNumber = readBigInt(inner, what);
        if (critical) out.crlNumberCritical = true;
        break;
      case OID.deltaCRLIndicator:
        out.baseCrlNumber = readBigInt(inner, what);
        break;
      case OID.authorityKeyIdentifier:
        for (const item of expectChildren(inner, TAG.SEQUENCE, what)) {
          if (contextTag(item) === 0) out.authorityKeyIdentifier = item.value;
        }
        break;
      case OID.issuingDistributionPoint:
        out.issuingDistributionPoint = parseIdp(inner, what);
        break;
      case OID.freshestCRL:
        out.freshestCRL = expectChildren(inner, TAG.SEQUENCE, what).map((dp) =>
          parseDistributionPoint(dp, what),
        );
        break;
      case OID.issuerAltName:
        break;
      default:
        if (critical) out.hasUnknownCriticalExtension = true;
    }
  }
}

function parseIdp(el: DerElement, what: string): IssuingDistributionPoint {
  const idp: IssuingDistributionPoint = {
    onlyContainsUserCerts: false,
    onlyContainsCACerts: false,
    indirectCRL: false,
    onlyContainsAttributeCerts: false,
  };
  const flag = (item: DerElement) => item.value.length === 1 && item.value[0] !== 0;
  for (const item of expectChildren(el, TAG.SEQUENCE, what)) {
    switch (contextTag(item)) {
      case 0:
        idp.distributionPoint = parseDistributionPointName(item, what);
        break;
      case 1:
        idp.onlyContainsUserCerts = flag(item);
        break;
      case 2:
        idp.onlyContainsCACerts = flag(item);
        break;
      case 3:
        idp.onlySomeReasons = reasonMask(item);
        break;
      case 4:
        idp.indirectCRL = flag(item);
        break;
      case 5:
        idp.onlyContainsAttributeCerts = flag(item);
        break;
    }
  }
  return idp;
}

/**
 * Work counters of the CRL entry index, for tests that bound work by counting instead of timing:
 * entries scanned while building indexes, and entries decoded by lookups. Internal (not exported
 * from the package); they only ever grow.
 */
export const crlIndexWork = { entriesScanned: 0, entriesDecoded: 0 };

/**
 * Serial numbers → entries, built on the first lookup by one pass over the entries without
 * allocating per entry: a 32-bit hash and the offset of each entry in two typed arrays, sorted by
 * hash. A CRL with a million entries costs 8 MB of index, not a million objects.
 */
class EntryIndex {
  private hashes: Uint32Array | undefined;
  private offsets: Uint32Array | undefined;
  private readonly base: number;

  constructor(private readonly revoked: DerElement) {
    this.base = revoked.raw.length - revoked.value.length;
  }

  count(): number {
    this.build();
    return this.offsets!.length;
  }

  lookup(serialHex: string): CrlEntry[] {
    this.build();
    const serial = fromHexString(serialHex);
    const h = hashBytes(serial, 0, serial.length);
    const hashes = this.hashes!;
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    const out: CrlEntry[] = [];
    for (let k = lo; k < hashes.length && hashes[k] === h; k += 1) {
      const entry = this.entryAt(this.offsets![k]!);
      const serialEl = readElement(entry.value, 0, 'CRL entry');
      if (toHex(serialEl.value) === serialHex) out.push(this.decode(this.offsets![k]!));
    }
    return out;
  }

  private entryAt(offset: number): DerElement {
    return readElement(this.revoked.value, offset, 'CRL entry', this.revoked.offset + this.base);
  }

  private build(): void {
    if (this.offsets) return;
    const value = this.revoked.value;
    const offsets: number[] = [];
    const hashes: number[] = [];
    let pos = 0;
    while (pos < value.length) {
      const entry = readElement(value, pos, 'CRL entry');
      const serial = readElement(entry.value, 0, 'CRL entry');
      expectTag(serial, TAG.INTEGER, 'CRL entry');
      offsets.push(pos);
      hashes.push(hashBytes(serial.value, 0, serial.value.length));
      pos += entry.raw.length;
    }
    crlIndexWork.entriesScanned += offsets.length;
    const order = Array.from(offsets.keys()).sort(
      (a, b) => hashes[a]! - hashes[b]! || offsets[a]! - offsets[b]!,
    );
    this.hashes = Uint32Array.from(order, (i) => hashes[i]!);
    this.offsets = Uint32Array.from(order, (i) => offsets[i]!);
  }

  private decode(offset: number): CrlEntry {
    const what = 'CRL entry';
    crlIndexWork.entriesDecoded += 1;
    const [serialEl, dateEl, extsEl] = expectChildren(this.entryAt(offset), TAG.SEQUENCE, what);
    const entry: CrlEntry = {
      serialHex: serialToHex(serialEl!.value),
      revocationDate: readTime(dateEl!, what),
      reason: 'unspecified',
      hasUnknownCriticalExtension: false,
    };
    if (extsEl) Object.assign(entry, this.entryExtensions(extsEl));
    // In an indirect CRL the certificate issuer carries over from the previous entry that named one:
    // walk the entries before this one (rare: only CRLs whose entries carry extensions get here).
    if (!entry.certificateIssuer && this.anyEntryHasExtensions()) {
      let pos = 0;
      let current: GeneralName[] | undefined;
      while (pos < offset) {
        const prev = this.entryAt(pos);
        const [, , prevExts] = children(prev, what);
        const issuer = prevExts ? this.entryExtensions(prevExts).certificateIssuer : undefined;
        if (issuer) current = issuer;
        pos += prev.raw.length;
      }
      if (current) entry.certificateIssuer = current;
    }
    return entry;
  }

  private extensionsSeen: boolean | undefined;

  /** Whether any entry carries extensions (otherwise no certificate issuer can carry over). */
  private anyEntryHasExtensions(): boolean {
    if (this.extensionsSeen === undefined) {
      this.extensionsSeen = false;
      for (const offset of this.offsets!) {
        if (children(this.entryAt(offset), 'CRL entry').length > 2) {
          this.extensionsSeen = true;
          break;
        }
      }
    }
    return this.extensionsSeen;
  }

  private entryExtensions(el: DerElement): Partial<CrlEntry> {
    const what = 'CRL entry extensions';
    const out: Partial<CrlEntry> = {};
    for (const extEl of expectChildren(el, TAG.SEQUENCE, what)) {
      const { oid, critical, value } = readExtension(extEl, what);
      const inner = readDer(value, what);
      if (oid === OID.cRLReason) {
        const code = readSmallInt(inner, what, TAG.ENUMERATED);
        out.reason = CRL_REASONS[code] ?? 'unspecified';
      } else if (oid === OID.invalidityDate) {
        out.invalidityDate = readTime(inner, what);
      } else if (oid === OID.certificateIssuer) {
        out.certificateIssuer = parseGeneralNames(expectChildren(inner, TAG.SEQUENCE, what), what);
      } else if (critical) {
        out.hasUnknownCriticalExtension = true;
      }
    }
    return out;
  }
}

/** Every CRL in DER, PEM (`X509 CRL` blocks), base64, or a PKCS#7 bundle. */
export function parseCrls(input: DerInput): Crl[] {
  const out: Crl[] = [];
  for (const der of derObjects(input, ['X509 CRL', 'PKCS7'])) {
    const bundle = pkcs7Contents(der);
    if (bundle) for (const crl of bundle.crls) out.push(parseCrlDer(crl));
    else out.push(parseCrlDer(der));
  }
  return out;
}

/** Parses exactly one CRL. */
export function parseCrl(input: DerInput): Crl {
  const all = parseCrls(input);
  if (all.length !== 1) throw crlMalformed(`expected one CRL, found ${all.length}`);
  return all[0]!;
}

/** FNV-1a over a byte range. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i += 1) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function fromHexString(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
