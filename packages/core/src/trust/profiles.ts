import { KysoError } from '../errors.js';
import { fromBase64 } from '../lib/bytes.js';
import { parseCertificateDer } from '../x509/certificate.js';
import { certificateFingerprint } from '../x509/describe.js';
import { TrustStore } from './store.js';
import { VN_CERTIFICATES } from './vn-certificates.js';

/**
 * Built-in trust profiles made from the national CAs' published certificates, each pinned by its
 * SHA-256 fingerprint:
 * - `vn-gov`: Ban Cơ yếu Chính phủ, the public-service (chuyên dùng công vụ) hierarchy: the G1 root
 *   "Co quan chung thuc so chuyen dung Chinh phu (RootCA)" (SHA-1, 2010–2030) and the G2 root
 *   "RootCA chuyên dùng Chính phủ G2" (2018–2048), with their published intermediates.
 * - `vn-public`: the national public roots of NEAC (MIC National Root CA, Vietnam National Root CA
 *   G2 and G3) with the public CAs' intermediates found published.
 */
export type TrustProfileName = 'vn-gov' | 'vn-public';

/** The names of the built-in profiles. */
export const TRUST_PROFILES: readonly TrustProfileName[] = ['vn-gov', 'vn-public'];

/**
 * A built-in trust profile as a {@link TrustStore}; every certificate is checked against its pin.
 *
 * @example
 * ```ts
 * const report = await verifyPdf(pdf, { trustAnchors: trustProfile('vn-gov') });
 * ```
 */
export function trustProfile(name: TrustProfileName): TrustStore {
  if (!TRUST_PROFILES.includes(name)) {
    throw new KysoError(
      'INPUT_INVALID',
      `unknown trust profile "${name}"; known: ${TRUST_PROFILES.join(', ')}`,
      {
        messageVi: `không có hồ sơ tin cậy "${name}"; các hồ sơ có: ${TRUST_PROFILES.join(', ')}`,
      },
    );
  }
  const store = new TrustStore();
  for (const entry of VN_CERTIFICATES) {
    if (entry.profile !== name) continue;
    const cert = parseCertificateDer(fromBase64(entry.der));
    if (certificateFingerprint(cert) !== entry.sha256) {
      throw new KysoError(
        'CERT_MALFORMED',
        `the built-in certificate "${entry.name}" does not match its pinned fingerprint`,
        {
          messageVi: `chứng thư số tích hợp "${entry.name}" không khớp dấu vân tay đã ghim`,
        },
      );
    }
    if (entry.role === 'anchor') store.addAnchors([cert]);
    else store.addIntermediates([cert]);
  }
  return store;
}

/** The pinned SHA-256 fingerprints of a profile's anchors and intermediates, for integrators to re-check. */
export function trustProfilePins(name: TrustProfileName): { name: string; role: string; sha256: string }[] {
  return VN_CERTIFICATES.filter((e) => e.profile === name).map((e) => ({
    name: e.name,
    role: e.role,
    sha256: e.sha256,
  }));
}
