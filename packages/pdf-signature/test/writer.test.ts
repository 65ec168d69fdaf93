import { minimalPdf } from '@kyso/testkit';
import { describe, expect, it } from 'vitest';
import {
  IncrementalUpdate,
  PdfDict,
  PdfDocument,
  PdfName,
  PdfRawStream,
  PdfRef,
  PdfString,
  pdfDate,
  pdfDict,
  pdfHexString,
  pdfTextString,
  serializeIndirectObject,
  serializeValue,
  withEntries,
} from '../src/index.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const ser = (v: Parameters<typeof serializeValue>[0]) => text(serializeValue(v));

/** Writes `value` as object 1 of a one-object update to a minimal letter and reads it back. */
function roundTrip(value: Parameters<typeof serializeValue>[0]) {
  const update = new IncrementalUpdate(minimalPdf());
  const ref = update.allocate();
  update.set(ref, value);
  return PdfDocument.load(update.finish().bytes).resolve(ref);
}

describe('the serialiser', () => {
  it('escapes names as #xx: delimiters, white space, #, bytes outside ! to ~', () => {
    expect(ser(new PdfName('Type'))).toBe('/Type');
    expect(ser(new PdfName('A B#C/D(E)'))).toBe('/A#20B#23C#2FD#28E#29');
    expect(ser(new PdfName('Tiếng'))).toBe('/Ti#E1#BA#BFng');
    expect(ser(new PdfName('caf\xe9'))).toBe('/caf#E9');
    expect(roundTrip(new PdfName('A B#C/D(E)%'))).toEqual(new PdfName('A B#C/D(E)%'));
    expect(() => ser(new PdfName('a\0b'))).toThrow(
      expect.objectContaining({ code: 'PDF_WRITE_INVALID_VALUE' }),
    );
  });

  it('writes numbers without exponent, reals with the digits that read back the same', () => {
    expect(ser(42)).toBe('42');
    expect(ser(-3)).toBe('-3');
    expect(ser(0.5)).toBe('0.5');
    expect(ser(1e-7)).toBe('0.0000001');
    expect(ser(-1e-7)).toBe('-0.0000001');
    expect(ser(1e-21)).toBe('0');
    expect(ser(1.5e10)).toBe('15000000000');
    expect(ser(123.4567891)).toBe('123.4567891');
    expect(roundTrip([0.1234567, 595.2756, -0.0000125])).toEqual([0.1234567, 595.2756, -0.0000125]);
    // Beyond 2^53 a number is no longer exact: refused rather than written with an exponent.
    expect(() => ser(1.5e20)).toThrow(expect.objectContaining({ code: 'PDF_WRITE_INVALID_VALUE' }));
    expect(() => ser(Number.NaN)).toThrow(expect.objectContaining({ code: 'PDF_WRITE_INVALID_VALUE' }));
    expect(() => ser(Number.POSITIVE_INFINITY)).toThrow();
  });

  it('escapes literal strings so they read back byte for byte, and writes hex strings as hex', () => {
    const bytes = Uint8Array.from([0x28, 0x29, 0x5c, 0x0d, 0x0a, 0x09, 0x00, 0x41, 0xff]);
    const literal = new PdfString(bytes, false, -1, -1);
    expect(ser(literal)).toBe('(\\(\\)\\\\\\r\\n\\011\\000A\xff)');
    const back = roundTrip(literal) as PdfString;
    expect([...back.bytes]).toEqual([...bytes]);
    expect(ser(pdfHexString(Uint8Array.from([0, 0xab])))).toBe('<00ab>');
    expect(pdfTextString('Hà Nội').text()).toBe('Hà Nội');
    expect([...pdfTextString('Hà').bytes.subarray(0, 2)]).toEqual([0xfe, 0xff]);
    expect(ser(pdfTextString('abc'))).toBe('(abc)');
  });

  it('writes arrays, dictionaries, references, booleans and null, and reads them back', () => {
    const value = pdfDict({
      A: [1, 2.25, true, false, null, new PdfRef(3, 0)],
      B: pdfDict({ C: new PdfName('D') }),
      E: undefined,
    });
    expect(ser(value)).toBe('<< /A [1 2.25 true false null 3 0 R] /B << /C /D >> >>');
    const back = roundTrip(value) as PdfDict;
    expect(back.get('A')).toEqual([1, 2.25, true, false, null, new PdfRef(3, 0)]);
    expect((back.get('B') as PdfDict).name('C')).toBe('D');
    expect(back.get('E')).toBeUndefined();
    expect(ser(pdfDict({}))).toBe('<<>>');
  });

  it('writes a stream with its /Length, whatever its dictionary said', () => {
    const data = Uint8Array.from([0, 1, 2, 0x0a, 0x0d, 0xff]);
    const out = text(
      serializeIndirectObject(new PdfRef(7, 0), new PdfRawStream(pdfDict({ Length: 999 }), data)),
    );
    expect(out.startsWith('7 0 obj\n<< /Length 6 >>\nstream\n')).toBe(true);
    expect(out.endsWith('\nendstream\nendobj\n')).toBe(true);
  });

  it('formats /M as a PDF date with its offset', () => {
    const t = new Date('2026-01-31T20:30:05Z');
    expect(pdfDate(t)).toBe("D:20260201033005+07'00'");
    expect(pdfDate(t, 0)).toBe('D:20260131203005Z');
    expect(pdfDate(t, -150)).toBe("D:20260131180005-02'30'");
  });
});

