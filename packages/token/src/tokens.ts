import { createHash } from 'node:crypto';
import {
  assertSigningHash,
  type Certificate,
  type CertificateDescription,
  type DigestInput,
  describeCertificate,
  digestInfo,
  type HashName,
  isKysoError,
  parseCertificateDer,
  type SignatureAlgorithm,
  type Signer,
  verifySignatureValue,
} from '@kyso/core';
import type * as Pkcs11js from 'pkcs11js';
import { ckrOf, pinLocked, TokenError, toTokenError } from './errors.js';
import { type LoadedModule, type LoadModuleOptions, loadModule } from './module.js';

/** The PIN state a token reports (PKCS#11 token flags). */
export interface PinState {
  /** CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered since the last success. */
  countLow: boolean;
  /** CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks the token. */
  finalTry: boolean;
  /** CKF_USER_PIN_LOCKED. */
  locked: boolean;
  /** CKF_USER_PIN_TO_BE_CHANGED. */
  toBeChanged: boolean;
}

/** A token in a slot, as plain data. */
export interface TokenDescription {
  slot: number;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  /** The raw CK_TOKEN_INFO flags. */
  flags: number;
  pin: PinState;
  loginRequired: boolean;
  /** CKF_TOKEN_INITIALIZED: false for the empty slot SoftHSM2 and some readers show. */
  initialized: boolean;
}

/** A certificate on a token and whether its private key (same CKA_ID) is there. */
export interface TokenCertificate {
  /** CKA_ID, hex. */
  id: string;
  label: string;
  certificate: Uint8Array;
  description: CertificateDescription;
  /** SHA-256 of the certificate, hex. */
  fingerprint: string;
  /** Known only after login (private keys are private objects); null before. */
  hasPrivateKey: boolean | null;
}

/** Chooses a token: by slot number or by label (default: the only token present). */
export interface TokenSelector {
  slot?: number;
  label?: string;
}

/** Chooses a key: by certificate fingerprint (hex, prefix allowed), subject text, CKA_LABEL or CKA_ID. */
export interface KeySelector {
  fingerprint?: string;
  subject?: string;
  label?: string;
  id?: string;
}

/** Where the PIN comes from: a function kyso calls when it must log in (so kyso need not keep it). */
export type PinProvider = () => string | Promise<string>;

/** Options of {@link Pkcs11Tokens.signer}. */
export interface SignerOptions {
  token?: TokenSelector;
  key?: KeySelector;
  pin: PinProvider;
  /** Try a PIN on a token that reports its final try (default false: refuse with TOKEN_PIN_FINAL_TRY). */
  allowFinalTry?: boolean;
  /**
   * Try again after a failed login on a token that does not report its retry counter (default
   * false: refuse with TOKEN_PIN_CONSENT_REQUIRED, since each try may be the last).
   */
  allowRetryAfterFailure?: boolean;
  /** Signature algorithm (default: RSA PKCS#1 v1.5 with SHA-256, or ECDSA with SHA-256/384 by curve). */
  algorithm?: SignatureAlgorithm;
  /** For RSA PKCS#1 v1.5: hash on the token (default) or in kyso with CKM_RSA_PKCS and a DigestInfo. */
  hashOnToken?: boolean;
}

const HASH_NODE: Record<HashName, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const HASH_LENGTH: Record<HashName, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

function trim(text: string): string {
  return text.replace(/\0/g, '').trim();
}

/** Serialises work on one token: PKCS#11 sessions must not interleave SignInit/Sign across callers. */
class TokenQueue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** Tokens whose last login failed in this process, by serial: for tokens that hide their counter. */
const failedLogins = new Set<string>();

/**
 * The tokens of one PKCS#11 module: their state, their certificates, and Signers on their keys.
 * Never logs, keeps or echoes a PIN.
 * @example
 * ```ts
 * import { Pkcs11Tokens } from '@kyso/token/node';
 * const tokens = Pkcs11Tokens.open(); // discovery, or { module: '/path/to/pkcs11.so' }
 * const signer = await tokens.signer({ pin: async () => askPin(), key: { label: 'chu-ky' } });
 * const cms = await signDetached({ messageDigest, signer });
 * ```
 * @throws {TokenError} `TOKEN_PIN_INCORRECT`, `TOKEN_PIN_LOCKED`, `TOKEN_KEY_NOT_FOUND`,
 * `TOKEN_KEY_MISMATCH`, `TOKEN_REMOVED`, among the codes of `TokenErrorCode`.
 */
