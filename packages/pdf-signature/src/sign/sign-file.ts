import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { copyFile, open } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  addSignatureTimestamp,
  assembleSignedData,
  buildSignedAttributes,
  requestTimestamp,
  signatureValueOf,
} from '@kyso/core';
import { PdfError } from '../errors.js';
import { createPrefixSharingDigest, FileSource } from '../node.js';
import { PdfDocument } from '../reader/document.js';
import { findSignatures } from '../reader/signatures.js';
import type { ByteSpan } from '../reader/source.js';
import type { DigestFunction, DigestName } from '../verify/verify-pdf.js';
import {
  assertTimestampAfter,
  levelFor,
  NO_TIMESTAMP_WARNING,
  type SignPdfResult,
  selfCheck,
  tsaTransport,
} from './complete.js';
import { raiseToLevel } from './extend.js';
import { withDocumentLock } from './lock.js';
import { placeSignature } from './placeholder.js';
import { appearanceWarnings, estimateContentsSize, signerCheckFor, signingAlgorithm } from './prepare.js';
import type { SignPdfOptions } from './sign-pdf.js';
import { verifiedSignatureValue } from './signature-value.js';
import { checkSigner, SKIPPED_CHECK } from './signer-check.js';

/**
 * Signing a file without holding it (Node only): the input is read once, in 1 MiB pieces, each
 * piece hashed and copied to a temporary file beside the output; the new revision (a few KiB) is
 * built from the structure alone, signed, and appended; the temporary file is flushed, verified
 * and renamed into place. A failure leaves no output and no temporary file, and the input is
 * never written to (an output that is the input is refused).
 */

/** What {@link signPdfFile} returns: a signing result without the bytes, which are in `output`. */
export interface SignPdfFileResult extends Omit<SignPdfResult, 'bytes'> {
  /** The output path, absolute. */
  output: string;
  /** The size of the signed file. */
  size: number;
}

/**
 * Refuses an output that is the input (the same path, or the same file through a link).
 *
 * @throws PdfError `PDF_SIGN_OUTPUT_IS_INPUT`.
 */
export function assertOutputIsNotInput(output: string, inputs: readonly string[]): string {
  const out = resolve(output);
  for (const input of inputs) {
    let same = resolve(input) === out;
    if (!same && existsSync(out) && existsSync(input)) {
      const a = statSync(out);
      const b = statSync(input);
      same = realpathSync(out) === realpathSync(input) || (a.ino === b.ino && a.dev === b.dev);
    }
    if (same)
      throw new PdfError(
        'PDF_SIGN_OUTPUT_IS_INPUT',
        `the output ${output} is the input file: kyso never overwrites its input`,
        { messageVi: `tệp đầu ra ${output} chính là tệp đầu vào: kyso không bao giờ ghi đè tệp đầu vào` },
      );
  }
  return out;
}

/** A temporary file beside `path`, written then renamed onto it, or removed on failure. */
class TemporaryOutput {
  readonly path: string;
  private fd: number | undefined;
  private created = false;
  size = 0;

