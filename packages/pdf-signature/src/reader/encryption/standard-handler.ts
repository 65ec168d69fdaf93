import { PdfError } from '../../errors.js';
import { PdfDict, PdfName, PdfStream, PdfString, type PdfValue } from '../objects.js';
import { aesCbcDecryptRaw } from './aes.js';
import { md5 } from './md5.js';
import { rc4 } from './rc4.js';

/**
 * The Standard security handler of ISO 32000-2 §7.6.4, for reading: it authenticates a password
 * (the user's, empty by default, or the owner's), derives the file key, and decrypts strings and
 * streams as the reader meets them. Revisions 2 to 4 (RC4 40 and 128 bits, AES-128 with crypt
 * filters), and revisions 5 and 6 (AES-256; the hash of §7.6.4.3.4 for 6).
 */

/** How a document is encrypted, as {@link PdfDocument.encryption} reports it. */
export interface EncryptionInfo {
  /** The security handler (`Standard`: the only one kyso reads). */
  filter: string;
  /** /V, the algorithm's version. */
  version: number;
  /** /R, the Standard handler's revision. */
  revision: number;
  /** What decrypts streams (`RC4-40`, `RC4-128`, `AES-128`, `AES-256`, `none`). */
  streams: CipherName;
  /** What decrypts strings. */
  strings: CipherName;
  /** Whether the document-level XMP metadata stream is encrypted (/EncryptMetadata). */
  encryptMetadata: boolean;
  /** The password that opened it: the user password (empty or given), or the owner password. */
  authenticatedAs: 'user' | 'owner';
  /** Whether the user password is empty: anyone can open the file. */
  userPasswordEmpty: boolean;
}

/** A cipher a crypt filter names. */
export type CipherName = 'RC4-40' | 'RC4-128' | 'AES-128' | 'AES-256' | 'none';

/** One crypt filter: its method and key length in bytes. */
interface CryptFilter {
  method: 'RC4' | 'AESV2' | 'AESV3' | 'None';
  keyBytes: number;
}

/** The 32-byte padding of Algorithm 2 (ISO 32000-2 §7.6.4.3.2, step a). */
const PAD = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e,
  0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

const malformed = (en: string, vi: string) =>
  new PdfError('PDF_MALFORMED', `the /Encrypt dictionary ${en}`, { messageVi: `từ điển /Encrypt ${vi}` });

const unsupported = (en: string, vi: string) =>
  new PdfError('PDF_ENCRYPTED', `the PDF is encrypted with ${en}, which kyso cannot read`, {
    messageVi: `tệp PDF được mã hóa bằng ${vi}, kyso không đọc được`,
  });

/** The bytes of a string entry of the /Encrypt dictionary. */
function bytesOf(dict: PdfDict, key: string, min: number): Uint8Array {
  const v = dict.get(key);
  if (!(v instanceof PdfString) || v.bytes.length < min)
    throw malformed(
      `has no valid /${key} (at least ${min} bytes)`,
      `không có /${key} hợp lệ (ít nhất ${min} byte)`,
    );
  return v.bytes;
}

/**
 * The password as bytes: for revisions 2 to 4 in PDFDocEncoding (Latin-1 here; other characters
 * as UTF-8, as Acrobat does when they cannot be encoded), for 5 and 6 UTF-8 after Unicode
 * normalisation (NFKC, the heart of SASLprep), at most 127 bytes.
 */
function passwordBytes(password: string | Uint8Array, revision: number): Uint8Array {
  if (password instanceof Uint8Array) return revision >= 5 ? password.subarray(0, 127) : password;
  if (revision >= 5) return new TextEncoder().encode(password.normalize('NFKC')).subarray(0, 127);
  if ([...password].every((c) => c.charCodeAt(0) <= 0xff && c.length === 1))
    return Uint8Array.from([...password].map((c) => c.charCodeAt(0)));
  return new TextEncoder().encode(password);
}