export class Pkcs11Tokens {
  private readonly queues = new Map<string, TokenQueue>();

  private constructor(readonly module: LoadedModule) {}

  /** Loads the module (once per process) and returns its tokens. */
  static open(options: LoadModuleOptions = {}): Pkcs11Tokens {
    return new Pkcs11Tokens(loadModule(options));
  }

  private get p(): Pkcs11js.PKCS11 {
    return this.module.pkcs11;
  }

  private get lib() {
    return this.module.lib;
  }

  /** Every slot with a token present, described. */
  list(): TokenDescription[] {
    let slots: Buffer[];
    try {
      slots = this.p.C_GetSlotList(true);
    } catch (error) {
      throw toTokenError(error, 'listing slots');
    }
    return slots.map((slot) => this.describe(slot));
  }

  private describe(slot: Buffer): TokenDescription {
    let info: Pkcs11js.TokenInfo;
    try {
      info = this.p.C_GetTokenInfo(slot);
    } catch (error) {
      throw toTokenError(error, 'reading the token');
    }
    const f = info.flags;
    return {
      slot: slot.readUIntLE(0, Math.min(slot.length, 6)),
      label: trim(info.label),
      manufacturer: trim(info.manufacturerID),
      model: trim(info.model),
      serial: trim(info.serialNumber),
      flags: f,
      pin: {
        countLow: (f & this.lib.CKF_USER_PIN_COUNT_LOW) !== 0,
        finalTry: (f & this.lib.CKF_USER_PIN_FINAL_TRY) !== 0,
        locked: (f & this.lib.CKF_USER_PIN_LOCKED) !== 0,
        toBeChanged: (f & this.lib.CKF_USER_PIN_TO_BE_CHANGED) !== 0,
      },
      loginRequired: (f & this.lib.CKF_LOGIN_REQUIRED) !== 0,
      initialized: (f & this.lib.CKF_TOKEN_INITIALIZED) !== 0,
    };
  }

  /** The token chosen by `selector`, or a TokenError naming the tokens there are. */
  select(selector: TokenSelector = {}): { slot: Buffer; token: TokenDescription } {
    const slots = this.p.C_GetSlotList(true);
    // Uninitialised tokens (an empty slot of SoftHSM2, a blank card) are chosen only by slot number.
    const all = slots
      .map((slot) => ({ slot, token: this.describe(slot) }))
      .filter((t) => t.token.initialized || selector.slot === t.token.slot);
    const matches = all.filter(
      (t) =>
        (selector.slot === undefined || t.token.slot === selector.slot) &&
        (selector.label === undefined || t.token.label === selector.label),
    );
    const names = all.map((t) => `"${t.token.label}" (slot ${t.token.slot})`).join(', ') || 'none';
    if (matches.length === 0) {
      throw new TokenError(
        'TOKEN_NOT_FOUND',
        `no token matches ${JSON.stringify(selector)}; tokens present: ${names}`,
        {
          messageVi: `không có thiết bị nào khớp ${JSON.stringify(selector)}; các thiết bị đang cắm: ${names}`,
        },
      );
    }
    if (matches.length > 1) {
      throw new TokenError(
        'TOKEN_AMBIGUOUS',
        `several tokens match; choose one with --slot or --token-label: ${names}`,
        {
          messageVi: `có nhiều thiết bị khớp; hãy chọn bằng --slot hoặc --token-label: ${names}`,
        },
      );
    }
    return matches[0]!;
  }

  private queue(serial: string): TokenQueue {
    let q = this.queues.get(serial);
    if (!q) {
      q = new TokenQueue();
      this.queues.set(serial, q);
    }
    return q;
  }

  /** The certificates on a token, with their keys matched by CKA_ID when `pin` is given. */
  async certificates(
    selector: TokenSelector = {},
    pin?: PinProvider,
    safety: Pick<SignerOptions, 'allowFinalTry' | 'allowRetryAfterFailure'> = {},
  ): Promise<TokenCertificate[]> {
    const { slot, token } = this.select(selector);
    return this.queue(token.serial).run(async () => {
      const session = this.openSession(slot);
      try {
        if (pin) await this.login(slot, session, token, pin, safety);
        return this.listCertificates(session, pin !== undefined);
      } finally {
        this.closeSession(session);
      }
    });
  }