describe('the incremental writer', () => {
  it('appends a classic table after a table file: /Prev the last startxref, /Size past every number', () => {
    const input = minimalPdf();
    const doc = PdfDocument.load(input);
    const update = new IncrementalUpdate(input, doc);
    const added = update.allocate();
    expect(added.num).toBe(6);
    update.set(added, pdfDict({ Hello: new PdfName('World') }));
    const root = doc.trailer.get('Root') as PdfRef;
    update.set(root, withEntries(doc.catalog(), { Extra: added }));
    const { bytes, xrefOffset, revisionStart } = update.finish({ documentId: new Uint8Array(16).fill(7) });
    expect(revisionStart).toBe(input.length);
    const tail = text(bytes.subarray(input.length));
    expect(tail).toMatch(/^1 0 obj\n/);
    expect(tail).toContain('xref\n1 1\n');
    expect(tail).toContain('6 1\n');
    expect(tail).toMatch(/\/Size 7 \/Prev \d+ \/Root 1 0 R \/ID \[<[0-9a-f]{32}> <(07){16}>\]/);
    expect(tail.endsWith(`startxref\n${xrefOffset}\n%%EOF\n`)).toBe(true);
    // Every entry is exactly 20 bytes.
    for (const m of tail.matchAll(/^\d{10} \d{5} n \n/gm)) expect(m[0].length).toBe(20);
    const reread = PdfDocument.load(bytes);
    expect(reread.sections[0]!.trailer.get('Prev')).toBe(doc.sections[0]!.offset);
    expect(reread.catalog().get('Extra')).toEqual(added);
  });

  it('never reuses a free number, and keeps /ID[0]', () => {
    // The original lists object 9 as free, and its /Size is 10.
    const base = text(minimalPdf());
    const withFree = base.replace(
      /trailer\n<< \/Size 6 \/Root 1 0 R >>/,
      'trailer\n<< /Size 10 /Root 1 0 R /ID [<aaaa> <bbbb>] >>',
    );
    const input = new Uint8Array(Buffer.from(withFree, 'latin1'));
    const update = new IncrementalUpdate(input);
    expect(update.allocate().num).toBe(10);
    const reread = PdfDocument.load(update.finish().bytes);
    expect(reread.trailer.get('Size')).toBe(11);
    const id = reread.trailer.get('ID') as PdfString[];
    expect(Buffer.from(id[0]!.bytes).toString('hex')).toBe('aaaa');
    expect(Buffer.from(id[1]!.bytes).toString('hex')).not.toBe('bbbb');
  });

  it('writes an xref stream that lists itself after an xref-stream file', () => {
    // A minimal letter with an xref stream instead of a table.
    const body = text(minimalPdf());
    const cut = body.indexOf('xref\n');
    const offsets = [...body.matchAll(/^(\d+) 0 obj/gm)].map((m) => m.index);
    const rows = [Buffer.from([0, 0, 0, 0xff, 0xff])];
    for (const o of offsets) rows.push(Buffer.from([1, (o >> 16) & 0xff, (o >> 8) & 0xff, o & 0xff, 0]));
    rows.push(Buffer.from([1, (cut >> 16) & 0xff, (cut >> 8) & 0xff, cut & 0xff, 0]));
    const data = Buffer.concat(rows);
    const xref = `6 0 obj\n<< /Type /XRef /Size 7 /W [1 3 1] /Root 1 0 R /Length ${data.length} >>\nstream\n`;
    const input = new Uint8Array(
      Buffer.concat([
        Buffer.from(body.slice(0, cut) + xref, 'latin1'),
        data,
        Buffer.from(`\nendstream\nendobj\nstartxref\n${cut}\n%%EOF\n`, 'latin1'),
      ]),
    );
    expect(PdfDocument.load(input).sections[0]!.kind).toBe('stream');
    const update = new IncrementalUpdate(input);
    const ref = update.allocate();
    update.set(ref, pdfDict({ A: 1 }));
    const { bytes, xrefOffset, offsets: written } = update.finish();
    const reread = PdfDocument.load(bytes);
    const section = reread.sections[0]!;
    expect(section.kind).toBe('stream');
    expect(section.offset).toBe(xrefOffset);
    // It lists itself, at its own offset.
    expect(written.get(8)).toBe(xrefOffset);
    expect(section.entries.get(8)).toEqual({ type: 1, offset: xrefOffset, gen: 0 });
    expect(section.trailer.get('Size')).toBe(9);
    expect(section.trailer.get('Prev')).toBe(cut);
    expect(reread.resolve(ref)).toBeInstanceOf(PdfDict);
  });

  it('adds an end-of-line after a final %%EOF without one, and appends after junk past %%EOF', () => {
    const bare = minimalPdf().subarray(0, -1);
    const a = new IncrementalUpdate(bare);
    a.set(a.allocate(), 1);
    const out = a.finish();
    expect(out.revisionStart).toBe(bare.length + 1);
    expect(text(out.bytes.subarray(bare.length - 5, bare.length + 1))).toBe('%%EOF\n');
    expect(PdfDocument.load(out.bytes).revisionEnds).toContain(bare.length + 1);

    const junk = new Uint8Array([...minimalPdf(), ...Buffer.from('\0\0 garbage')]);
    const b = new IncrementalUpdate(junk);
    const ref = b.allocate();
    b.set(ref, 2);
    const bytes = b.finish().bytes;
    expect(Buffer.compare(bytes.subarray(0, junk.length), junk)).toBe(0);
    expect(PdfDocument.load(bytes).resolve(ref)).toBe(2);
  });

  it('writes an update once', () => {
    const update = new IncrementalUpdate(minimalPdf());
    update.finish();
    expect(() => update.finish()).toThrow(expect.objectContaining({ code: 'PDF_WRITE_INVALID_VALUE' }));
  });

  it('refuses bytes a given document was not read from', () => {
    const doc = PdfDocument.load(minimalPdf());
    expect(() => new IncrementalUpdate(minimalPdf('another text'), doc)).toThrow(
      expect.objectContaining({ code: 'PDF_MALFORMED' }),
    );
  });
});
