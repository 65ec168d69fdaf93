import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Signer } from '@kyso/core';
import { createPkcs12Signer, createSoftwareSigner } from '@kyso/core/node';
import type { PageRect, SignPdfResult } from '@kyso/pdf-signature';
import { type SignPdfFileResult, signPdfFile } from '@kyso/pdf-signature/node';
import { type CliIo, EXIT, type Lang, pickLang, UsageError } from '../io.js';
import {
  atOf,
  COMMON_SIGN_OPTIONS,
  certificatesOf,
  checkOutput,
  levelOf,
  transportOf,
  tsaOf,
  validationOf,
  verificationLines,
  warningLines,
  writeAtomically,
} from './sign-common.js';
import { checkOfficialUsage, OFFICIAL_OPTIONS, officialKindOf, signOfficial } from './sign-official.js';
import { requireFile } from './trust-options.js';

/** Field options shared by `kyso sign` and `kyso prepare`. */
export const FIELD_OPTIONS = {
  field: { type: 'string' },
  page: { type: 'string' },
  rect: { type: 'string' },
  reason: { type: 'string' },
  location: { type: 'string' },
  'contact-info': { type: 'string' },
  certify: { type: 'string' },
} as const;

/** The field options of `--field`, `--page`/`--rect`, `--reason`, `--location`, `--certify`. */
export function fieldOptionsOf(values: {
  field?: string | undefined;
  page?: string | undefined;
  rect?: string | undefined;
  reason?: string | undefined;
  location?: string | undefined;
  'contact-info'?: string | undefined;
  certify?: string | undefined;
}) {
  if ((values.page === undefined) !== (values.rect === undefined))
    throw new UsageError('--page and --rect go together (a visible signature), or neither (invisible)');
  let visible: { page: number; rect: PageRect } | undefined;
  if (values.page !== undefined && values.rect !== undefined) {
    if (!/^\d+$/.test(values.page) || Number(values.page) < 1)
      throw new UsageError(`--page must be a page number from 1, not "${values.page}"`);
    const parts = values.rect.split(',').map((n) => Number(n.trim()));
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)))
      throw new UsageError(`--rect must be x,y,width,height in points, not "${values.rect}"`);
    const [x, y, width, height] = parts as [number, number, number, number];
    visible = { page: Number(values.page), rect: { x, y, width, height } };
  }
  let certify: 1 | 2 | 3 | undefined;
  if (values.certify !== undefined) {
    if (!['1', '2', '3'].includes(values.certify))
      throw new UsageError('--certify takes 1, 2 or 3 (DocMDP level)');
    certify = Number(values.certify) as 1 | 2 | 3;
  }
  return {
    ...(values.field !== undefined ? { fieldName: values.field } : {}),
    ...(visible ? { visible } : {}),
    ...(values.reason !== undefined ? { reason: values.reason } : {}),
    ...(values.location !== undefined ? { location: values.location } : {}),
    ...(values['contact-info'] !== undefined ? { contactInfo: values['contact-info'] } : {}),
    ...(certify ? { certify } : {}),
  };
}

/** A software signer from `--key` (.p12/.pfx, or a PEM/DER private key with `--cert`). */
function keySigner(key: string, certs: Uint8Array[], passwordEnv: string | undefined, io: CliIo): Signer {
  const bytes = new Uint8Array(readFileSync(requireFile(key)));
  const password = passwordEnv !== undefined ? io.env[passwordEnv] : undefined;
  if (passwordEnv !== undefined && password === undefined)
    throw new UsageError(`the environment variable ${passwordEnv} (--password-env) is not set`);
  if (/\.(p12|pfx)$/i.test(key)) {
    return createPkcs12Signer(bytes, password ?? '', certs.length > 0 ? { chain: certs } : {});
  }
  const [certificate, ...chain] = certs;
  if (!certificate)
    throw new UsageError('a private key file needs its certificate: --cert <file> (then the chain)');
  return createSoftwareSigner({
    privateKey: bytes,
    certificate,
    chain,
    ...(password !== undefined ? { passphrase: password } : {}),
  });
}

/** The PIN: --pin-stdin, KYSO_TOKEN_PIN, or the terminal prompt; never an argument. */
function pinOf(pinStdin: boolean, io: CliIo): () => Promise<string> {
  if (pinStdin) {
    if (!io.readStdin) throw new UsageError('--pin-stdin needs standard input');
    let cached: Promise<string> | undefined;
    return () => {
      cached ??= io.readStdin!().then((t) => t.replace(/\r?\n$/, ''));
      return cached;
    };
  }
  const fromEnv = io.env.KYSO_TOKEN_PIN;
  if (fromEnv !== undefined) return async () => fromEnv;
  if (io.promptSecret) return () => io.promptSecret!('PIN: ');
  throw new UsageError('give the PIN at the prompt (a terminal), with --pin-stdin, or in KYSO_TOKEN_PIN');
}