  /** The certificates a session sees; `withKeys`: pair them with private keys (after login). */
  private listCertificates(session: Buffer, withKeys: boolean): TokenCertificate[] {
    const certs = this.findObjects(session, [{ type: this.lib.CKA_CLASS, value: this.lib.CKO_CERTIFICATE }]);
    const keyIds = withKeys
      ? new Set(
          this.findObjects(session, [{ type: this.lib.CKA_CLASS, value: this.lib.CKO_PRIVATE_KEY }]).map(
            (k) => this.attr(session, k, this.lib.CKA_ID),
          ),
        )
      : undefined;
    const out: TokenCertificate[] = [];
    for (const handle of certs) {
      const der = new Uint8Array(this.attrBuffer(session, handle, this.lib.CKA_VALUE));
      let cert: Certificate;
      try {
        cert = parseCertificateDer(der);
      } catch {
        continue;
      }
      const id = this.attr(session, handle, this.lib.CKA_ID);
      const description = describeCertificate(cert);
      out.push({
        id,
        label: this.attrText(session, handle, this.lib.CKA_LABEL),
        certificate: der,
        description,
        fingerprint: description.fingerprint,
        hasPrivateKey: keyIds ? keyIds.has(id) : null,
      });
    }
    // Tokens return objects in no fixed order; callers get them by CKA_ID.
    return out.sort((a, b) => a.id.localeCompare(b.id) || a.label.localeCompare(b.label));
  }

  /**
   * A Signer on a key of a token. It logs in lazily (asking `pin` only then), serialises its
   * operations with every other user of the token, and reopens its session after a failure.
   */
  async signer(options: SignerOptions): Promise<TokenSigner> {
    const { slot, token } = this.select(options.token);
    // One login serves both finding the key and the first signature: the PIN is asked once.
    return this.queue(token.serial).run(async () => {
      const session = this.openSession(slot);
      try {
        await this.login(slot, session, token, options.pin, options);
        const withKeys = this.listCertificates(session, true).filter((c) => c.hasPrivateKey);
        const key = options.key ?? {};
        const matches = withKeys.filter(
          (c) =>
            (key.fingerprint === undefined ||
              c.fingerprint.startsWith(key.fingerprint.toLowerCase().replace(/:/g, ''))) &&
            (key.subject === undefined || c.description.subject.text.includes(key.subject)) &&
            (key.label === undefined || c.label === key.label) &&
            (key.id === undefined || c.id === key.id.toLowerCase()),
        );
        if (matches.length !== 1) {
          const found =
            withKeys
              .map((c) => `${c.label} [${c.description.subject.commonName}] ${c.fingerprint.slice(0, 16)}…`)
              .join('; ') || 'none';
          throw new TokenError(
            'TOKEN_KEY_NOT_FOUND',
            `${matches.length === 0 ? 'no' : 'more than one'} certificate with a private key matches ${JSON.stringify(key)}; on the token: ${found}`,
            {
              messageVi: `${matches.length === 0 ? 'không có' : 'có nhiều hơn một'} chứng thư có khóa bí mật khớp ${JSON.stringify(key)}; trên thiết bị: ${found}`,
            },
          );
        }
        const chosen = matches[0]!;
        const keys = this.findObjects(session, [
          { type: this.lib.CKA_CLASS, value: this.lib.CKO_PRIVATE_KEY },
          { type: this.lib.CKA_ID, value: Buffer.from(chosen.id, 'hex') },
        ]);
        return new TokenSigner(this, token, chosen, options, { session, key: keys[0]! });
      } catch (error) {
        this.closeSession(session);
        throw error;
      }
    });
  }

  /** @internal */
  openSession(slot: Buffer): Buffer {
    try {
      return this.p.C_OpenSession(slot, this.lib.CKF_SERIAL_SESSION | this.lib.CKF_RW_SESSION);
    } catch (error) {
      throw toTokenError(error, 'opening a session');
    }
  }

  /** @internal */
  closeSession(session: Buffer): void {
    try {
      this.p.C_CloseSession(session);
    } catch {
      // a session on a removed token is already gone
    }
  }

