import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { completePdfSignature } from '@kyso/pdf-signature';
import { type CliIo, EXIT, pickLang, UsageError } from '../io.js';
import { printResult } from './sign.js';
import {
  atOf,
  COMMON_SIGN_OPTIONS,
  certificatesOf,
  checkOutput,
  levelOf,
  readInput,
  stateKeyFrom,
  transportOf,
  tsaOf,
  validationOf,
  writeAtomically,
} from './sign-common.js';
import { requireFile } from './trust-options.js';

/**
 * `kyso complete <prepared.pdf> --state <file> --signature <file> --cert <signer> [--cert <chain>…]
 * -o <out.pdf>`: checks the value against the preparation (it must verify over the prepared
 * signed attributes), re-checks the signer's revocation, adds the timestamp from `--tsa` and
 * writes the signed PDF. `--signature` holds the raw value (binary), or its hex or base64.
 */
export async function complete(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...COMMON_SIGN_OPTIONS,
      cert: { type: 'string', multiple: true, default: [] },
      state: { type: 'string' },
      'state-key-env': { type: 'string' },
      signature: { type: 'string' },
    },
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length !== 1) throw new UsageError('kyso complete takes the prepared PDF');
  const input = positionals[0]!;
  if (!values.state) throw new UsageError('give the state file with --state <file>');
  if (!values.signature) throw new UsageError('give the signature value with --signature <file>');
  const output = checkOutput(values.output, [input, values.state, values.signature]);
  const [certificate, ...chain] = certificatesOf(values.cert);
  if (!certificate) throw new UsageError("give the signer's certificate with --cert <file>");
  const stateKey = stateKeyFrom(io.env, values['state-key-env']);
  const state = readFileSync(requireFile(values.state), 'utf8').trim();
  const raw = readFileSync(requireFile(values.signature));
  const text = raw.toString('latin1').trim();
  const value =
    /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0
      ? Buffer.from(text, 'hex')
      : /^[A-Za-z0-9+/=\s]+$/.test(text) && text.length >= 64
        ? Buffer.from(text, 'base64')
        : raw;
  const transport = transportOf(values);
  const validation = validationOf(values, transport);
  const tsa = tsaOf(values, transport);
  const level = levelOf(values.level);
  const at = atOf(values);
  const result = await completePdfSignature(readInput(input), state, new Uint8Array(value), {
    stateKey,
    certificate,
    chain,
    transport,
    ...(validation ? { validation } : {}),
    ...(values['unsafe-skip-signer-validation'] ? { unsafeSkipSignerValidation: true } : {}),
    ...(tsa ? { tsa } : {}),
    ...(level ? { level } : {}),
    ...(at ? { at } : {}),
  });
  writeAtomically(output, result.bytes);
  printResult(result, output, values.json, lang, io);
  return EXIT.ok;
}
