import { KysoError } from '../errors.js';
import type { DerInput } from '../lib/bytes.js';
import type { Certificate } from '../x509/certificate.js';
import { parseCertificates } from '../x509/certificate.js';
import { certificateFingerprint } from '../x509/describe.js';

/**
 * A set of trust anchors and the intermediates that go with them. Anchors are what a path must end
 * at; intermediates only help path building and are never trusted by themselves.
 */
export class TrustStore {
  private readonly anchorList: Certificate[] = [];
  private readonly intermediateList: Certificate[] = [];
  private readonly seen = new Set<string>();

  /** Trust anchors, in the order they were added. */
  get anchors(): readonly Certificate[] {
    return this.anchorList;
  }

  /** Intermediates that help path building. */
  get intermediates(): readonly Certificate[] {
    return this.intermediateList;
  }

  /** Adds trust anchors (duplicates by fingerprint are ignored). Returns the store. */
  addAnchors(certs: Iterable<Certificate>): this {
    for (const c of certs) if (this.remember(c, 'anchor')) this.anchorList.push(c);
    return this;
  }

  /** Adds intermediates. Returns the store. */
  addIntermediates(certs: Iterable<Certificate>): this {
    for (const c of certs) if (this.remember(c, 'intermediate')) this.intermediateList.push(c);
    return this;
  }

  /** Adds every certificate of a PEM bundle, DER file or PKCS#7 bundle as an anchor. */
  addAnchorsFrom(input: DerInput): this {
    const certs = parseCertificates(input);
    if (certs.length === 0) {
      throw new KysoError('INPUT_INVALID', 'the trust input holds no certificate', {
        messageVi: 'dữ liệu tin cậy không chứa chứng thư số nào',
      });
    }
    return this.addAnchors(certs);
  }

  /** Merges another store into this one. */
  merge(other: TrustStore): this {
    return this.addAnchors(other.anchors).addIntermediates(other.intermediates);
  }

  /** Whether a certificate with this SHA-256 fingerprint is an anchor. */
  isAnchor(cert: Certificate): boolean {
    return this.anchorList.some((a) => certificateFingerprint(a) === certificateFingerprint(cert));
  }

  private remember(cert: Certificate, role: string): boolean {
    const key = `${role}:${certificateFingerprint(cert)}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
