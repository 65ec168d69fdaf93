import { parseArgs } from 'node:util';
import { preparePdfSignature } from '@kyso/pdf-signature';
import { type CliIo, EXIT, pickLang, UsageError } from '../io.js';
import { FIELD_OPTIONS, fieldOptionsOf } from './sign.js';
import {
  atOf,
  COMMON_SIGN_OPTIONS,
  certificatesOf,
  checkOutput,
  readInput,
  stateKeyFrom,
  transportOf,
  validationOf,
  writeAtomically,
} from './sign-common.js';
import { checkOfficialUsage, OFFICIAL_OPTIONS, officialKindOf, prepareOfficial } from './sign-official.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * `kyso prepare <in.pdf> -o <prepared.pdf> --state <file> --cert <signer> [--cert <chain>…]`:
 * validates the signer, writes the prepared PDF and the sealed state (HMAC key from
 * `KYSO_STATE_KEY`, or the variable `--state-key-env` names), and prints what to sign: the
 * DigestInfo (RSA PKCS#1 v1.5 on CKM_RSA_PKCS) and the bare hash, hex.
 */
export async function prepare(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...COMMON_SIGN_OPTIONS,
      ...FIELD_OPTIONS,
      ...OFFICIAL_OPTIONS,
      cert: { type: 'string', multiple: true, default: [] },
      state: { type: 'string' },
      'state-key-env': { type: 'string' },
      algorithm: { type: 'string' },
    },
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length !== 1) throw new UsageError('kyso prepare takes one input PDF');
  const input = positionals[0]!;
  const output = checkOutput(values.output, [input]);
  if (!values.state) throw new UsageError('give the state file with --state <file>');
  const statePath = checkOutput(values.state, [input, output]);
  const [certificate, ...chain] = certificatesOf(values.cert);
  if (!certificate) throw new UsageError("give the signer's certificate with --cert <file>");
  const stateKey = stateKeyFrom(io.env, values['state-key-env']);
  const transport = transportOf(values);
  const validation = validationOf(values, transport);
  const at = atOf(values);
  let algorithm: { name: 'RSA-PSS'; hash: 'SHA-256'; saltLength: number } | undefined;
  if (values.algorithm !== undefined) {
    if (values.algorithm !== 'rsa-pss')
      throw new UsageError('--algorithm takes rsa-pss (RSA PKCS#1 v1.5 is the default)');
    algorithm = { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 };
  }
  checkOfficialUsage(values);
  const options = {
    certificate,
    chain,
    stateKey,
    ...fieldOptionsOf(values),
    ...(algorithm ? { algorithm } : {}),
    ...(validation ? { validation } : {}),
    ...(values['unsafe-skip-signer-validation'] ? { unsafeSkipSignerValidation: true } : {}),
    ...(at ? { at } : {}),
  };
  const pdf = readInput(input);
  const prepared = officialKindOf(values)
    ? await prepareOfficial(pdf, values, options)
    : await preparePdfSignature(pdf, options);
  writeAtomically(output, prepared.preparedBytes);
  writeAtomically(statePath, new TextEncoder().encode(`${prepared.state}\n`));
  const data = {
    output,
    state: statePath,
    fieldName: prepared.fieldName,
    hash: prepared.toBeSigned.hash,
    digest: hex(prepared.toBeSigned.digest),
    digestInfo: hex(prepared.toBeSigned.digestInfo),
  };
  if (values.json) io.stdout(`${JSON.stringify(data, null, 2)}\n`);
  else {
    const vi = lang === 'vi';
    io.stdout(
      `${vi ? 'Đã chuẩn bị' : 'Prepared'} ${output} (${vi ? 'trạng thái' : 'state'} ${statePath})\n` +
        `DigestInfo (CKM_RSA_PKCS): ${data.digestInfo}\n${vi ? 'Giá trị băm' : 'Hash'} ${data.hash}: ${data.digest}\n`,
    );
  }
  return EXIT.ok;
}
