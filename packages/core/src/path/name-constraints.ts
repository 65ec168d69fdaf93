import type { Certificate } from '../x509/certificate.js';
import type { GeneralSubtree } from '../x509/extensions.js';
import type { GeneralName } from '../x509/general-name.js';
import { type DistinguishedName, nameHasPrefix, nameValues, OID_EMAIL_ADDRESS } from '../x509/name.js';

/**
 * Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)–(c), §6.1.4 (g)). Instead of computing the
 * intersection of permitted subtrees, every nameConstraints extension met on the path is kept: a
 * name must fall inside some permitted subtree of its type in each of them, and inside no excluded
 * subtree of any. That is the same set of names, with no subtree arithmetic to get wrong.
 */
export class NameConstraintsState {
  private readonly permitted: GeneralSubtree[][] = [];
  private readonly excluded: GeneralSubtree[] = [];

  /** §6.1.4 (g): adds the constraints of a CA certificate. */
  add(constraints: { permitted: GeneralSubtree[]; excluded: GeneralSubtree[] }): void {
    if (constraints.permitted.length > 0) this.permitted.push(constraints.permitted);
    this.excluded.push(...constraints.excluded);
  }

  /** Whether anything constrains names yet. */
  get active(): boolean {
    return this.permitted.length > 0 || this.excluded.length > 0;
  }

  /**
   * §6.1.3 (b)–(c): the names of `cert` that break the constraints, as readable strings (empty when
   * it complies): the subject DN, e-mail addresses in the subject, and every subjectAltName.
   */
  violations(cert: Certificate): string[] {
    if (!this.active) return [];
    const names: GeneralName[] = [];
    if (cert.subject.rdns.length > 0) names.push({ type: 'directoryName', name: cert.subject });
    const altNames = cert.extensions.subjectAltName?.names ?? [];
    names.push(...altNames);
    // Legacy e-mail in the subject (emailAddress), checked as rfc822Name when no SAN carries one.
    if (!altNames.some((n) => n.type === 'rfc822Name')) {
      for (const email of nameValues(cert.subject, OID_EMAIL_ADDRESS))
        names.push({ type: 'rfc822Name', value: email });
    }
    const out: string[] = [];
    for (const name of names) {
      for (const subtrees of this.permitted) {
        const sameType = subtrees.filter((s) => s.base.type === name.type);
        if (sameType.length > 0 && !sameType.some((s) => matches(name, s.base))) {
          out.push(`${describe(name)} is outside the permitted subtrees`);
          break;
        }
      }
      if (this.excluded.some((s) => s.base.type === name.type && matches(name, s.base))) {
        out.push(`${describe(name)} is inside an excluded subtree`);
      }
    }
    return out;
  }
}

function describe(name: GeneralName): string {
  switch (name.type) {
    case 'directoryName':
      return `directory name ${name.name.rdns.map((r) => r.map((a) => `${a.shortName}=${a.value}`).join('+')).join(', ')}`;
    case 'rfc822Name':
    case 'dNSName':
    case 'uniformResourceIdentifier':
      return `${name.type} ${name.value}`;
    case 'iPAddress':
      return `iPAddress ${Array.from(name.bytes).join('.')}`;
    default:
      return name.type;
  }
}

/** Whether `name` falls inside the subtree rooted at `base` (same type). */
export function matches(name: GeneralName, base: GeneralName): boolean {
  if (name.type === 'directoryName' && base.type === 'directoryName') return dnMatches(name.name, base.name);
  if (name.type === 'rfc822Name' && base.type === 'rfc822Name') return emailMatches(name.value, base.value);
  if (name.type === 'dNSName' && base.type === 'dNSName') return dnsMatches(name.value, base.value);
  if (name.type === 'uniformResourceIdentifier' && base.type === 'uniformResourceIdentifier') {
    return uriMatches(name.value, base.value);
  }
  if (name.type === 'iPAddress' && base.type === 'iPAddress') return ipMatches(name.bytes, base.bytes);
  // Other types kyso cannot compare: treat as matching, which makes an excluded subtree reject and
  // a permitted subtree accept — the same as RFC 5280 leaves to unrecognised forms.
  return name.type === base.type;
}

function dnMatches(name: DistinguishedName, base: DistinguishedName): boolean {
  return nameHasPrefix(name, base);
}

/** RFC 5280: a mailbox, a host (all mailboxes on it), or `.domain` (all hosts below it). */
function emailMatches(email: string, constraint: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 0) return false;
  const local = email.slice(0, at);
  const host = email.slice(at + 1).toLowerCase();
  const c = constraint.toLowerCase();
  if (c.includes('@')) {
    const cAt = c.lastIndexOf('@');
    return local === constraint.slice(0, cAt) && host === c.slice(cAt + 1);
  }
  if (c.startsWith('.')) return host.endsWith(c);
  return host === c;
}

/** A DNS name matches when it equals the constraint or ends with it on a label boundary. */
function dnsMatches(dns: string, constraint: string): boolean {
  const name = dns.toLowerCase().replace(/\.$/, '');
  let c = constraint.toLowerCase().replace(/\.$/, '');
  if (c === '') return true;
  if (c.startsWith('.')) return name.endsWith(c);
  if (name === c) return true;
  c = `.${c}`;
  return name.endsWith(c);
}

/** URI constraints apply to the host: `.example.com` matches hosts below, `example.com` that host. */
function uriMatches(uri: string, constraint: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  if (!m) return false;
  const host = m[1]!.toLowerCase();
  const c = constraint.toLowerCase();
  if (c.startsWith('.')) return host.endsWith(c);
  return host === c;
}

/** An IP constraint is address followed by mask, of twice the address length. */
function ipMatches(ip: Uint8Array, constraint: Uint8Array): boolean {
  if (constraint.length !== ip.length * 2) return false;
  for (let i = 0; i < ip.length; i += 1) {
    const mask = constraint[ip.length + i]!;
    if ((ip[i]! & mask) !== (constraint[i]! & mask)) return false;
  }
  return true;
}
