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
    for (const subtree of constraints.excluded) this.excluded.push(subtree);
  }

  /** Whether some subtree constrains names of `type`. */
  private constrains(type: GeneralName['type']): boolean {
    return (
      this.permitted.some((list) => list.some((s) => s.base.type === type)) ||
      this.excluded.some((s) => s.base.type === type)
    );
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
    for (const name of altNames) names.push(name);
    // Legacy e-mail in the subject (emailAddress), checked as rfc822Name when no SAN carries one.
    if (!altNames.some((n) => n.type === 'rfc822Name')) {
      for (const email of nameValues(cert.subject, OID_EMAIL_ADDRESS))
        names.push({ type: 'rfc822Name', value: email });
    }
    const out: string[] = [];
    // A name that does not parse cannot be shown to lie inside or outside a subtree: refuse it
    // under constraints of its type (as Go and pyca do) rather than let it slip past a string match.
    for (const name of altNames) {
      if (name.type === 'dNSName' && this.constrains('dNSName') && !validDnsName(name.value))
        out.push(`the dNSName "${name.value}" is malformed`);
      if (name.type === 'rfc822Name' && this.constrains('rfc822Name') && !validMailbox(name.value))
        out.push(`the rfc822Name "${name.value}" is malformed`);
    }
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

/**
 * A DNS name as a subjectAltName carries it (RFC 5280 §4.2.1.6, RFC 1034 preferred syntax): labels
 * of letters, digits and hyphens, 1 to 63 octets, not starting or ending with a hyphen, a wildcard
 * only as the whole first label; no empty label. (Underscores are accepted: real names carry them.)
 */
export function validDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  return labels.every(
    (label, i) =>
      (i === 0 && label === '*' && labels.length > 1) ||
      /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label),
  );
}

/** An rfc822Name: `local@domain` (RFC 5280 §4.2.1.6), a printable local part and a valid domain. */
export function validMailbox(mailbox: string): boolean {
  const at = mailbox.lastIndexOf('@');
  if (at <= 0) return false;
  const local = mailbox.slice(0, at);
  return /^[\x21-\x7e]+$/.test(local) && !local.includes('@') && validDnsName(mailbox.slice(at + 1));
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