  constructor(readonly target: string) {
    this.path = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.kyso-tmp`);
  }

  /**
   * Starts the file as a copy of `source` (a reflink where the file system has them, else an
   * in-kernel copy) and flushes it to disk, both off the main thread: the flush overlaps the
   * hashing, and the final one only has the appended revision left to write.
   */
  async copyOf(source: string, length: number): Promise<void> {
    this.created = true;
    await copyFile(source, this.path, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    const handle = await open(this.path, 'r+');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.size = length;
  }

  /** Appends `bytes` (creating the file when it was not a copy). */
  write(bytes: Uint8Array): void {
    if (this.fd === undefined) {
      this.fd = openSync(this.path, this.created ? 'a' : 'wx', 0o644);
      this.created = true;
    }
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.size += bytes.length;
  }

  /** Flushes and closes, leaving the file in place to be read before it is renamed. */
  flush(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }

  commit(): void {
    renameSync(this.path, this.target);
  }

  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.created) rmSync(this.path, { force: true });
  }
}

const nodeHash = (hash: DigestName) => hash.replace('-', '').toLowerCase();

/**
 * Signs the PDF at `input` into `output` with every check of `signPdf`, reading the input once.
 * Levels B-LT and B-LTA are reached by loading the signed file once more in memory (validation
 * data are added by `extendPdf`, which works on bytes).
 *
 * @throws what `signPdf` throws, and PdfError `PDF_SIGN_OUTPUT_IS_INPUT`, `PDF_FILE_UNREADABLE`,
 * `PDF_CHANGED_WHILE_READING`.
 */
export async function signPdfFile(
  input: string,
  output: string,
  options: SignPdfOptions,
): Promise<SignPdfFileResult> {
  const target = assertOutputIsNotInput(output, [input]);
  const { signer } = options;
  const level = levelFor(options);
  const algorithm = signingAlgorithm(signer.certificate, signer.algorithm);
  const chain = options.chain ?? signer.chain;
  const preCheck = await signerCheckFor(signer.certificate, chain, options);
  const source = FileSource.open(input);
  let temp: TemporaryOutput | undefined;
  try {
    const st = statSync(input);
    // Files are locked by identity (device, inode, size, time): hashing first would read them twice.
    const signingTime = options.signingTime ?? new Date();
    const key = `file:${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    const placed = await withDocumentLock(key, async () =>
      placeSignature(source, {
        fieldName: options.fieldName ?? (await freeFieldName(source)),
        contentsSize: options.contentsSize ?? estimateContentsSize(signer.certificate, chain),
        signingTime,
        digestAlgorithm: algorithm.hash,
        ...(options.visible ? { visible: options.visible } : {}),
        ...(options.fieldAppearance ? { fieldAppearance: options.fieldAppearance } : {}),
        ...(options.reserveFields ? { reserveFields: options.reserveFields } : {}),
        ...(options.lock ? { lock: options.lock } : {}),
        ...(options.documentId ? { documentId: options.documentId } : {}),
        ...(options.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: options.utcOffsetMinutes } : {}),
        ...(options.reason !== undefined ? { reason: options.reason } : {}),
        ...(options.location !== undefined ? { location: options.location } : {}),
        ...(options.contactInfo !== undefined ? { contactInfo: options.contactInfo } : {}),
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.certify !== undefined ? { certify: options.certify } : {}),
      }),
    );
    const { increment, base, byteRange } = placed;
    const [, holeStart, holeEnd] = byteRange;
    // The input is copied by the kernel (a reflink where possible) while it is read and hashed
    // here: one read pass in this process. A change to the input meanwhile is caught when the
    // source is closed (PDF_CHANGED_WHILE_READING), and nothing is renamed into place.
    temp = new TemporaryOutput(target);
    const copied = temp.copyOf(input, base);
    const h = createHash(nodeHash(algorithm.hash));
    try {
      for await (const piece of source.chunks(0, base)) h.update(piece);
    } finally {
      await copied.catch(() => undefined);
    }
    await copied;
    if (statSync(temp.path).size !== base)
      throw new PdfError('PDF_CHANGED_WHILE_READING', `${input} changed while it was being signed`, {
        messageVi: `${input} bị sửa đổi trong lúc đang ký`,
      });
    h.update(increment.subarray(0, holeStart - base));
    h.update(increment.subarray(holeEnd - base));
    const messageDigest = new Uint8Array(h.digest());
    const attrs = await buildSignedAttributes({
      messageDigest,
      hash: algorithm.hash,
      signerCertificate: signer.certificate,
    });
    const value = await verifiedSignatureValue({
      signedAttributes: attrs.der,
      signatureValue: await signer.sign(attrs.der),
      algorithm,
      certificate: signer.certificate,
    });
    const signerCheck =
      options.unsafeSkipSignerValidation === true
        ? SKIPPED_CHECK
        : preCheck.performed
          ? await checkSigner(signer.certificate, chain, options.validation!, options.at ?? new Date())
          : preCheck;
    let cms = assembleSignedData({
      signedAttributes: attrs.der,
      signatureValue: value,
      algorithm,
      certificate: signer.certificate,
      chain,
    });
    const warnings = [
      ...appearanceWarnings(options),
      ...(signerCheck.performed ? [] : [signerCheck.warning]),
    ];
    if (level === 'B-B') warnings.push(NO_TIMESTAMP_WARNING);
    else {
      const tsa = options.tsa!;
      const stamp = await requestTimestamp(signatureValueOf(cms), {
        url: tsa.url,
        transport: tsaTransport(tsa, options.transport),
        ...(tsa.policy ? { policy: tsa.policy } : {}),
      });
      assertTimestampAfter(stamp.info.genTime, signingTime);
      cms = addSignatureTimestamp(cms, stamp.token);
    }
    const capacity = Math.floor((holeEnd - holeStart - 2) / 2);
    if (cms.length > capacity)
      throw new PdfError(
        'PDF_SIGN_CONTENTS_TOO_LARGE',
        `the signature is ${cms.length} bytes and the placeholder holds ${capacity}: sign again with a larger contentsSize`,
        {
          messageVi: `chữ ký dài ${cms.length} byte mà chỗ dành sẵn chỉ chứa ${capacity}: hãy ký lại với contentsSize lớn hơn`,
        },
      );
    const hex = Buffer.from(cms).toString('hex').toUpperCase();
    increment.set(Buffer.from(hex, 'latin1'), holeStart - base + 1);
    temp.write(increment);
    temp.flush();
    source.close();
    let result: SignPdfFileResult;
    const spans: ByteSpan[] = [
      { start: 0, end: holeStart },
      { start: holeEnd, end: base + increment.length },
    ];
    if (level === 'B-LT' || level === 'B-LTA') {
      // Validation data are added in memory (extendPdf works on bytes).
      const raised = await raiseToLevel(new Uint8Array(readFileSync(temp.path)), {
        ...options,
        level,
        at: options.at ?? new Date(),
      });
      temp.discard();
      temp = new TemporaryOutput(target);
      temp.write(raised.bytes);
      temp.flush();
      const verification = await selfCheck(raised.bytes, placed.fieldName, options);
      result = {
        output: target,
        size: raised.bytes.length,
        level,
        fieldName: placed.fieldName,
        signerCheck,
        warnings,
        verification,
      };
    } else {
      const verification = await verifyWritten(
        temp.path,
        placed.fieldName,
        spans,
        messageDigest,
        algorithm.hash,
        options,
      );
      result = {
        output: target,
        size: temp.size,
        level,
        fieldName: placed.fieldName,
        signerCheck,
        warnings,
        verification,
      };
    }
    temp.commit();
    temp = undefined;
    return result;
  } catch (error) {
    temp?.discard();
    try {
      source.close();
    } catch {
      // the signing error says more
    }
    throw error;
  }
}

async function freeFieldName(source: FileSource): Promise<string> {
  const names = new Set(findSignatures(PdfDocument.load(source)).map((s) => s.fieldName));
  for (let i = 1; ; i += 1) if (!names.has(`Signature${i}`)) return `Signature${i}`;
}

/**
 * The self-check of a written file, streamed: the new signature's ranges were hashed as they were
 * written, so that hash is used for exactly those ranges; any other range is read and hashed.
 */
async function verifyWritten(
  path: string,
  fieldName: string,
  spans: ByteSpan[],
  digest: Uint8Array,
  hash: DigestName,
  options: SignPdfOptions,
) {
  const file = FileSource.open(path);
  const streamed = createPrefixSharingDigest();
  const known: DigestFunction = async (h, s, src) =>
    h === hash && s.length === 2 && s.every((x, i) => x.start === spans[i]!.start && x.end === spans[i]!.end)
      ? digest
      : streamed(h, s, src);
  try {
    return await selfCheck(file, fieldName, { ...options, digest: known });
  } finally {
    file.close();
  }
}