/** A password padded or truncated to 32 bytes (Algorithm 2, step a). */
function padded(password: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  const n = Math.min(32, password.length);
  out.set(password.subarray(0, n));
  out.set(PAD.subarray(0, 32 - n), n);
  return out;
}

async function sha(name: 'SHA-256' | 'SHA-384' | 'SHA-512', data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest(name, data as Uint8Array<ArrayBuffer>));
}

/** AES-128-CBC encryption without padding, through WebCrypto (it pads; the pad block is dropped). */
async function aes128CbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await globalThis.crypto.subtle.importKey(
    'raw',
    key as Uint8Array<ArrayBuffer>,
    'AES-CBC',
    false,
    ['encrypt'],
  );
  const out = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-CBC', iv: iv as Uint8Array<ArrayBuffer> },
    k,
    data as Uint8Array<ArrayBuffer>,
  );
  return new Uint8Array(out, 0, data.length);
}

/**
 * The hash of revision 6 (ISO 32000-2 §7.6.4.3.4, Algorithm 2.B): SHA-256, then at least 64
 * rounds of AES-128-CBC over 64 copies of (password, K, user data), each round's hash chosen by
 * the encrypted bytes; revision 5 uses the first SHA-256 alone.
 */
async function hardenedHash(
  revision: number,
  password: Uint8Array,
  salt: Uint8Array,
  userData: Uint8Array,
): Promise<Uint8Array> {
  let k = await sha('SHA-256', concat(password, salt, userData));
  if (revision < 6) return k;
  let e: Uint8Array = new Uint8Array(0);
  for (let round = 0; round < 64 || e[e.length - 1]! > round - 32; ) {
    const block = concat(password, k, userData);
    const k1 = new Uint8Array(block.length * 64);
    for (let i = 0; i < 64; i += 1) k1.set(block, i * block.length);
    e = await aes128CbcEncrypt(k.subarray(0, 16), k.subarray(16, 32), k1);
    // The first 16 bytes of E as a number, modulo 3: 256 ≡ 1 (mod 3), so the sum of its bytes.
    let sum = 0;
    for (let i = 0; i < 16; i += 1) sum += e[i]!;
    k = await sha(sum % 3 === 0 ? 'SHA-256' : sum % 3 === 1 ? 'SHA-384' : 'SHA-512', e);
    round += 1;
  }
  return k.subarray(0, 32);
}

/** Options of opening an encrypted document (`PdfDocument.open`). */
export interface DecryptionOptions {
  /** The user or the owner password (default: the empty user password). */
  password?: string | Uint8Array;
}

/**
 * Decrypts a document's strings and streams with its file key. Built by
 * {@link StandardSecurityHandler.open} once the password is authenticated; then synchronous.
 */
export class StandardSecurityHandler {
  /** Streams the reader met, with the object they belong to (a stream is decrypted when read). */
  private readonly streams = new WeakMap<PdfStream, { num: number; gen: number }>();
  private readonly decrypted = new WeakMap<object, PdfValue>();

  private constructor(
    readonly info: EncryptionInfo,
    private readonly fileKey: Uint8Array,
    private readonly filters: Map<string, CryptFilter>,
    private readonly stmF: string,
    private readonly strF: string,
    private readonly eff: string,
    /** The object number of the /Encrypt dictionary, never encrypted. */
    private readonly encryptObject: number | undefined,
  ) {}

