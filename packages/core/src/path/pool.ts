import { bytesEqual, toHex } from '../lib/bytes.js';
import type { Certificate } from '../x509/certificate.js';

/** Certificates indexed by subject, for finding the candidate issuers of a certificate. */
export class CertificatePool {
  private readonly bySubject = new Map<string, Certificate[]>();
  private readonly seen = new Set<string>();

  constructor(certs: Iterable<Certificate> = []) {
    for (const c of certs) this.add(c);
  }

  /** Adds a certificate (duplicates by DER are ignored). */
  add(cert: Certificate): void {
    const id = certificateId(cert);
    if (this.seen.has(id)) return;
    this.seen.add(id);
    const list = this.bySubject.get(cert.subject.key);
    if (list) list.push(cert);
    else this.bySubject.set(cert.subject.key, [cert]);
  }

  /** Certificates whose subject matches `name key`. */
  withSubject(subjectKey: string): readonly Certificate[] {
    return this.bySubject.get(subjectKey) ?? [];
  }

  /**
   * Candidate issuers of `cert`, best first. A certificate of the issuer's name whose subject key
   * identifier differs from `cert`'s authority key identifier holds another key: it is no issuer,
   * whatever its name and dates (a CA re-keyed under the same name must not date an older
   * signature). Without both identifiers the name decides, and the signature check of the path
   * does the rest (a missing authorityKeyIdentifier is not a failure: older national chains lack
   * it). Ranked: key identifier match, then validity at `time`, then CA certificates.
   */
  issuersOf(cert: Certificate, time: Date): Certificate[] {
    const aki = cert.extensions.authorityKeyIdentifier?.keyIdentifier;
    const candidates = this.withSubject(cert.issuer.key).filter((c) => {
      if (c === cert || bytesEqual(c.der, cert.der)) return false;
      const ski = c.extensions.subjectKeyIdentifier;
      return !(aki && ski && !bytesEqual(aki, ski));
    });
    const score = (c: Certificate) => {
      const ski = c.extensions.subjectKeyIdentifier;
      let s = 0;
      if (aki && ski) s += 4;
      if (c.notBefore <= time && time <= c.notAfter) s += 2;
      if (c.extensions.basicConstraints?.ca) s += 1;
      return s;
    };
    return candidates
      .map((c) => ({ c, s: score(c) }))
      .sort((a, b) => b.s - a.s)
      .map((x) => x.c);
  }
}

const ids = new WeakMap<Certificate, string>();

/** A cheap identity for a certificate: its DER as hex (cached per parsed object). */
export function certificateId(cert: Certificate): string {
  let id = ids.get(cert);
  if (!id) {
    id = toHex(cert.der);
    ids.set(cert, id);
  }
  return id;
}
