import { verify as cryptoVerify, randomBytes, X509Certificate } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { PinProvider, Pkcs11Tokens, TokenDescription, TokenSelector } from '@kyso/token/node';
import { type CliIo, EXIT, type Lang, pickLang, UsageError } from '../io.js';

const OPTIONS = {
  module: { type: 'string' },
  slot: { type: 'string' },
  'token-label': { type: 'string' },
  json: { type: 'boolean', default: false },
  lang: { type: 'string' },
  'pin-stdin': { type: 'boolean', default: false },
  'allow-final-try': { type: 'boolean', default: false },
  'allow-retry': { type: 'boolean', default: false },
  'key-id': { type: 'string' },
  fingerprint: { type: 'string' },
  label: { type: 'string' },
  pin: { type: 'string' },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(args: readonly string[]) {
  return parseArgs({ args: [...args], allowPositionals: false, options: OPTIONS });
}

async function open(values: Values, io: CliIo): Promise<Pkcs11Tokens> {
  // pkcs11js is a native module: load it only for token commands.
  const { Pkcs11Tokens } = await import('@kyso/token/node');
  return Pkcs11Tokens.open({ ...(values.module ? { modulePath: values.module } : {}), env: io.env });
}

function selector(values: Values): TokenSelector {
  const s: TokenSelector = {};
  if (values.slot !== undefined) {
    if (!/^\d+$/.test(values.slot))
      throw new UsageError(`--slot must be a slot number, not "${values.slot}"`);
    s.slot = Number(values.slot);
  }
  if (values['token-label'] !== undefined) s.label = values['token-label'];
  return s;
}

/**
 * The PIN comes from the terminal prompt, from standard input with --pin-stdin, or from
 * KYSO_TOKEN_PIN; never from an argument, where it would land in shell history and process lists.
 */
function pinSource(values: Values, io: CliIo, required: boolean): PinProvider | undefined {
  if (values.pin !== undefined) {
    throw new UsageError(
      'never put a PIN on the command line; use the prompt, --pin-stdin or KYSO_TOKEN_PIN',
    );
  }
  if (values['pin-stdin']) {
    if (!io.readStdin) throw new UsageError('--pin-stdin needs standard input');
    let cached: Promise<string> | undefined;
    return () => {
      cached ??= io.readStdin!().then((t) => t.replace(/\r?\n$/, ''));
      return cached;
    };
  }
  const fromEnv = io.env.KYSO_TOKEN_PIN;
  if (fromEnv !== undefined) return () => fromEnv;
  if (io.promptSecret) return () => io.promptSecret!('PIN: ');
  if (required)
    throw new UsageError('give the PIN at the prompt (a terminal), with --pin-stdin, or in KYSO_TOKEN_PIN');
  return undefined;
}

const SOURCE = {
  option: { vi: 'chỉ định bằng --module', en: 'given with --module' },
  env: { vi: 'chỉ định bằng KYSO_PKCS11_MODULE', en: 'given by KYSO_PKCS11_MODULE' },
  'known-location': { vi: 'tự tìm thấy', en: 'found by discovery' },
} as const;

function pinText(t: TokenDescription, lang: Lang): string {
  const vi = lang === 'vi';
  if (t.pin.locked) return vi ? 'BỊ KHÓA (cần khôi phục, Mẫu số 06)' : 'LOCKED (needs recovery, Form 06)';
  if (t.pin.finalTry) return vi ? 'còn MỘT lần thử' : 'FINAL try left';
  if (t.pin.countLow) return vi ? 'đã có lần nhập sai' : 'wrong tries counted';
  return vi ? 'bình thường' : 'normal';
}

/** `kyso token list|status|certs|sign-test`. */
export async function token(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (!['list', 'status', 'certs', 'sign-test'].includes(sub ?? '')) {
    throw new UsageError('kyso token takes list, status, certs or sign-test');
  }
  const { values } = parse(rest);
  const lang = pickLang(values.lang, io.env);
  const tokens = await open(values, io);
  const vi = lang === 'vi';
  if (sub === 'list') {
    const list = tokens.list();
    const { path, source, tried } = tokens.module;
    if (values.json)
      io.stdout(`${JSON.stringify({ module: { path, source, tried }, tokens: list }, null, 2)}\n`);
    else {
      const lines = [
        `${vi ? 'Thư viện PKCS#11' : 'PKCS#11 module'}: ${path} (${SOURCE[source][lang]})`,
        ...tried
          .filter((t) => t.path !== path)
          .map((t) =>
            t.loaded
              ? `  ${vi ? 'đã thử' : 'tried'} ${t.path}: ${vi ? `nạp được, ${t.tokensPresent ?? 0} thiết bị` : `loaded, ${t.tokensPresent ?? 0} token(s)`}`
              : `  ${vi ? 'đã thử' : 'tried'} ${t.path}: ${vi ? t.error?.messageVi : t.error?.message}`,
          ),
        ...list.map(
          (t) =>
            `[${t.slot}] ${t.label || (vi ? '(chưa khởi tạo)' : '(not initialised)')}  ${t.manufacturer} ${t.model}  ${vi ? 'số sê-ri' : 'serial'} ${t.serial}  PIN: ${pinText(t, lang)}`,
        ),
      ];
      if (list.length === 0) lines.push(vi ? 'Không có thiết bị nào.' : 'No token present.');
      else lines.push(vi ? `Tìm thấy ${list.length} thiết bị.` : `Found ${list.length} token(s).`);
      io.stdout(`${lines.join('\n')}\n`);
    }
    return EXIT.ok;
  }
  if (sub === 'status') {
    const { token: t } = tokens.select(selector(values));
    if (values.json) io.stdout(`${JSON.stringify(t, null, 2)}\n`);
    else io.stdout(`${t.label} (${t.serial}): PIN ${pinText(t, lang)}\n`);
    return t.pin.locked ? EXIT.failed : EXIT.ok;
  }
  const safety = { allowFinalTry: values['allow-final-try'], allowRetryAfterFailure: values['allow-retry'] };
  if (sub === 'certs') {
    const pin = pinSource(values, io, false);
    const certs = await tokens.certificates(
      selector(values),
      values['pin-stdin'] || io.env.KYSO_TOKEN_PIN !== undefined ? pin : undefined,
      safety,
    );
    const data = certs.map((c) => ({
      id: c.id,
      label: c.label,
      subject: c.description.subject,
      kind: c.description.kind,
      issuer: c.description.issuer.commonName,
      notAfter: c.description.notAfter,
      fingerprint: c.fingerprint,
      hasPrivateKey: c.hasPrivateKey,
    }));
    if (values.json) io.stdout(`${JSON.stringify(data, null, 2)}\n`);
    else
      io.stdout(
        `${data.map((c) => `${c.id}  ${c.subject.commonName}  ${vi ? 'hết hạn' : 'expires'} ${c.notAfter.slice(0, 10)}  SHA-256 ${c.fingerprint}`).join('\n')}\n`,
      );
    return EXIT.ok;
  }
  // sign-test: a random challenge, signed on the token and verified with the certificate.
  const pin = pinSource(values, io, true)!;
  const signer = await tokens.signer({
    token: selector(values),
    key: {
      ...(values['key-id'] ? { id: values['key-id'] } : {}),
      ...(values.fingerprint ? { fingerprint: values.fingerprint } : {}),
      ...(values.label ? { label: values.label } : {}),
    },
    pin,
    ...safety,
  });
  try {
    const challenge = randomBytes(32);
    const signature = await signer.sign(challenge);
    const hash = signer.algorithm.hash.replace('-', '').toLowerCase();
    const key = new X509Certificate(Buffer.from(signer.certificate)).publicKey;
    const ok = cryptoVerify(hash, challenge, key, signature);
    const result = {
      ok,
      algorithm: signer.algorithm,
      certificate: signer.description.subject.commonName,
      fingerprint: signer.description.fingerprint,
    };
    if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else
      io.stdout(
        `${ok ? (vi ? 'Ký thử thành công' : 'Test signature verified') : vi ? 'Chữ ký thử KHÔNG hợp lệ' : 'Test signature did NOT verify'}: ${result.certificate} (${signer.algorithm.name} ${signer.algorithm.hash})\n`,
      );
    return ok ? EXIT.ok : EXIT.failed;
  } finally {
    await signer.close();
  }
}