  /**
   * Reads the /Encrypt dictionary and authenticates `password` (the empty user password when
   * none is given), as user password first, then as owner password.
   *
   * @throws PdfError `PDF_PASSWORD_REQUIRED` when the empty password does not open the file and
   *   none was given; `PDF_PASSWORD_INCORRECT` when the given one opens it neither as user nor as
   *   owner; `PDF_ENCRYPTED` for a security handler or revision kyso does not read.
   */
  static async open(
    encrypt: PdfDict,
    id: Uint8Array,
    encryptObject: number | undefined,
    options: DecryptionOptions = {},
  ): Promise<StandardSecurityHandler> {
    const filter = encrypt.name('Filter') ?? '';
    if (filter !== 'Standard')
      throw unsupported(
        `the security handler /${filter} (certificates or a vendor's handler)`,
        `trình bảo mật /${filter} (chứng thư số hoặc trình riêng của hãng)`,
      );
    const v = encrypt.get('V');
    const r = encrypt.get('R');
    const version = typeof v === 'number' ? v : 0;
    const revision = typeof r === 'number' ? r : 0;
    if (![1, 2, 4, 5].includes(version) || ![2, 3, 4, 5, 6].includes(revision))
      throw unsupported(`/V ${version} /R ${revision}`, `/V ${version} /R ${revision}`);
    const encryptMetadata = encrypt.get('EncryptMetadata') !== false;
    const lengthBits = typeof encrypt.get('Length') === 'number' ? (encrypt.get('Length') as number) : 40;
    // The file key's length (Algorithm 2): 40 bits for V 1, /Length for V 2 and 3, 128 bits for V 4.
    const keyBytes =
      version === 1 ? 5 : version >= 4 ? 16 : Math.max(5, Math.min(16, Math.floor(lengthBits / 8)));
    // Crypt filters: V 1 and 2 use RC4 for everything; V 4 and 5 name them (§7.6.6).
    const filters = new Map<string, CryptFilter>([['Identity', { method: 'None', keyBytes: 0 }]]);
    let stmF = 'StdCF';
    let strF = 'StdCF';
    let eff = 'StdCF';
    if (version >= 4) {
      const cf = encrypt.get('CF');
      if (cf instanceof PdfDict)
        for (const [name, value] of cf.map) {
          if (!(value instanceof PdfDict) || name === 'Identity') continue;
          const cfm = value.name('CFM') ?? 'None';
          if (cfm !== 'V2' && cfm !== 'AESV2' && cfm !== 'AESV3' && cfm !== 'None')
            throw unsupported(`the crypt filter method /${cfm}`, `phương thức lọc mã hóa /${cfm}`);
          const len = value.get('Length');
          // /Length of a crypt filter is in bytes (some writers put bits): 40 to 128 bits for RC4.
          const bytes = typeof len === 'number' ? (len > 32 ? len / 8 : len) : 16;
          filters.set(name, {
            method: cfm === 'V2' ? 'RC4' : cfm,
            keyBytes: cfm === 'AESV3' ? 32 : cfm === 'AESV2' ? 16 : Math.max(5, Math.min(16, bytes)),
          });
        }
      stmF = encrypt.name('StmF') ?? 'Identity';
      strF = encrypt.name('StrF') ?? 'Identity';
      eff = encrypt.name('EFF') ?? stmF;
      for (const used of [stmF, strF, eff])
        if (!filters.has(used))
          throw malformed(
            `names the crypt filter /${used} but does not define it`,
            `nêu bộ lọc /${used} nhưng không định nghĩa`,
          );
    } else filters.set('StdCF', { method: 'RC4', keyBytes });
    const given = options.password !== undefined;
    const password = passwordBytes(options.password ?? '', revision);
    const auth =
      revision >= 5
        ? await authenticateAes256(encrypt, revision, password)
        : authenticateRc4(encrypt, revision, password, id, encryptMetadata, keyBytes);
    if (!auth) {
      if (!given)
        throw new PdfError(
          'PDF_PASSWORD_REQUIRED',
          'the PDF is encrypted with a user password: give the password (option `password`) to open it',
          {
            messageVi:
              'tệp PDF được mã hóa bằng mật khẩu người dùng: cần cung cấp mật khẩu (tùy chọn `password`) để mở',
          },
        );
      throw new PdfError(
        'PDF_PASSWORD_INCORRECT',
        'the password given opens the PDF neither as its user nor as its owner',
        {
          messageVi: 'mật khẩu đã cho không mở được tệp PDF (không phải mật khẩu người dùng hay chủ sở hữu)',
        },
      );
    }
    const cipher = (name: string): CipherName => {
      const f = filters.get(name)!;
      if (f.method === 'None') return 'none';
      if (f.method === 'AESV3') return 'AES-256';
      if (f.method === 'AESV2') return 'AES-128';
      return f.keyBytes <= 5 ? 'RC4-40' : 'RC4-128';
    };
    // The user password is empty when the empty password authenticates as user.
    const userPasswordEmpty =
      auth.as === 'user' && password.length === 0
        ? true
        : (revision >= 5
            ? await authenticateAes256(encrypt, revision, new Uint8Array(0), 'user')
            : authenticateRc4(
                encrypt,
                revision,
                new Uint8Array(0),
                id,
                encryptMetadata,
                keyBytes,
                'user',
              )) !== undefined;
    return new StandardSecurityHandler(
      {
        filter,
        version,
        revision,
        streams: cipher(stmF),
        strings: cipher(strF),
        encryptMetadata,
        authenticatedAs: auth.as,
        userPasswordEmpty,
      },
      auth.key,
      filters,
      stmF,
      strF,
      eff,
      encryptObject,
    );
  }

