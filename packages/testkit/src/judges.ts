import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NssSigner } from './pdf.js';
import { CommandFailedError, makeTempDir, run } from './tools.js';

/**
 * Independent judges of what kyso writes and reads: poppler's `pdfsig` (PDF signatures, with the
 * test PKI's root trusted in an NSS database), `qpdf --check` (PDF structure) and `openssl cms
 * -verify` (CMS signatures). Bytes given to a judge are written to a private temporary directory
 * for the call and removed after it.
 */

/** A PDF for a judge: the path of a file, or its bytes. */
export type PdfInput = string | Uint8Array;

/** Runs `work` on a file holding `input`: `input` itself when it is a path. */
async function withFile<T>(input: PdfInput, work: (path: string) => Promise<T>): Promise<T> {
  if (typeof input === 'string') return work(input);
  const dir = makeTempDir('judge');
  try {
    const path = join(dir, 'judged.pdf');
    writeFileSync(path, input);
    return await work(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Options of {@link pdfsigOutput} and {@link pdfsigVerdicts}. */
export interface PdfsigOptions {
  /** The NSS database pdfsig trusts (`-nssdir`), e.g. {@link createNssSigner}'s: the test root trusted. Default: pdfsig's own. */
  nss?: Pick<NssSigner, 'dir'>;
  /** The user password of an encrypted file (`-upw`); none when absent or empty. */
  password?: string;
}

/**
 * What `pdfsig` prints about every signature of `input` (its standard output). pdfsig exits
 * non-zero on a file whose signatures it finds wanting and prints its verdicts all the same: they
 * are returned, not thrown. Rejects on anything else (a missing tool, a timeout without output).
 */
export async function pdfsigOutput(input: PdfInput, options: PdfsigOptions = {}): Promise<string> {
  return withFile(input, async (path) => {
    const args = [
      ...(options.nss ? ['-nssdir', `sql:${options.nss.dir}`] : []),
      ...(options.password ? ['-upw', options.password] : []),
      path,
    ];
    try {
      return (await run('pdfsig', args)).stdout;
    } catch (error) {
      if (!(error instanceof CommandFailedError)) throw error;
      return error.stdout;
    }
  });
}

/** The verdicts of pdfsig's `Signature Validation:` lines, one a signature in file order ("Signature is Valid.", …). */
export function signatureValidations(pdfsigStdout: string): string[] {
  return [...pdfsigStdout.matchAll(/Signature Validation: (.*)/g)].map((m) => m[1]!.trim());
}

/** pdfsig's verdict on each signature of `input`, in file order: {@link signatureValidations} of {@link pdfsigOutput}. */
export async function pdfsigVerdicts(input: PdfInput, options: PdfsigOptions = {}): Promise<string[]> {
  return signatureValidations(await pdfsigOutput(input, options));
}

/** Options of {@link qpdfCheck}. */
export interface QpdfCheckOptions {
  /** The file's password (`--password=`), for an encrypted file. */
  password?: string;
}

/**
 * `qpdf --check` of a file that must be sound: what qpdf printed (standard output). Rejects with a
 * {@link CommandFailedError} when qpdf exits non-zero, for errors (2) or for warnings only (3).
 */
export async function qpdfCheck(input: PdfInput, options: QpdfCheckOptions = {}): Promise<string> {
  return withFile(input, async (path) => {
    const password = options.password !== undefined ? [`--password=${options.password}`] : [];
    return (await run('qpdf', ['--check', ...password, path])).stdout;
  });
}

/** What `qpdf --check` found, whatever it was: see {@link qpdfVerdict}. */
export interface QpdfVerdict {
  /** qpdf's exit status: 0 clean, 2 errors, 3 warnings only (-1 when it had none). */
  exitCode: number;
  /** All it printed: standard output, then standard error. */
  output: string;
}

/** `qpdf --check` of any file, sound or not: never rejects for what qpdf finds in the file. */
export async function qpdfVerdict(input: PdfInput): Promise<QpdfVerdict> {
  return withFile(input, async (path) => {
    try {
      const r = await run('qpdf', ['--check', path]);
      return { exitCode: 0, output: r.stdout + r.stderr };
    } catch (error) {
      if (!(error instanceof CommandFailedError)) throw error;
      return { exitCode: error.exitCode ?? -1, output: error.stdout + error.stderr };
    }
  });
}

/**
 * `openssl cms -verify` of a detached DER CMS over `content`, with the certificates of the PEM
 * bundle `caFile` trusted and any purpose accepted: what openssl printed on standard error
 * ("Verification successful"). Rejects with a {@link CommandFailedError} when it does not verify.
 */
export async function opensslCmsVerify(
  cms: Uint8Array,
  content: Uint8Array,
  caFile: string,
): Promise<string> {
  const dir = makeTempDir('cms-verify');
  try {
    const [cmsPath, contentPath] = [join(dir, 'cms.der'), join(dir, 'content.bin')];
    writeFileSync(cmsPath, cms);
    writeFileSync(contentPath, content);
    const { stderr } = await run('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      cmsPath,
      '-content',
      contentPath,
      '-CAfile',
      caFile,
      '-purpose',
      'any',
      '-out',
      join(dir, 'out.bin'),
    ]);
    return stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
