import { KysoError } from '../errors.js';
import { children, contextTag, type DerElement, latin1, readElement, readOid } from '../lib/der.js';
import { type DistinguishedName, parseName } from './name.js';

/** An X.509 GeneralName (RFC 5280 §4.2.1.6). */
export type GeneralName =
  | { type: 'otherName'; oid: string; der: Uint8Array }
  | { type: 'rfc822Name'; value: string }
  | { type: 'dNSName'; value: string }
  | { type: 'x400Address'; der: Uint8Array }
  | { type: 'directoryName'; name: DistinguishedName }
  | { type: 'ediPartyName'; der: Uint8Array }
  | { type: 'uniformResourceIdentifier'; value: string }
  | { type: 'iPAddress'; bytes: Uint8Array }
  | { type: 'registeredID'; oid: string };

/** Parses one GeneralName element. */
export function parseGeneralName(el: DerElement, what: string): GeneralName {
  switch (contextTag(el)) {
    case 0: {
      const [oidEl] = children(el, what);
      if (!oidEl) throw bad(what, el);
      return { type: 'otherName', oid: readOid(oidEl, what), der: el.raw };
    }
    case 1:
      return { type: 'rfc822Name', value: latin1(el.value) };
    case 2:
      return { type: 'dNSName', value: latin1(el.value) };
    case 3:
      return { type: 'x400Address', der: el.raw };
    case 4: {
      const inner = readElement(el.value, 0, what, el.offset + (el.raw.length - el.value.length));
      if (inner.raw.length !== el.value.length) throw bad(what, el);
      return { type: 'directoryName', name: parseName(inner, what) };
    }
    case 5:
      return { type: 'ediPartyName', der: el.raw };
    case 6:
      return { type: 'uniformResourceIdentifier', value: latin1(el.value) };
    case 7:
      return { type: 'iPAddress', bytes: el.value };
    case 8: {
      // [8] IMPLICIT OBJECT IDENTIFIER: re-tag to read it.
      const retagged = new Uint8Array(el.raw);
      retagged[0] = 0x06;
      return { type: 'registeredID', oid: readOid(readElement(retagged, 0, what), what) };
    }
    default:
      throw bad(what, el);
  }
}

/** Parses GeneralNames (a SEQUENCE OF GeneralName) from its element or from the element's children. */
export function parseGeneralNames(elements: readonly DerElement[], what: string): GeneralName[] {
  return elements.map((el) => parseGeneralName(el, what));
}

function bad(what: string, el: DerElement): KysoError {
  return new KysoError('ASN1_MALFORMED', `${what}: bad GeneralName at byte ${el.offset}`, {
    messageVi: `${what}: GeneralName không hợp lệ tại byte ${el.offset}`,
  });
}

/** A GeneralName as text: `email:…`, `DNS:…`, `URI:…`, `IP:…`, `DirName:…`. */
export function formatGeneralName(name: GeneralName): string {
  switch (name.type) {
    case 'rfc822Name':
      return `email:${name.value}`;
    case 'dNSName':
      return `DNS:${name.value}`;
    case 'uniformResourceIdentifier':
      return `URI:${name.value}`;
    case 'iPAddress':
      return `IP:${Array.from(name.bytes).join('.')}`;
    case 'directoryName':
      return `DirName:${name.name.rdns.map((r) => r.map((a) => `${a.shortName}=${a.value}`).join('+')).join('/')}`;
    case 'registeredID':
      return `RID:${name.oid}`;
    case 'otherName':
      return `othername:${name.oid}`;
    default:
      return name.type;
  }
}
