import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  createCachingTransport,
  createHttpTransport,
  offlineTransport,
  parseCertificates,
  type RevocationMode,
  type Transport,
} from '@kyso/core';
import type { PdfVerificationReport, SignerValidationOptions } from '@kyso/pdf-signature';
import { assertOutputIsNotInput } from '@kyso/pdf-signature/node';
import { type Bilingual, type Lang, UsageError } from '../io.js';
import { crlsFromOptions, parseAt, requireFile, trustFromOptions } from './trust-options.js';

/** Options every signing command shares: trust, revocation, network, TSA, output, language. */
export const COMMON_SIGN_OPTIONS = {
  output: { type: 'string', short: 'o' },
  trust: { type: 'string', multiple: true, default: [] as string[] },
  profile: { type: 'string', multiple: true, default: [] as string[] },
  crl: { type: 'string', multiple: true, default: [] as string[] },
  intermediate: { type: 'string', multiple: true, default: [] as string[] },
  revocation: { type: 'string', default: 'hard-fail' },
  offline: { type: 'boolean', default: false },
  at: { type: 'string' },
  tsa: { type: 'string' },
  level: { type: 'string' },
  json: { type: 'boolean', default: false },
  lang: { type: 'string' },
  'unsafe-skip-signer-validation': { type: 'boolean', default: false },
} as const;

/** The values of {@link COMMON_SIGN_OPTIONS}. */
export interface CommonSignValues {
  output?: string | undefined;
  trust: string[];
  profile: string[];
  crl: string[];
  intermediate: string[];
  revocation: string;
  offline: boolean;
  at?: string | undefined;
  tsa?: string | undefined;
  level?: string | undefined;
  json: boolean;
  'unsafe-skip-signer-validation': boolean;
}

const LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;
type Level = (typeof LEVELS)[number];

/** `--level`, checked. */
export function levelOf(text: string | undefined, allowed: readonly Level[] = LEVELS): Level | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as Level))
    throw new UsageError(`--level must be one of ${allowed.join(', ')}, not "${text}"`);
  return text as Level;
}

/** The transport: HTTP with a cache, or one that refuses everything with `--offline`. */
export function transportOf(values: CommonSignValues): Transport {
  return values.offline ? offlineTransport : createCachingTransport(createHttpTransport());
}

/** How the signer is validated: anchors from --trust/--profile, CRLs, revocation mode, transport. */
export function validationOf(
  values: CommonSignValues,
  transport: Transport,
): SignerValidationOptions | undefined {
  if (values['unsafe-skip-signer-validation'] && values.trust.length === 0 && values.profile.length === 0)
    return undefined;
  const revocation = values.revocation as RevocationMode;
  if (!['hard-fail', 'soft-fail', 'none'].includes(revocation))
    throw new UsageError(`--revocation must be hard-fail, soft-fail or none, not "${values.revocation}"`);
  return {
    trustAnchors: trustFromOptions(values.profile, values.trust),
    crls: crlsFromOptions(values.crl),
    intermediates: values.intermediate.flatMap((p) => parseCertificates(readFileSync(requireFile(p)))),
    revocation,
    ...(values.offline ? {} : { transport }),
  };
}

/**
 * The TSA of `--tsa` (an http(s) URL from the command line: configuration, never a state). It is
 * reached even with `--offline`, which only stops revocation fetching: asking for a TSA is asking
 * for the network.
 */
export function tsaOf(values: CommonSignValues, transport: Transport) {
  if (values.tsa === undefined) return undefined;
  if (!/^https?:\/\//.test(values.tsa))
    throw new UsageError(`--tsa must be an http or https URL, not "${values.tsa}"`);
  return { url: values.tsa, transport: values.offline ? createHttpTransport() : transport };
}

/** `--at`. */
export function atOf(values: CommonSignValues): Date | undefined {
  return parseAt(values.at);
}

/** Reads the input PDF (a usage error when missing). */
export function readInput(path: string | undefined, what = 'PDF'): Uint8Array {
  if (!path) throw new UsageError(`give the input ${what}`);
  return new Uint8Array(readFileSync(requireFile(path)));
}

/** Certificates of `--cert` files, DER, in order (the first is the signer's when a key is given). */
export function certificatesOf(paths: readonly string[]): Uint8Array[] {
  return paths.flatMap((p) => parseCertificates(readFileSync(requireFile(p))).map((c) => c.der));
}

/**
 * The `-o` path, refused when it is the input (same path, or the same file through a link): the
 * input is never overwritten.
 *
 * @throws PdfError `PDF_SIGN_OUTPUT_IS_INPUT`.
 */
export function checkOutput(output: string | undefined, inputs: readonly string[]): string {
  if (!output) throw new UsageError('give the output file with -o <out.pdf>');
  return assertOutputIsNotInput(output, inputs);
}

/**
 * Writes `bytes` to `path` through a temporary file in the same directory, flushed and then
 * renamed: a failed run leaves no partial file, and a reader never sees a half-written one.
 */
export function writeAtomically(path: string, bytes: Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.kyso-tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The report's lines for a human, in the chosen language. */
export function verificationLines(report: PdfVerificationReport, lang: Lang): string[] {
  const vi = lang === 'vi';
  return report.signatures.map(
    (s) =>
      `  [${s.index}] ${s.kind === 'timestamp' ? (vi ? 'dấu thời gian tài liệu' : 'document timestamp') : (s.signer.commonName ?? s.fieldName)}: ${s.indication}${s.subIndication ? ` (${s.subIndication})` : ''}${s.timestamped ? (vi ? ', có dấu thời gian' : ', timestamped') : ''}`,
  );
}

/** Prints warnings in the chosen language. */
export function warningLines(warnings: readonly Bilingual[], lang: Lang): string[] {
  return warnings.map((w) => `${lang === 'vi' ? 'Cảnh báo' : 'Warning'}: ${w[lang]}`);
}

/**
 * The HMAC key of a two-step state from environment variable `name` (default `KYSO_STATE_KEY`):
 * hex or base64, at least 32 bytes.
 */
export function stateKeyFrom(env: Record<string, string | undefined>, name = 'KYSO_STATE_KEY'): Uint8Array {
  const text = env[name];
  if (!text) throw new UsageError(`set the state's HMAC key (at least 32 bytes, hex or base64) in ${name}`);
  const bytes =
    /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0
      ? Buffer.from(text, 'hex')
      : Buffer.from(text, 'base64');
  if (bytes.length < 32) throw new UsageError(`${name} must hold at least 32 bytes (hex or base64)`);
  return new Uint8Array(bytes);
}