/** Prints a signing result. */
export function printResult(
  result: Pick<SignPdfResult, 'level' | 'warnings' | 'verification'> & { fieldName?: string },
  output: string,
  json: boolean,
  lang: Lang,
  io: CliIo,
  extra: Record<string, unknown> = {},
): void {
  if (json) {
    const { level, fieldName, warnings, verification } = result;
    io.stdout(`${JSON.stringify({ output, level, fieldName, warnings, ...extra, verification }, null, 2)}\n`);
    return;
  }
  const vi = lang === 'vi';
  io.stdout(
    [
      `${vi ? 'Đã ghi' : 'Wrote'} ${output} (${result.level}${result.fieldName ? `, ${vi ? 'trường' : 'field'} ${result.fieldName}` : ''})`,
      ...warningLines(result.warnings, lang),
      `${vi ? 'Kiểm tra lại' : 'Verified'}: ${result.verification.indication}`,
      ...verificationLines(result.verification, lang),
      '',
    ].join('\n'),
  );
}

/**
 * `kyso sign <in.pdf> -o <out.pdf> (--key … | --token …)`: validates the signer (Nghị định
 * 68/2024 Đ29), signs by an incremental update at the level asked for, verifies the result, and
 * writes it through a temporary file renamed into place.
 */
export async function sign(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...COMMON_SIGN_OPTIONS,
      ...FIELD_OPTIONS,
      ...OFFICIAL_OPTIONS,
      key: { type: 'string' },
      'password-env': { type: 'string' },
      cert: { type: 'string', multiple: true, default: [] },
      token: { type: 'boolean', default: false },
      module: { type: 'string' },
      slot: { type: 'string' },
      'token-label': { type: 'string' },
      'key-id': { type: 'string' },
      'pin-stdin': { type: 'boolean', default: false },
    },
  });
  const lang = pickLang(values.lang, io.env);
  const official = officialKindOf(values) !== undefined;
  checkOfficialUsage(values);
  if (positionals.length !== 1) throw new UsageError('kyso sign takes one input PDF');
  const input = positionals[0]!;
  const output = checkOutput(values.output, [input]);
  if ((values.key === undefined) === !values.token)
    throw new UsageError('give either --key <file> or --token');
  requireFile(input);
  const transport = transportOf(values);
  const validation = validationOf(values, transport);
  const tsa = tsaOf(values, transport);
  const level = levelOf(values.level);
  const at = atOf(values);
  const certs = certificatesOf(values.cert);
  const common = {
    ...fieldOptionsOf(values),
    ...(validation ? { validation } : {}),
    ...(values['unsafe-skip-signer-validation'] ? { unsafeSkipSignerValidation: true } : {}),
    ...(tsa ? { tsa } : {}),
    ...(level ? { level } : {}),
    ...(at ? { at } : {}),
    transport,
  };
  // The input is streamed from disk into a temporary file beside the output, renamed once verified;
  // with --kind (Nghị định 30/2020 Phụ lục I) it is read whole, signed, and written the same way.
  const signWith = async (
    signer: Signer,
    chain?: Uint8Array[],
  ): Promise<SignPdfFileResult | SignPdfResult> => {
    const options = { ...common, ...(chain ? { chain } : {}) };
    if (!official) return signPdfFile(input, output, { ...options, signer });
    const signed = await signOfficial(new Uint8Array(readFileSync(input)), values, signer, options);
    writeAtomically(output, signed.bytes);
    return signed;
  };
  let result: SignPdfFileResult | SignPdfResult;
  if (values.key !== undefined) {
    const signer = keySigner(values.key, certs, values['password-env'], io);
    result = await signWith(signer);
  } else {
    const { Pkcs11Tokens } = await import('@kyso/token/node');
    const tokens = Pkcs11Tokens.open({
      ...(values.module ? { modulePath: values.module } : {}),
      env: io.env,
    });
    const signer = await tokens.signer({
      token: {
        ...(values.slot !== undefined ? { slot: Number(values.slot) } : {}),
        ...(values['token-label'] !== undefined ? { label: values['token-label'] } : {}),
      },
      key: values['key-id'] !== undefined ? { id: values['key-id'] } : {},
      pin: pinOf(values['pin-stdin'], io),
    });
    try {
      result = await signWith(signer, certs);
    } finally {
      await signer.close();
    }
  }
  printResult(result, output, values.json, lang, io, {
    signerCheck: result.signerCheck.performed
      ? { performed: true, indication: result.signerCheck.report.indication }
      : result.signerCheck,
  });
  return EXIT.ok;
}
