import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendIncrementalUpdate, lastObject, nextFree } from './pdf-attacks.js';
import type { IssuedCertificate } from './pki.js';
import { makeTempDir, run } from './tools.js';
import { requestTimestampReply, type TimestampAuthority } from './tsa.js';

/**
 * The second independent signer: testkit writes a signature placeholder itself (an incremental
 * update with a signature field and an empty /Contents), and `openssl cms -sign -binary -cades`
 * signs the ByteRange (ETSI.CAdES.detached). With a TSA, the signature value is timestamped and
 * the token added as the unsigned attribute id-aa-signatureTimeStampToken (RFC 3161 appendix A).
 */

const CONTENTS_BYTES = 16384;

function tlv(tag: number, body: Uint8Array): Uint8Array {
  const len = body.length;
  const head =
    len < 0x80
      ? [tag, len]
      : len < 0x100
        ? [tag, 0x81, len]
        : len < 0x10000
          ? [tag, 0x82, len >> 8, len & 0xff]
          : [tag, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  return Uint8Array.from([...head, ...body]);
}

/** Reads a DER element at `pos`: its tag, the start of its content and its end. */
function element(b: Uint8Array, pos: number): { tag: number; start: number; end: number } {
  const tag = b[pos]!;
  let len = b[pos + 1]!;
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i += 1) len = len * 256 + b[pos + 2 + i]!;
    start += n;
  }
  return { tag, start, end: start + len };
}

