import { children, type DerElement, readDer, readOid, TAG } from '../../src/lib/der.js';
import { tlv } from '../../src/lib/der-write.js';

/**
 * Edits DER the way an attacker would: replace, remove or insert one element found by a path of
 * child indexes from the root, re-encoding the lengths of every element around it. The input must
 * be DER (definite lengths); everything outside the edited path is kept byte for byte.
 */
export type Edit = { replace: Uint8Array } | { remove: true } | { insertBefore: Uint8Array };

export function editDer(der: Uint8Array, path: readonly number[], edit: Edit): Uint8Array {
  return rebuild(readDer(der, 'edit'), path, edit);
}

function rebuild(el: DerElement, path: readonly number[], edit: Edit): Uint8Array {
  const [index, ...rest] = path;
  const kids = children(el, 'edit').map((k) => k.raw);
  if (index === undefined) throw new Error('empty path');
  if (rest.length > 0) {
    kids[index] = rebuild(children(el, 'edit')[index]!, rest, edit);
  } else if ('replace' in edit) {
    kids[index] = edit.replace;
  } else if ('remove' in edit) {
    kids.splice(index, 1);
  } else {
    kids.splice(index, 0, edit.insertBefore);
  }
  return tlv(el.tag, ...kids);
}

/** The element at `path`. */
export function elementAt(der: Uint8Array, path: readonly number[]): DerElement {
  let el = readDer(der, 'edit');
  for (const i of path) el = children(el, 'edit')[i]!;
  return el;
}

/** Index of the attribute with `oid` in the attribute set at `path`. */
export function attributeIndex(der: Uint8Array, path: readonly number[], oid: string): number {
  return children(elementAt(der, path), 'edit').findIndex(
    (a) => a.tag === TAG.SEQUENCE && readOid(children(a, 'edit')[0]!, 'edit') === oid,
  );
}

/** Paths into a DER ContentInfo holding SignedData. */
export const SD = [1, 0] as const;
/** The path of SignedData's last child (SignerInfos) and of the first SignerInfo's signed attributes. */
export function signerInfosPath(der: Uint8Array): number[] {
  return [...SD, children(elementAt(der, [...SD]), 'edit').length - 1];
}