  /**
   * @internal PIN-safe login: reads the token flags before trying, refuses on a locked token, on
   * a final try (unless allowed), and after a failure on a token that hides its counter (unless
   * allowed). The PIN is fetched from the provider only for the C_Login call.
   */
  async login(
    slot: Buffer,
    session: Buffer,
    token: TokenDescription,
    pin: PinProvider,
    safety: Pick<SignerOptions, 'allowFinalTry' | 'allowRetryAfterFailure'>,
  ): Promise<void> {
    const now = this.describe(slot);
    // Once locked, only recovery (a new user PIN) opens the token: earlier failures no longer count.
    if (now.pin.locked) {
      failedLogins.delete(token.serial);
      throw pinLocked(now.label);
    }
    if (now.pin.finalTry && !safety.allowFinalTry) {
      throw new TokenError(
        'TOKEN_PIN_FINAL_TRY',
        `Token "${now.label}" reports its final PIN try: one more wrong PIN locks it. kyso will not try without explicit permission (allowFinalTry).`,
        {
          messageVi: `Thiết bị "${now.label}" chỉ còn một lần nhập mật khẩu: nhập sai thêm một lần sẽ bị khóa. kyso không thử khi chưa được cho phép rõ ràng (allowFinalTry).`,
        },
      );
    }
    if (
      failedLogins.has(token.serial) &&
      !now.pin.countLow &&
      !now.pin.finalTry &&
      !safety.allowRetryAfterFailure
    ) {
      throw new TokenError(
        'TOKEN_PIN_CONSENT_REQUIRED',
        `The last PIN for token "${now.label}" was wrong and this token does not report how many tries remain: the next wrong PIN could lock it. Confirm the PIN and allow another try explicitly (allowRetryAfterFailure).`,
        {
          messageVi: `Mật khẩu vừa nhập cho thiết bị "${now.label}" sai và thiết bị này không cho biết còn bao nhiêu lần thử: nhập sai tiếp có thể làm khóa thiết bị. Hãy kiểm tra lại mật khẩu và cho phép thử lại một cách rõ ràng (allowRetryAfterFailure).`,
        },
      );
    }
    try {
      this.p.C_Login(session, this.lib.CKU_USER, await pin());
      failedLogins.delete(token.serial);
    } catch (error) {
      const ckr = ckrOf(error);
      if (ckr === 'CKR_USER_ALREADY_LOGGED_IN') return;
      if (ckr === 'CKR_PIN_LOCKED') {
        failedLogins.delete(token.serial);
        throw pinLocked(now.label, error);
      }
      if (ckr === 'CKR_PIN_INCORRECT' || ckr === 'CKR_PIN_INVALID' || ckr === 'CKR_PIN_LEN_RANGE') {
        failedLogins.add(token.serial);
        const after = this.describe(slot);
        if (after.pin.locked) {
          failedLogins.delete(token.serial);
          throw pinLocked(after.label, error);
        }
        const left = after.pin.finalTry
          ? {
              en: 'one try is left before the token locks',
              vi: 'chỉ còn một lần thử trước khi thiết bị bị khóa',
            }
          : after.pin.countLow
            ? { en: 'the token counts wrong tries', vi: 'thiết bị đang đếm số lần nhập sai' }
            : {
                en: 'the token does not say how many tries remain',
                vi: 'thiết bị không cho biết còn bao nhiêu lần thử',
              };
        throw new TokenError('TOKEN_PIN_INCORRECT', `Wrong PIN for token "${after.label}"; ${left.en}.`, {
          messageVi: `Sai mật khẩu thiết bị "${after.label}"; ${left.vi}.`,
          ckr,
          cause: error,
        });
      }
      throw toTokenError(error, 'logging in');
    }
  }

  /** @internal */
  findObjects(session: Buffer, template: Pkcs11js.Template): Buffer[] {
    try {
      this.p.C_FindObjectsInit(session, template);
      const out: Buffer[] = [];
      for (;;) {
        const batch = this.p.C_FindObjects(session, 64);
        out.push(...batch);
        if (batch.length < 64) break;
      }
      this.p.C_FindObjectsFinal(session);
      return out;
    } catch (error) {
      throw toTokenError(error, 'finding objects');
    }
  }