  /** The key of object `num` `gen` for a crypt filter (Algorithm 1; the file key for AESV3). */
  private objectKey(f: CryptFilter, num: number, gen: number): Uint8Array {
    if (f.method === 'AESV3') return this.fileKey;
    const key = this.fileKey.subarray(0, f.method === 'AESV2' ? 16 : f.keyBytes);
    const salt = f.method === 'AESV2' ? [0x73, 0x41, 0x6c, 0x54] : [];
    const h = md5(
      concat(
        key,
        Uint8Array.from([
          num & 0xff,
          (num >> 8) & 0xff,
          (num >> 16) & 0xff,
          gen & 0xff,
          (gen >> 8) & 0xff,
          ...salt,
        ]),
      ),
    );
    return h.subarray(0, Math.min(key.length + 5, 16));
  }

  /** Decrypts `data` with crypt filter `name` for object `num` `gen`. */
  private decrypt(name: string, data: Uint8Array, num: number, gen: number): Uint8Array {
    const f = this.filters.get(name);
    if (!f || f.method === 'None') return data;
    const key = this.objectKey(f, num, gen);
    if (f.method === 'RC4') return rc4(key, data);
    // AES: a 16-byte initialisation vector, the blocks, PKCS#7 padding (§7.6.3.2). Writers leave
    // empty strings empty; a body that is not whole blocks is cut to them, as viewers do.
    if (data.length < 32) return new Uint8Array(0);
    const body = data.subarray(16, 16 + Math.floor((data.length - 16) / 16) * 16);
    const plain = aesCbcDecryptRaw(key, data.subarray(0, 16), body);
    const pad = plain[plain.length - 1]!;
    if (pad >= 1 && pad <= 16 && plain.length >= pad) {
      let ok = true;
      for (let i = plain.length - pad; i < plain.length; i += 1) if (plain[i] !== pad) ok = false;
      if (ok) return plain.subarray(0, plain.length - pad);
    }
    return plain;
  }

  /**
   * The value of indirect object `num` `gen` with its strings decrypted, its streams remembered for
   * {@link streamData}. Strings inside object streams are not encrypted (the object stream is),
   * nor the /Encrypt dictionary, nor cross-reference streams, nor a signature dictionary's
   * /Contents (ISO 32000-2 §7.6.2).
   */
  decryptObject(value: PdfValue, num: number, gen: number): PdfValue {
    if (num === this.encryptObject || value === null || typeof value !== 'object') return value;
    const hit = this.decrypted.get(value);
    if (hit !== undefined) return hit;
    let out: PdfValue;
    if (value instanceof PdfStream) {
      if (value.dict.name('Type') === 'XRef') return value;
      out = new PdfStream(this.walkDict(value.dict, num, gen, 0), value.dataStart, value.dataEnd);
      this.streams.set(out, { num, gen });
    } else out = this.walk(value, num, gen, 0);
    this.decrypted.set(value, out);
    return out;
  }

