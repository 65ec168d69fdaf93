import type { SignatureAlgorithm } from '@kyso/core';
import { PdfError } from '../errors.js';
import type { SigningWarning } from './complete.js';

/**
 * The two-step signing state (pades-notes H2): what complete needs to check a signature value
 * against the preparation, bound to the prepared bytes and protected by an HMAC-SHA-256 under a
 * key only the server holds. It carries hashes, the DER signed attributes and the algorithm; no
 * certificate, no URL, nothing that could make kyso fetch anything.
 *
 * Wire form: `kyso-sign-state.1.<base64url JSON>.<base64url HMAC>`, the HMAC over the first two parts.
 */

/** The level a signature is raised to (ETSI EN 319 142-1 baseline levels). */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/** The content of a state, after its HMAC verified. */
export interface SigningStateContent {
  /** SHA-256 of the prepared bytes, hex. */
  preparedSha256: string;
  /** SHA-256 of the base document the preparation appended to, hex (the key of the document lock). */
  baseSha256: string;
  /** The DER signed attributes (SET, tag 0x31), base64. */
  signedAttributes: string;
  /** SHA-256 of the signer's DER certificate, hex. */
  certificateSha256: string;
  algorithm: SignatureAlgorithm;
  /** When the preparation was made (ISO 8601): the /M it wrote. */
  signingTime: string;
  /** A random identifier of this preparation, hex. */
  id: string;
  /** The preparation's warnings (its appearance's), for complete's result. Absent when none. */
  warnings?: SigningWarning[];
}

const PREFIX = 'kyso-sign-state.1';
const encoder = new TextEncoder();

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromB64url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i += 1) out[i] = s.charCodeAt(i);
  return out;
}

/** Hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Bytes of base64. */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i += 1) out[i] = s.charCodeAt(i);
  return out;
}

/** SHA-256 through WebCrypto. */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length < 32)
    throw new PdfError('PDF_SIGN_INVALID_OPTION', 'the state key must be at least 32 random bytes', {
      messageVi: 'khóa bảo vệ trạng thái phải dài ít nhất 32 byte ngẫu nhiên',
    });
}

async function hmac(key: Uint8Array, data: string): Promise<Uint8Array> {
  const k = await globalThis.crypto.subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', k, encoder.encode(data)));
}

/** Seals `content` with an HMAC-SHA-256 under `key` (at least 32 bytes). */
export async function sealState(content: SigningStateContent, key: Uint8Array): Promise<string> {
  checkKey(key);
  const body = `${PREFIX}.${b64url(encoder.encode(JSON.stringify(content)))}`;
  return `${body}.${b64url(await hmac(key, body))}`;
}

function invalidState(why: string, whyVi: string): PdfError {
  return new PdfError('PDF_SIGN_STATE_INVALID', `the signing state cannot be read: ${why}`, {
    messageVi: `không đọc được trạng thái ký: ${whyVi}`,
  });
}

/**
 * Opens a sealed state: its HMAC is checked (in constant time) before anything in it is read.
 *
 * @throws PdfError `PDF_SIGN_STATE_INVALID` (not a kyso state), `PDF_SIGN_STATE_TAMPERED` (the
 * HMAC does not verify under `key`).
 */
export async function openState(state: string, key: Uint8Array): Promise<SigningStateContent> {
  checkKey(key);
  if (typeof state !== 'string' || state.length > 64 * 1024)
    throw invalidState('not a string of a sensible size', 'không phải chuỗi có kích thước hợp lý');
  const parts = state.trim().split('.');
  if (parts.length !== 4 || `${parts[0]}.${parts[1]}` !== PREFIX)
    throw invalidState(`it does not start with ${PREFIX}`, `không bắt đầu bằng ${PREFIX}`);
  const body = `${PREFIX}.${parts[2]}`;
  let given: Uint8Array;
  try {
    given = fromB64url(parts[3]!);
  } catch {
    throw invalidState('its HMAC is not base64url', 'HMAC không phải base64url');
  }
  const expected = await hmac(key, body);
  // A non-canonical encoding (other unused low bits in the last character) is another state string.
  let diff = (given.length ^ expected.length) | (b64url(given) === parts[3] ? 0 : 1);
  for (let i = 0; i < expected.length; i += 1) diff |= expected[i]! ^ (given[i] ?? 0);
  if (diff !== 0)
    throw new PdfError(
      'PDF_SIGN_STATE_TAMPERED',
      'the signing state was changed, or sealed with another key: it is refused',
      { messageVi: 'trạng thái ký đã bị thay đổi hoặc được niêm phong bằng khóa khác: bị từ chối' },
    );
  let content: SigningStateContent;
  try {
    content = JSON.parse(new TextDecoder().decode(fromB64url(parts[2]!))) as SigningStateContent;
  } catch {
    throw invalidState('its content is not JSON', 'nội dung không phải JSON');
  }
  const strings = [
    'preparedSha256',
    'baseSha256',
    'signedAttributes',
    'certificateSha256',
    'signingTime',
    'id',
  ] as const;
  if (
    typeof content !== 'object' ||
    content === null ||
    strings.some((k) => typeof content[k] !== 'string') ||
    typeof content.algorithm !== 'object' ||
    !(content.warnings === undefined || validWarnings(content.warnings))
  )
    throw invalidState('a field is missing', 'thiếu một trường');
  return content;
}

function validWarnings(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (w) =>
        typeof w === 'object' &&
        w !== null &&
        typeof w.en === 'string' &&
        typeof w.vi === 'string' &&
        (w.code === undefined || typeof w.code === 'string'),
    )
  );
}
