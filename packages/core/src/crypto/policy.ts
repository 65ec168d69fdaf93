import type { LocalizedMessage } from '../report.js';
import type { AlgorithmIdentifier, SubjectPublicKeyInfo } from '../x509/certificate.js';
import { describePublicKey, signatureScheme } from './algorithms.js';

/**
 * Cryptographic constraints: which signature hashes and key sizes kyso accepts, and from when they
 * only earn a warning or are refused. The default keeps SHA-1 acceptable with a warning, because the
 * Ban Cơ yếu G1 hierarchy ("Co quan chung thuc so chuyen dung Chinh phu (RootCA)", valid to 2030) is
 * signed with SHA-1 and still in force; it must be neither silently rejected nor silently accepted.
 */

/** The verdict of a cryptographic constraints policy. */
export type CryptoVerdict = { status: 'accept' } | { status: 'warn' | 'reject'; message: LocalizedMessage };

/** A cryptographic constraints policy. */
export interface CryptoPolicy {
  /** Judges the signature algorithm of an object signed at (or validated at) `time`. */
  signature(algorithm: AlgorithmIdentifier, time: Date): CryptoVerdict;
  /** Judges a public key used at `time`. */
  publicKey(key: SubjectPublicKeyInfo, time: Date): CryptoVerdict;
}

/** Options of {@link createCryptoPolicy}. */
export interface CryptoPolicyOptions {
  /** SHA-1 signatures: `warn` (default), `accept` or `reject`. */
  sha1?: 'accept' | 'warn' | 'reject';
  /** From this date SHA-1 is rejected whatever `sha1` says (default: 2031-01-01, after G1 expires). */
  sha1RejectedFrom?: Date;
  /** Smallest RSA/DSA key accepted without a warning (default 2048). */
  minRsaBits?: number;
  /** Smallest RSA/DSA key accepted at all (default 1024). */
  minRsaBitsHard?: number;
}

/** Builds a {@link CryptoPolicy}; with no options it is kyso's default. */
export function createCryptoPolicy(options: CryptoPolicyOptions = {}): CryptoPolicy {
  const sha1 = options.sha1 ?? 'warn';
  const sha1RejectedFrom = options.sha1RejectedFrom ?? new Date('2031-01-01T00:00:00Z');
  const soft = options.minRsaBits ?? 2048;
  const hard = options.minRsaBitsHard ?? 1024;
  return {
    signature(algorithm, time) {
      let scheme: ReturnType<typeof signatureScheme>;
      try {
        scheme = signatureScheme(algorithm);
      } catch {
        return {
          status: 'reject',
          message: {
            en: `signature algorithm ${algorithm.oid} is not accepted`,
            vi: `thuật toán chữ ký ${algorithm.oid} không được chấp nhận`,
          },
        };
      }
      if (scheme.hash !== 'SHA-1') return { status: 'accept' };
      const status = time >= sha1RejectedFrom ? 'reject' : sha1;
      if (status === 'accept') return { status };
      return {
        status,
        message: {
          en: `signed with SHA-1, which is weak${status === 'warn' ? '; accepted for now (e.g. the Ban Cơ yếu G1 hierarchy, valid until 2030)' : ''}`,
          vi: `ký bằng SHA-1, thuật toán yếu${status === 'warn' ? '; tạm chấp nhận (ví dụ hệ thống G1 của Ban Cơ yếu, hiệu lực đến 2030)' : ''}`,
        },
      };
    },
    publicKey(key) {
      const { algorithm, size } = describePublicKey(key);
      if (algorithm !== 'RSA' && algorithm !== 'RSA-PSS' && algorithm !== 'DSA') return { status: 'accept' };
      // A DSA key that inherits its parameters has no size of its own; its issuer's was judged.
      if (algorithm === 'DSA' && size === 0) return { status: 'accept' };
      if (size >= soft) return { status: 'accept' };
      const status = size < hard ? 'reject' : 'warn';
      return {
        status,
        message: {
          en: `${algorithm} key of ${size} bits${status === 'warn' ? ' is below the recommended 2048' : ' is too short'}`,
          vi: `khóa ${algorithm} ${size} bit${status === 'warn' ? ' ngắn hơn mức khuyến nghị 2048' : ' quá ngắn'}`,
        },
      };
    },
  };
}

/** kyso's default cryptographic constraints. */
export const defaultCryptoPolicy: CryptoPolicy = createCryptoPolicy();