  private walk(value: PdfValue, num: number, gen: number, depth: number): PdfValue {
    if (depth > 256) return value;
    if (value instanceof PdfString)
      return new PdfString(this.decrypt(this.strF, value.bytes, num, gen), value.hex, value.start, value.end);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, num, gen, depth + 1));
    if (value instanceof PdfDict) return this.walkDict(value, num, gen, depth);
    return value;
  }

  private walkDict(dict: PdfDict, num: number, gen: number, depth: number): PdfDict {
    const signature =
      ['Sig', 'DocTimeStamp'].includes(dict.name('Type') ?? '') ||
      (Array.isArray(dict.get('ByteRange')) && dict.get('Contents') instanceof PdfString);
    const map = new Map<string, PdfValue>();
    for (const [key, v] of dict.map) {
      if (signature && key === 'Contents' && v instanceof PdfString) {
        map.set(key, this.signatureContents(v, num, gen));
        continue;
      }
      map.set(key, this.walk(v, num, gen, depth + 1));
    }
    return new PdfDict(map, dict.start, dict.end);
  }

  /**
   * A signature dictionary's /Contents is not encrypted (ISO 32000-2 §7.6.2). ISO 32000-1 did
   * not say so and some older writers encrypted it: the written bytes are kept when they are a DER
   * element (a CMS SEQUENCE, or the OCTET STRING of adbe.x509.rsa_sha1) followed by nothing but
   * zero padding, or all zeros (a placeholder); the decrypted ones are used only when they are
   * such an element and the written ones are not.
   */
  private signatureContents(v: PdfString, num: number, gen: number): PdfString {
    if (v.bytes.every((b) => b === 0) || looksLikeDer(v.bytes)) return v;
    try {
      const plain = this.decrypt(this.strF, v.bytes, num, gen);
      if (looksLikeDer(plain)) return new PdfString(plain, v.hex, v.start, v.end);
    } catch {
      // not decryptable: keep what is written
    }
    return v;
  }

  /** A stream's data as read from the file, decrypted when its object is encrypted. */
  streamData(stream: PdfStream, raw: Uint8Array): Uint8Array {
    const owner = this.streams.get(stream);
    if (!owner) return raw;
    const dict = stream.dict;
    const type = dict.name('Type');
    if (type === 'Metadata' && !this.info.encryptMetadata) return raw;
    // A /Crypt filter first in the chain names the stream's own crypt filter (§7.4.10).
    const filter = dict.get('Filter');
    const first = Array.isArray(filter) ? filter[0] : filter;
    if (first instanceof PdfName && first.name === 'Crypt') {
      const parms = dict.get('DecodeParms');
      const p = Array.isArray(parms) ? parms[0] : parms;
      const name = p instanceof PdfDict ? (p.name('Name') ?? 'Identity') : 'Identity';
      if (!this.filters.has(name))
        throw malformed(
          `does not define the crypt filter /${name} a stream names`,
          `không định nghĩa bộ lọc /${name} mà một luồng nêu`,
        );
      return this.decrypt(name, raw, owner.num, owner.gen);
    }
    return this.decrypt(type === 'EmbeddedFile' ? this.eff : this.stmF, raw, owner.num, owner.gen);
  }
}

/**
 * Whether `b` starts with a DER SEQUENCE or OCTET STRING whose length fits, followed only by zero
 * padding (or a BER indefinite-length SEQUENCE): what a signature's /Contents holds. Ciphertext
 * passes this by chance about once in millions.
 */
function looksLikeDer(b: Uint8Array): boolean {
  if ((b[0] !== 0x30 && b[0] !== 0x04) || b.length < 2) return false;
  if (b[0] === 0x30 && b[1] === 0x80) return true;
  let length = b[1]!;
  let at = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || b.length < 2 + n) return false;
    length = 0;
    for (let i = 0; i < n; i += 1) length = length * 256 + b[2 + i]!;
    at = 2 + n;
  }
  if (at + length > b.length) return false;
  for (let i = at + length; i < b.length; i += 1) if (b[i] !== 0) return false;
  return true;
}