  private attrBuffer(session: Buffer, handle: Buffer, type: number): Buffer {
    const [a] = this.p.C_GetAttributeValue(session, handle, [{ type }]);
    return (a?.value as Buffer | undefined) ?? Buffer.alloc(0);
  }

  /** @internal */
  attr(session: Buffer, handle: Buffer, type: number): string {
    return this.attrBuffer(session, handle, type).toString('hex');
  }

  private attrText(session: Buffer, handle: Buffer, type: number): string {
    return this.attrBuffer(session, handle, type).toString('utf8');
  }

  /** @internal */
  run<T>(serial: string, work: () => Promise<T> | T): Promise<T> {
    return this.queue(serial).run(work);
  }
}

/**
 * A core `Signer` backed by a private key on a PKCS#11 token. Its digest-level form
 * ({@link TokenSigner.signDigest}) takes a DigestInfo for RSA PKCS#1 v1.5 (`CKM_RSA_PKCS`) and the
 * bare hash for RSA-PSS (`CKM_RSA_PKCS_PSS`) and ECDSA (`CKM_ECDSA`), as {@link TokenSigner.digestInput} says.
 * When it opens a session it signs a probe and verifies it with the certificate, so a key that does
 * not belong to its certificate (same CKA_ID, another key) is refused with `TOKEN_KEY_MISMATCH`
 * before any document is signed.
 */
export class TokenSigner implements Signer {
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[] = [];
  readonly algorithm: SignatureAlgorithm;
  /** `digest-info` for RSA PKCS#1 v1.5, `hash` for RSA-PSS and ECDSA. */
  readonly digestInput: DigestInput;
  /** The certificate as described by `@kyso/core`. */
  readonly description: CertificateDescription;
  private session: Buffer | undefined;
  private keyHandle: Buffer | undefined;
  /** Whether the key of the current session was shown to be the certificate's (a probe signature). */
  private probed = false;
  private readonly keyType: 'rsa' | 'ec';