function childrenOf(b: Uint8Array, el: { start: number; end: number }) {
  const out: ReturnType<typeof element>[] = [];
  for (let p = el.start; p < el.end; ) {
    const c = element(b, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Adds the timestamp token as an unsigned attribute of the first SignerInfo. */
function withTimestamp(cms: Uint8Array, token: Uint8Array): Uint8Array {
  const ci = element(cms, 0);
  const [ctype, explicit] = childrenOf(cms, ci);
  const sd = element(cms, explicit!.start);
  const sdParts = childrenOf(cms, sd);
  const signerInfos = sdParts.at(-1)!;
  const [si] = childrenOf(cms, signerInfos);
  const attrOid = Uint8Array.from([
    0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0e,
  ]);
  const attribute = tlv(0x30, Uint8Array.from([...attrOid, ...tlv(0x31, token)]));
  const newSi = tlv(0x30, Uint8Array.from([...cms.subarray(si!.start, si!.end), ...tlv(0xa1, attribute)]));
  const newSet = tlv(0x31, newSi);
  const sdBody = Uint8Array.from([
    ...sdParts.slice(0, -1).flatMap((p) => [...cms.subarray(headerStart(cms, p), p.end)]),
    ...newSet,
  ]);
  const newSd = tlv(0x30, sdBody);
  return tlv(
    0x30,
    Uint8Array.from([...cms.subarray(headerStart(cms, ctype!), ctype!.end), ...tlv(0xa0, newSd)]),
  );
}

/** Where the element whose content starts at `el.start` begins (its tag byte). */
function headerStart(b: Uint8Array, el: { start: number; end: number }): number {
  for (let h = 2; h <= 6; h += 1) {
    const p = el.start - h;
    if (p < 0) break;
    const e = element(b, p);
    if (e.start === el.start && e.end === el.end) return p;
  }
  throw new Error('testkit: cannot find the element header');
}

/** An incremental update holding a signature field whose /Contents is still zeros, its ByteRange set. */
interface Placeholder {
  bytes: Uint8Array;
  contentsStart: number;
  contentsEnd: number;
}

/** Writes a signature field with dictionary `sigDict` (without /ByteRange and /Contents) in an update. */
/** What a signature permits after it (ISO 32000-2 §12.8.2.2–12.8.2.4). */
export interface SignaturePermissions {
  /** Make it a certification signature with this DocMDP level (catalog /Perms /DocMDP). */
  certify?: 1 | 2 | 3;
  /** Lock fields with FieldMDP (the field's /Lock and the signature's /Reference). */
  lock?: { action: 'All' | 'Include' | 'Exclude'; fields?: string[] };
  /**
   * More objects (number → body) written in the signature's own revision, as a signer does when it
   * sets the fields its lock names read-only.
   */
  alsoWrite?: Record<number, string>;
}

function writePlaceholder(
  input: Uint8Array,
  fieldName: string,
  sigDict: string,
  permissions: SignaturePermissions = {},
): Placeholder {
  const size = nextFree(input);
  const [sigNum, widgetNum, formNum] = [size, size + 1, size + 2];
  const catalog = lastObject(input, 1);
  const page = lastObject(input, 3);
  const objects: Record<number, string> = {};
  const placeholderRange = '[0 0000000000 0000000000 0000000000]';
  const { certify, lock } = permissions;
  const lockParams = lock
    ? `/Action /${lock.action}${lock.fields ? ` /Fields [${lock.fields.map((f) => `(${f})`).join(' ')}]` : ''}`
    : '';
  const references = [
    ...(certify
      ? [
          `<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${certify} /V /1.2 >> >>`,
        ]
      : []),
    ...(lock
      ? [
          `<< /Type /SigRef /TransformMethod /FieldMDP /TransformParams << /Type /TransformParams ${lockParams} /V /1.2 >> >>`,
        ]
      : []),
  ];
  objects[sigNum] =
    `<< ${sigDict}${references.length ? ` /Reference [${references.join(' ')}]` : ''} /ByteRange ${placeholderRange} /Contents <${'0'.repeat(CONTENTS_BYTES * 2)}> >>`;
  objects[widgetNum] =
    `<< /FT /Sig /T (${fieldName}) /Type /Annot /Subtype /Widget /F 132 /Rect [0 0 0 0] /P 3 0 R /V ${sigNum} 0 R${lock ? ` /Lock << /Type /SigFieldLock ${lockParams} >>` : ''} >>`;
  const formRef = /\/AcroForm (\d+) 0 R/.exec(catalog);
  if (formRef) {
    const form = lastObject(input, Number(formRef[1]));
    objects[Number(formRef[1])] = form.replace(
      /\/Fields \[([^\]]*)\]/,
      (_m, f: string) => `/Fields [${f.trim()} ${widgetNum} 0 R]`,
    );
  } else {
    objects[formNum] = `<< /Fields [${widgetNum} 0 R] /SigFlags 3 >>`;
    objects[1] = catalog.replace(/>>\s*$/, ` /AcroForm ${formNum} 0 R >>`);
  }
  if (certify)
    objects[1] = (objects[1] ?? catalog).replace(/>>\s*$/, ` /Perms << /DocMDP ${sigNum} 0 R >> >>`);
  const annotsRef = /\/Annots (\d+) 0 R/.exec(page);
  if (annotsRef) {
    const annots = lastObject(input, Number(annotsRef[1]));
    objects[Number(annotsRef[1])] = annots.replace(/\]\s*$/, ` ${widgetNum} 0 R]`);
  } else if (/\/Annots \[/.test(page)) {
    objects[3] = page.replace(
      /\/Annots \[([^\]]*)\]/,
      (_m, a: string) => `/Annots [${a.trim()} ${widgetNum} 0 R]`,
    );
  } else {
    objects[3] = page.replace(/>>\s*$/, ` /Annots [${widgetNum} 0 R] >>`);
  }
  const prepared = appendIncrementalUpdate(input, { ...permissions.alsoWrite, ...objects });
  const pText = Buffer.from(prepared).toString('latin1');
  const contentsStart = pText.lastIndexOf('/Contents <') + '/Contents '.length;
  const contentsEnd = contentsStart + CONTENTS_BYTES * 2 + 2;
  const range = `[0 ${String(contentsStart).padStart(10, '0')} ${String(contentsEnd).padStart(10, '0')} ${String(prepared.length - contentsEnd).padStart(10, '0')}]`;
  const out = new Uint8Array(prepared);
  out.set(Buffer.from(range, 'latin1'), pText.lastIndexOf(placeholderRange));
  return { bytes: out, contentsStart, contentsEnd };
}

/** Puts the DER `cms` into the placeholder's /Contents. */
function fillPlaceholder(p: Placeholder, cms: Uint8Array): Uint8Array {
  if (cms.length > CONTENTS_BYTES) throw new Error('testkit: the signature does not fit the placeholder');
  const hex = Buffer.from(cms)
    .toString('hex')
    .padEnd(CONTENTS_BYTES * 2, '0');
  p.bytes.set(Buffer.from(`<${hex}>`, 'latin1'), p.contentsStart);
  return p.bytes;
}

/** Writes the bytes the placeholder's ByteRange covers to `dir`/data.bin, and returns that path. */
function writeCoveredBytes(p: Placeholder, dir: string): string {
  const path = join(dir, 'data.bin');
  writeFileSync(path, Buffer.concat([p.bytes.subarray(0, p.contentsStart), p.bytes.subarray(p.contentsEnd)]));
  return path;
}

/** Asks the TSA for a token over `dataPath` (SHA-256 imprint, with its certificate). */
async function requestTimestamp(tsa: TimestampAuthority, dataPath: string): Promise<Uint8Array> {
  const response = await requestTimestampReply(tsa, readFileSync(dataPath));
  const token = childrenOf(response, element(response, 0))[1];
  if (!token) throw new Error('testkit: the TSA returned no token');
  return response.subarray(headerStart(response, token), token.end);
}

/**
 * Adds a document timestamp (ISO 32000-2 §12.8.5, /Type /DocTimeStamp, ETSI.RFC3161) in an
 * incremental update: the TSA's token over the update's byte ranges, as PAdES-LTA does.
 */
export async function addDocumentTimestamp(
  input: Uint8Array,
  tsa: TimestampAuthority,
  fieldName = 'DocTimeStamp1',
): Promise<Uint8Array> {
  const p = writePlaceholder(
    input,
    fieldName,
    '/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161',
  );
  const dir = makeTempDir('doc-ts');
  // The working files go with the call: nothing is left in the temporary directory.
  try {
    const dataPath = writeCoveredBytes(p, dir);
    return fillPlaceholder(p, await requestTimestamp(tsa, dataPath));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Signs `input` with openssl cms over a placeholder testkit writes; optionally timestamped, and
 * optionally a certification (DocMDP) or field-locking (FieldMDP) signature.
 */
export async function signWithOpensslCms(
  input: Uint8Array,
  signer: IssuedCertificate,
  chain: readonly IssuedCertificate[],
  fieldName: string,
  options: {
    tsa?: TimestampAuthority;
    /** Sign the bytes themselves, with no signed attributes (`openssl cms -noattr`, not CAdES). */
    noAttributes?: boolean;
    /** The /SubFilter to declare (default ETSI.CAdES.detached). */
    subFilter?: string;
    /** A signing time to claim in /M (a claim: nothing proves it). */
    claimedTime?: Date;
    /** Without the ESS signing-certificate attribute (`openssl cms` without `-cades`). */
    withoutSigningCertificate?: boolean;
    /** More SignerInfos in the same CMS (a PDF signature must have exactly one). */
    extraSigners?: readonly IssuedCertificate[];
    /** The encapsulated content type to declare (default id-data). */
    contentType?: string;
    /** The digest `openssl cms -md` uses (default `sha256`; `ripemd160`, `sm3` for the unsupported). */
    digest?: string;
    /** A usage-rights signature: a /Reference with /TransformMethod /UR3 (ISO 32000-2 §12.8.2.3). */
    usageRights?: boolean;
  } & SignaturePermissions = {},
): Promise<Uint8Array> {
  const m = options.claimedTime
    ? ` /M (D:${options.claimedTime.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z)`
    : '';
  const p = writePlaceholder(
    input,
    fieldName,
    `/Type /Sig /Filter /Adobe.PPKLite /SubFilter /${options.subFilter ?? 'ETSI.CAdES.detached'}${m}${
      options.usageRights
        ? ' /Reference [<< /Type /SigRef /TransformMethod /UR3 /TransformParams << /Type /TransformParams /V /2.2 /Form [/Add /Delete /FillIn] >> >>]'
        : ''
    }`,
    options,
  );
  const dir = makeTempDir('cms-sign');
  // The working files go with the call: nothing is left in the temporary directory.
  try {
    const dataPath = writeCoveredBytes(p, dir);
    const chainPath = join(dir, 'chain.pem');
    const cmsPath = join(dir, 'sig.der');
    writeFileSync(chainPath, chain.map((c) => c.pem).join(''));
    await run('openssl', [
      'cms',
      '-sign',
      '-binary',
      ...(options.noAttributes ? ['-noattr'] : options.withoutSigningCertificate ? [] : ['-cades']),
      ...(options.contentType ? ['-econtent_type', options.contentType] : []),
      '-md',
      options.digest ?? 'sha256',
      '-in',
      dataPath,
      '-signer',
      signer.certPath,
      '-inkey',
      signer.keyPath,
      ...(options.extraSigners ?? []).flatMap((s) => ['-signer', s.certPath, '-inkey', s.keyPath]),
      '-certfile',
      chainPath,
      '-outform',
      'DER',
      '-out',
      cmsPath,
    ]);
    let cms: Uint8Array = new Uint8Array(readFileSync(cmsPath));
    if (options.tsa) {
      // The signature value: the last OCTET STRING of the SignerInfo.
      const ci = element(cms, 0);
      const sd = element(cms, childrenOf(cms, ci)[1]!.start);
      const si = childrenOf(cms, childrenOf(cms, sd).at(-1)!)[0]!;
      const sigValue = childrenOf(cms, si)
        .filter((c) => c.tag === 0x04)
        .at(-1)!;
      const valuePath = join(dir, 'sigvalue.bin');
      writeFileSync(valuePath, cms.subarray(sigValue.start, sigValue.end));
      cms = withTimestamp(cms, await requestTimestamp(options.tsa, valuePath));
    }
    return fillPlaceholder(p, cms);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Signs `input` the legacy way of `adbe.x509.rsa_sha1` (ISO 32000-1 §12.8.3.2): a PKCS#1 v1.5
 * RSA signature (`openssl dgst -sha1 -sign`) over the ByteRange, as a DER OCTET STRING in
 * /Contents, and the signer's certificate, then `chain`, in /Cert (an array of strings, or one
 * string when `chain` is empty and `singleCert` is set).
 */
export async function signWithOpensslX509RsaSha1(
  input: Uint8Array,
  signer: IssuedCertificate,
  chain: readonly IssuedCertificate[],
  fieldName: string,
  options: { singleCert?: boolean } = {},
): Promise<Uint8Array> {
  const hex = (c: IssuedCertificate) => `<${Buffer.from(c.der).toString('hex')}>`;
  const certs =
    options.singleCert && chain.length === 0 ? hex(signer) : `[${[signer, ...chain].map(hex).join(' ')}]`;
  const p = writePlaceholder(
    input,
    fieldName,
    `/Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.x509.rsa_sha1 /Cert ${certs}`,
    {},
  );
  const dir = makeTempDir('x509-sign');
  // The working files go with the call: nothing is left in the temporary directory.
  try {
    const dataPath = writeCoveredBytes(p, dir);
    const sigPath = join(dir, 'sig.bin');
    await run('openssl', ['dgst', '-sha1', '-sign', signer.keyPath, '-out', sigPath, dataPath]);
    return fillPlaceholder(p, tlv(0x04, new Uint8Array(readFileSync(sigPath))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