/** Algorithms 2, 6 and 7 (revisions 2 to 4): the file key when `password` is the user's or the owner's. */
function authenticateRc4(
  encrypt: PdfDict,
  revision: number,
  password: Uint8Array,
  id: Uint8Array,
  encryptMetadata: boolean,
  keyBytes: number,
  only?: 'user',
): { key: Uint8Array; as: 'user' | 'owner' } | undefined {
  const o = bytesOf(encrypt, 'O', 32).subarray(0, 32);
  const u = bytesOf(encrypt, 'U', 32).subarray(0, 32);
  const p = encrypt.get('P');
  const perms = typeof p === 'number' ? p : 0;
  const n = revision === 2 ? 5 : keyBytes;
  const fileKey = (pw: Uint8Array) => {
    let h = md5(
      concat(
        padded(pw),
        o,
        Uint8Array.from([perms & 0xff, (perms >> 8) & 0xff, (perms >> 16) & 0xff, (perms >>> 24) & 0xff]),
        id,
        revision >= 4 && !encryptMetadata ? Uint8Array.from([0xff, 0xff, 0xff, 0xff]) : new Uint8Array(0),
      ),
    );
    if (revision >= 3) for (let i = 0; i < 50; i += 1) h = md5(h.subarray(0, n));
    return h.subarray(0, n);
  };
  const isUser = (key: Uint8Array) => {
    if (revision === 2) return equalBytes(rc4(key, PAD), u);
    let x = rc4(key, md5(concat(PAD, id)));
    for (let i = 1; i <= 19; i += 1)
      x = rc4(
        key.map((b) => b ^ i),
        x,
      );
    return equalBytes(x, u.subarray(0, 16));
  };
  const userKey = fileKey(password);
  if (isUser(userKey)) return { key: userKey, as: 'user' };
  if (only) return undefined;
  // Algorithm 7: the owner password decrypts /O into the user password.
  let h = md5(padded(password));
  if (revision >= 3) for (let i = 0; i < 50; i += 1) h = md5(h);
  const ownerKey = h.subarray(0, n);
  let user = o;
  if (revision === 2) user = rc4(ownerKey, o);
  else
    for (let i = 19; i >= 0; i -= 1)
      user = rc4(
        ownerKey.map((b) => b ^ i),
        user,
      );
  const key = fileKey(user);
  return isUser(key) ? { key, as: 'owner' } : undefined;
}

/** Algorithms 2.A, 11 and 12 (revisions 5 and 6): the file key when `password` is the user's or the owner's. */
async function authenticateAes256(
  encrypt: PdfDict,
  revision: number,
  password: Uint8Array,
  only?: 'user',
): Promise<{ key: Uint8Array; as: 'user' | 'owner' } | undefined> {
  const o = bytesOf(encrypt, 'O', 48).subarray(0, 48);
  const u = bytesOf(encrypt, 'U', 48).subarray(0, 48);
  const unwrap = async (salt: Uint8Array, userData: Uint8Array, wrapped: Uint8Array) =>
    aesCbcDecryptRaw(await hardenedHash(revision, password, salt, userData), new Uint8Array(16), wrapped);
  let found: { key: Uint8Array; as: 'user' | 'owner' } | undefined;
  if (
    equalBytes(
      await hardenedHash(revision, password, u.subarray(32, 40), new Uint8Array(0)),
      u.subarray(0, 32),
    )
  )
    found = {
      key: await unwrap(u.subarray(40, 48), new Uint8Array(0), bytesOf(encrypt, 'UE', 32).subarray(0, 32)),
      as: 'user',
    };
  else if (
    !only &&
    equalBytes(await hardenedHash(revision, password, o.subarray(32, 40), u), o.subarray(0, 32))
  )
    found = {
      key: await unwrap(o.subarray(40, 48), u, bytesOf(encrypt, 'OE', 32).subarray(0, 32)),
      as: 'owner',
    };
  return found;
}