  /** @internal use {@link Pkcs11Tokens.signer}. */
  constructor(
    private readonly tokens: Pkcs11Tokens,
    private readonly token: TokenDescription,
    private readonly key: TokenCertificate,
    private readonly options: SignerOptions,
    opened?: { session: Buffer; key: Buffer },
  ) {
    // The session `Pkcs11Tokens.signer` logged in to find the key: the first signature needs no
    // second login (and no second PIN).
    this.session = opened?.session;
    this.keyHandle = opened?.key;
    this.probed = false;
    this.certificate = key.certificate;
    this.description = key.description;
    this.keyType = key.description.key.algorithm === 'EC' ? 'ec' : 'rsa';
    this.algorithm =
      options.algorithm ??
      (this.keyType === 'ec'
        ? { name: 'ECDSA', hash: key.description.key.curve === 'P-384' ? 'SHA-384' : 'SHA-256' }
        : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    // SHA-1 (the VNPT plug-in's default) is refused with SIGNATURE_ALGORITHM_REFUSED.
    assertSigningHash(this.algorithm.hash);
    this.digestInput = this.algorithm.name === 'RSASSA-PKCS1-v1_5' ? 'digest-info' : 'hash';
    if ((this.keyType === 'ec') !== (this.algorithm.name === 'ECDSA')) {
      throw new TokenError(
        'TOKEN_MECHANISM_UNSUPPORTED',
        `${this.algorithm.name} does not fit a ${key.description.key.algorithm} key`,
        {
          messageVi: `${this.algorithm.name} không phù hợp với khóa ${key.description.key.algorithm}`,
        },
      );
    }
  }

  /** Signs `data` on the token; concurrent calls are queued, never interleaved. */
  sign(data: Uint8Array): Promise<Uint8Array> {
    return this.tokens.run(this.token.serial, async () => {
      const { session, key } = await this.ensureSession();
      return this.signWith(session, key, this.mechanism(data));
    });
  }

  /**
   * Signs an already computed digest on the token: a DigestInfo with `CKM_RSA_PKCS` for RSA PKCS#1
   * v1.5, the bare hash with `CKM_RSA_PKCS_PSS` or `CKM_ECDSA`. For the two-step flow, where only
   * the hash of the signed attributes reaches the token's machine.
   */
  signDigest(input: Uint8Array): Promise<Uint8Array> {
    const hash = this.algorithm.hash;
    const hLen = HASH_LENGTH[hash];
    const fits =
      this.digestInput === 'hash'
        ? input.length === hLen
        : input.length > hLen &&
          Buffer.from(digestInfo(hash, input.subarray(input.length - hLen))).equals(input);
    if (!fits) {
      const wanted =
        this.digestInput === 'hash'
          ? {
              en: `a ${hash} hash of ${HASH_LENGTH[hash]} bytes`,
              vi: `giá trị băm ${hash} dài ${HASH_LENGTH[hash]} byte`,
            }
          : { en: `the DigestInfo of a ${hash} hash`, vi: `DigestInfo của một giá trị băm ${hash}` };
      return Promise.reject(
        new TokenError(
          'TOKEN_DIGEST_INVALID',
          `signDigest takes ${wanted.en}; got ${input.length} other bytes`,
          {
            messageVi: `signDigest nhận ${wanted.vi}; dữ liệu nhận được (${input.length} byte) không đúng dạng`,
          },
        ),
      );
    }
    return this.tokens.run(this.token.serial, async () => {
      const { session, key } = await this.ensureSession();
      return this.signWith(session, key, this.digestMechanism(input));
    });
  }

  private async signWith(
    session: Buffer,
    key: Buffer,
    { mechanism, input }: { mechanism: Pkcs11js.Mechanism; input: Buffer },
  ): Promise<Uint8Array> {
    try {
      this.tokens.module.pkcs11.C_SignInit(session, mechanism, key);
      const out = await this.tokens.module.pkcs11.C_SignAsync(session, input, Buffer.alloc(1024));
      return this.keyType === 'ec' ? rawToDer(new Uint8Array(out)) : new Uint8Array(out);
    } catch (error) {
      // The session may be dead (token pulled, handle invalid): drop it so the next call reopens.
      this.dropSession();
      throw toTokenError(error, 'signing');
    }
  }

  /** Logs out and closes the session. */
  close(): Promise<void> {
    return this.tokens.run(this.token.serial, () => this.dropSession());
  }

  private dropSession(): void {
    if (this.session) this.tokens.closeSession(this.session);
    this.session = undefined;
    this.keyHandle = undefined;
    this.probed = false;
  }

  private async ensureSession(): Promise<{ session: Buffer; key: Buffer }> {
    if (this.session && this.keyHandle) {
      // A session handed over from the login that found the key: probe it once before first use.
      if (!this.probed) {
        try {
          await this.probe(this.session, this.keyHandle);
        } catch (error) {
          this.dropSession();
          throw error;
        }
        this.probed = true;
      }
      return { session: this.session, key: this.keyHandle };
    }
    const { slot, token } = this.tokens.select({
      label: this.token.label,
      ...(this.options.token?.slot !== undefined ? { slot: this.options.token.slot } : {}),
    });
    const session = this.tokens.openSession(slot);
    try {
      await this.tokens.login(slot, session, token, this.options.pin, this.options);
      const lib = this.tokens.module.lib;
      const keys = this.tokens.findObjects(session, [
        { type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY },
        { type: lib.CKA_ID, value: Buffer.from(this.key.id, 'hex') },
      ]);
      if (keys.length === 0) {
        throw new TokenError(
          'TOKEN_KEY_NOT_FOUND',
          `the private key ${this.key.label} is no longer on the token`,
          {
            messageVi: `khóa bí mật ${this.key.label} không còn trên thiết bị`,
          },
        );
      }
      await this.probe(session, keys[0]!);
      this.probed = true;
      this.session = session;
      this.keyHandle = keys[0]!;
      return { session, key: keys[0]! };
    } catch (error) {
      this.tokens.closeSession(session);
      throw error;
    }
  }

  /** Signs a probe with the key and verifies it with the certificate: the key must be the certificate's. */
  private async probe(session: Buffer, key: Buffer): Promise<void> {
    const probe = new TextEncoder().encode('kyso: does this key belong to this certificate?');
    const value = await this.signWith(session, key, this.mechanism(probe));
    try {
      await verifySignatureValue({
        signedAttributes: probe,
        signatureValue: value,
        algorithm: this.algorithm,
        certificate: this.certificate,
      });
    } catch (error) {
      if (!isKysoError(error) || error.code !== 'SIGNATURE_INVALID') throw error;
      throw new TokenError(
        'TOKEN_KEY_MISMATCH',
        `the private key ${this.key.label} (CKA_ID ${this.key.id}) does not belong to its certificate`,
        {
          messageVi: `khóa bí mật ${this.key.label} (CKA_ID ${this.key.id}) không thuộc về chứng thư số đi kèm`,
          cause: error,
        },
      );
    }
  }

  private digestMechanism(input: Uint8Array): { mechanism: Pkcs11js.Mechanism; input: Buffer } {
    const lib = this.tokens.module.lib;
    const alg = this.algorithm;
    if (alg.name === 'ECDSA') return { mechanism: { mechanism: lib.CKM_ECDSA }, input: Buffer.from(input) };
    if (alg.name === 'RSA-PSS') {
      const m = {
        'SHA-256': [lib.CKM_SHA256, lib.CKG_MGF1_SHA256],
        'SHA-384': [lib.CKM_SHA384, lib.CKG_MGF1_SHA384],
        'SHA-512': [lib.CKM_SHA512, lib.CKG_MGF1_SHA512],
      }[alg.hash];
      return {
        mechanism: {
          mechanism: lib.CKM_RSA_PKCS_PSS,
          parameter: {
            type: lib.CK_PARAMS_RSA_PSS,
            hashAlg: m[0]!,
            mgf: m[1]!,
            saltLen: alg.saltLength,
          } as Pkcs11js.IParams,
        },
        input: Buffer.from(input),
      };
    }
    return { mechanism: { mechanism: lib.CKM_RSA_PKCS }, input: Buffer.from(input) };
  }

  private mechanism(data: Uint8Array): { mechanism: Pkcs11js.Mechanism; input: Buffer } {
    const lib = this.tokens.module.lib;
    const alg = this.algorithm;
    const digest = () => createHash(HASH_NODE[alg.hash]).update(data).digest();
    if (alg.name === 'ECDSA') return { mechanism: { mechanism: lib.CKM_ECDSA }, input: digest() };
    if (alg.name === 'RSA-PSS') {
      const m = {
        'SHA-256': [lib.CKM_SHA256_RSA_PKCS_PSS, lib.CKM_SHA256, lib.CKG_MGF1_SHA256],
        'SHA-384': [lib.CKM_SHA384_RSA_PKCS_PSS, lib.CKM_SHA384, lib.CKG_MGF1_SHA384],
        'SHA-512': [lib.CKM_SHA512_RSA_PKCS_PSS, lib.CKM_SHA512, lib.CKG_MGF1_SHA512],
      }[alg.hash];
      return {
        mechanism: {
          mechanism: m[0]!,
          parameter: {
            type: lib.CK_PARAMS_RSA_PSS,
            hashAlg: m[1]!,
            mgf: m[2]!,
            saltLen: alg.saltLength,
          } as Pkcs11js.IParams,
        },
        input: Buffer.from(data),
      };
    }
    if (this.options.hashOnToken === false) {
      return {
        mechanism: { mechanism: lib.CKM_RSA_PKCS },
        input: Buffer.from(digestInfo(alg.hash, digest())),
      };
    }
    const m = {
      'SHA-256': lib.CKM_SHA256_RSA_PKCS,
      'SHA-384': lib.CKM_SHA384_RSA_PKCS,
      'SHA-512': lib.CKM_SHA512_RSA_PKCS,
    }[alg.hash];
    return { mechanism: { mechanism: m }, input: Buffer.from(data) };
  }
}

/** PKCS#11's raw r||s ECDSA signature as a DER Ecdsa-Sig-Value. */
export function rawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const int = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i += 1;
    let v = bytes.subarray(i);
    if (v[0]! & 0x80) v = Uint8Array.from([0, ...v]);
    return Uint8Array.from([0x02, v.length, ...v]);
  };
  const r = int(raw.subarray(0, half));
  const s = int(raw.subarray(half));
  const body = Uint8Array.from([...r, ...s]);
  return body.length < 0x80
    ? Uint8Array.from([0x30, body.length, ...body])
    : Uint8Array.from([0x30, 0x81, body.length, ...body]);
}
