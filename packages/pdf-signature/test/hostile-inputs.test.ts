import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, type PDFRef, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { PdfDict, PdfDocument } from '../src/index.js';
import {
  APPEARANCE_BUDGET,
  type AppearanceBudget,
  readAppearanceImage,
  widgetPlace,
} from '../src/official/personal-image.js';
import { isPdfA1, MAX_PDFA_PREFIXES, MAX_XMP_BYTES, pdfaClaim, scanXmp } from '../src/reader/pdfa.js';
import { formFields } from '../src/sign/form.js';
import { IncrementalUpdate } from '../src/writer/incremental.js';

/**
 * Crafted documents that used to stall signing for minutes (both are read inside `signPersonal`
 * and `signAgency`): an XMP packet that made the PDF/A detection backtrack quadratically, and a
 * personal widget's appearance that decoded a 64 MB form at every `Do`. The work is shown bounded
 * by the counters the readers return, never by a clock; honest neighbours still read the same.
 */

const PDFA_NS = 'http://www.aiim.org/pdfa/ns/id/';
const RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"';
const packet = (body: string) =>
  `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF ${RDF}>${body}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
const ELEMENT = `<rdf:Description rdf:about="" xmlns:pdfaid="${PDFA_NS}"><pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>`;
const ATTRIBUTE = `<rdf:Description rdf:about="" xmlns:a="${PDFA_NS}" a:part="1" a:conformance="B"/>`;

/** A one-page document whose catalog's /Metadata holds `xmp`, deflated when asked. */
async function withXmp(xmp: string | Uint8Array, deflate = false): Promise<PdfDocument> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  const bytes = typeof xmp === 'string' ? new TextEncoder().encode(xmp) : xmp;
  const metadata = deflate
    ? doc.context.stream(deflateSync(bytes), { Type: 'Metadata', Subtype: 'XML', Filter: 'FlateDecode' })
    : doc.context.stream(bytes, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(metadata));
  return PdfDocument.load(await doc.save({ useObjectStreams: false }));
}

describe('PDF/A detection over a hostile XMP packet', () => {
  it('still reads an honest PDF/A-1b claim, as an element or as an attribute, plain or deflated', async () => {
    for (const body of [ELEMENT, ATTRIBUTE]) {
      expect(scanXmp(packet(body)).part).toBe(1);
      expect(isPdfA1(await withXmp(packet(body)))).toBe(true);
      const deflated = pdfaClaim(await withXmp(packet(body), true));
      expect(deflated).toMatchObject({ part: 1, xmpBytes: new TextEncoder().encode(packet(body)).length });
    }
    // Part 2, and white space around the number; the binding on an ancestor; UTF-16 with its mark.
    expect(scanXmp(packet(ELEMENT.replace('>1<', '> 2\n<'))).part).toBe(2);
    const onRoot = packet(`<rdf:Description rdf:about=""><p:part>3</p:part></rdf:Description>`).replace(
      '<x:xmpmeta ',
      `<x:xmpmeta xmlns:p="${PDFA_NS}" `,
    );
    expect(scanXmp(onRoot).part).toBe(3);
    const utf16 = Buffer.from(`\uFEFF${packet(ATTRIBUTE)}`, 'utf16le');
    expect(isPdfA1(await withXmp(new Uint8Array(utf16)))).toBe(true);
  });

  it('takes a claim only under a prefix bound, in scope, to the PDF/A id namespace', () => {
    const other = ELEMENT.replace(PDFA_NS, 'http://example.com/not-pdfa/');
    expect(scanXmp(packet(other))).toMatchObject({ part: undefined, reason: 'no-claim' });
    // `pdfaid` bound to nothing.
    expect(scanXmp(packet('<rdf:Description rdf:about="" pdfaid:part="1"/>')).part).toBeUndefined();
    expect(
      scanXmp(packet('<rdf:Description><pdfaid:part>1</pdfaid:part></rdf:Description>')).part,
    ).toBeUndefined();
    // Bound on a sibling, out of scope where the claim is.
    const sibling = `<rdf:Description xmlns:pdfaid="${PDFA_NS}"/><rdf:Description><pdfaid:part>1</pdfaid:part></rdf:Description>`;
    expect(scanXmp(packet(sibling)).part).toBeUndefined();
    // Rebound to another namespace inside the binding element.
    const rebound = `<rdf:Description xmlns:pdfaid="${PDFA_NS}"><rdf:li xmlns:pdfaid="urn:other"><pdfaid:part>1</pdfaid:part></rdf:li></rdf:Description>`;
    expect(scanXmp(packet(rebound)).part).toBeUndefined();
  });

  it('ignores claims inside comments, CDATA sections and processing instructions', () => {
    const hidden = [
      `<!-- ${ELEMENT} -->`,
      `<![CDATA[${ELEMENT}]]>`,
      `<?note ${ATTRIBUTE} ?>`,
      `<rdf:Description xmlns:pdfaid="${PDFA_NS}"><pdfaid:part><!-- -->1</pdfaid:part></rdf:Description>`,
    ];
    for (const body of hidden) expect(scanXmp(packet(body)), body).toMatchObject({ part: undefined });
    // An honest claim after them is still read.
    expect(scanXmp(packet(hidden.join('') + ATTRIBUTE)).part).toBe(1);
  });

  it('scans `<pdfaid:part ` repeated up to the byte limit, without `>`, once: linear work, no claim', () => {
    const open = `<rdf:Description xmlns:pdfaid="${PDFA_NS}">`;
    const xmp = open + '<pdfaid:part '.repeat(Math.floor((MAX_XMP_BYTES - open.length) / 13));
    expect(xmp.length).toBeGreaterThan(MAX_XMP_BYTES - 13);
    const scan = scanXmp(xmp);
    expect(scan).toMatchObject({ part: undefined, reason: 'malformed' });
    expect(scan.stats.scanned).toBeLessThanOrEqual(2 * xmp.length);
    // Well-formed start tags that are never closed: every one read, still once.
    const tags = open + '<pdfaid:part a="1">'.repeat(200_000);
    const many = scanXmp(tags);
    expect(many).toMatchObject({ part: undefined, reason: 'no-claim' });
    expect(many.stats.tags).toBe(200_001);
    expect(many.stats.scanned).toBeLessThanOrEqual(2 * tags.length);
    // Comments, CDATA and end tags left open run to the end of the packet, scanned once.
    for (const opener of ['<!--', '<![CDATA[', '<?', '</', '<a b="']) {
      const unclosed = `${opener}${'<!-- <![CDATA[ <? </ x'.repeat(50_000)}`;
      const scanOpen = scanXmp(unclosed);
      expect(scanOpen, opener).toMatchObject({ part: undefined, reason: 'malformed' });
      expect(scanOpen.stats.scanned, opener).toBeLessThanOrEqual(2 * unclosed.length);
    }
  });

  it(`takes at most ${MAX_PDFA_PREFIXES} prefixes bound to the PDF/A namespace, whatever their number`, () => {
    const count = 8000;
    const declarations = Array.from({ length: count }, (_, k) => `xmlns:a${k}="${PDFA_NS}"`).join(' ');
    const claims = Array.from({ length: count }, (_, k) => `<a${k}:part `).join('');
    const hostile = scanXmp(packet(`<rdf:Description ${declarations}>${claims}</rdf:Description>`));
    expect(hostile).toMatchObject({ part: undefined, reason: 'malformed' });
    expect(hostile.stats).toMatchObject({
      prefixes: MAX_PDFA_PREFIXES,
      ignoredPrefixes: count - MAX_PDFA_PREFIXES,
    });
    // A claim under a prefix past the limit is not taken, and the reason says why.
    const late = scanXmp(packet(`<rdf:Description ${declarations} a${count - 1}:part="1"/>`));
    expect(late).toMatchObject({ part: undefined, reason: 'too-many-prefixes' });
    // Under one of the first ones, it is.
    expect(scanXmp(packet(`<rdf:Description ${declarations} a3:part="1"/>`)).part).toBe(1);
  });

  it('stops inflating at the byte limit: a deflated bomb claims nothing (too-large)', async () => {
    // 64 MB of spaces deflate to 64 KB; the claim after them would be read if the whole were.
    const bomb = Buffer.concat([
      Buffer.from(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF ${RDF}>`),
      Buffer.alloc(64 * 1024 * 1024, 0x20),
      Buffer.from(`${ATTRIBUTE}</rdf:RDF></x:xmpmeta>`),
    ]);
    const claim = pdfaClaim(await withXmp(new Uint8Array(bomb), true));
    expect(claim).toMatchObject({ part: undefined, reason: 'too-large', xmpBytes: 0 });
    expect(claim.stats.scanned).toBe(0);
    // A plain packet over an injected limit: too large as well; under it, read.
    const doc = await withXmp(packet(ATTRIBUTE));
    const size = new TextEncoder().encode(packet(ATTRIBUTE)).length;
    expect(pdfaClaim(doc, { xmpBytes: size - 1, prefixes: 8 })).toMatchObject({ reason: 'too-large' });
    expect(pdfaClaim(doc, { xmpBytes: size, prefixes: 8 })).toMatchObject({ part: 1, xmpBytes: size });
  });

  it('names why a document claims nothing: no metadata, undecodable metadata', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    expect(pdfaClaim(PdfDocument.load(await doc.save()))).toMatchObject({ reason: 'no-metadata' });
    const broken = await PDFDocument.create();
    broken.addPage();
    const stream = broken.context.stream(new Uint8Array([1, 2, 3, 4]), { Filter: 'FlateDecode' });
    broken.catalog.set(PDFName.of('Metadata'), broken.context.register(stream));
    expect(pdfaClaim(PdfDocument.load(await broken.save()))).toMatchObject({ reason: 'undecodable' });
  });
});

/** XObjects by the name content streams draw them with: an image, or a form drawing those it `uses`. */
type XObjects = Record<
  string,
  { content: Uint8Array | string; image?: true; deflate?: true; uses?: string[] }
>;

/**
 * A one-page document with a signature field `LanhDao` whose widget, at [100 100 280 170], has a
 * normal appearance of BBox [0 0 180 70] painting `content` with `xobjects` (a form may draw any
 * of them, itself included). Returns the update, the field and the widget's dictionary.
 */
async function withWidget(content: string, xobjects: XObjects = {}) {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const ctx = doc.context;
  const refs: Record<string, PDFRef> = Object.fromEntries(
    Object.keys(xobjects).map((name) => [name, ctx.nextRef()]),
  );
  for (const [name, x] of Object.entries(xobjects)) {
    const data = typeof x.content === 'string' ? new TextEncoder().encode(x.content) : x.content;
    const dict: Record<string, unknown> = x.image
      ? {
          Type: 'XObject',
          Subtype: 'Image',
          Width: 1,
          Height: 1,
          ColorSpace: 'DeviceGray',
          BitsPerComponent: 8,
        }
      : { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 1, 1] };
    if (x.uses) dict.Resources = { XObject: Object.fromEntries(x.uses.map((n) => [n, refs[n]!])) };
    if (x.deflate) dict.Filter = 'FlateDecode';
    ctx.assign(refs[name]!, ctx.stream(x.deflate ? deflateSync(data) : data, dict as never));
  }
  const ap = ctx.register(
    ctx.stream(content, {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, 180, 70],
      Resources: { XObject: refs },
    }),
  );
  const widget = ctx.register(
    ctx.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      T: PDFString.of('LanhDao'),
      F: 4,
      P: page.ref,
      Rect: [100, 100, 280, 170],
      AP: { N: ap },
    }),
  );
  page.node.addAnnot(widget);
  doc.catalog.set(PDFName.of('AcroForm'), ctx.register(ctx.obj({ Fields: [widget] })));
  const bytes = await doc.save({ useObjectStreams: false });
  const update = new IncrementalUpdate(bytes);
  const field = formFields(update.document).find((f) => f.name === 'LanhDao')!;
  expect(field.dict).toBeInstanceOf(PdfDict);
  return { update, field, widget: field.dict };
}

const RECT: [number, number, number, number] = [100, 100, 280, 170];
const IMAGE = { content: new Uint8Array([0]), image: true } as const;
/** The image drawn 70×70 in the middle of the 180×70 box: [155 100 225 170] on the page. */
const DRAW_IMAGE = 'q 70 0 0 70 55 0 cm /Im Do Q';

describe("the personal widget's image, read within a budget", () => {
  it('finds the image of an honest appearance, directly or through a nested form', async () => {
    const direct = await withWidget(DRAW_IMAGE, { Im: IMAGE });
    const reading = readAppearanceImage(direct.update.document, direct.widget, RECT);
    expect(reading.image).toEqual([155, 100, 225, 170]);
    expect(reading.stopped).toBeUndefined();
    expect(reading.stats).toMatchObject({ decodes: 1, cacheHits: 0, operations: 4 });
    expect(widgetPlace(direct.update, direct.field)?.image).toBeDefined();
    // A deflated form drawing the image in its unit square, scaled by the appearance.
    const nested = await withWidget('q 70 0 0 70 55 0 cm /F Do Q', {
      Im: IMAGE,
      F: { content: '/Im Do', deflate: true, uses: ['Im'] },
    });
    const read = readAppearanceImage(nested.update.document, nested.widget, RECT);
    expect(read.image).toEqual([155, 100, 225, 170]);
    expect(read.stopped).toBeUndefined();
    expect(read.stats).toMatchObject({ decodes: 2, cacheHits: 0, operations: 5 });
  });

  it('decodes a 64 MB form drawn four times at most once, and only as far as the budget: no image, named stop', async () => {
    const spaces = new Uint8Array(64 * 1024 * 1024).fill(0x20);
    const hostile = await withWidget(`/Bomb Do /Bomb Do /Bomb Do /Bomb Do ${DRAW_IMAGE}`, {
      Im: IMAGE,
      Bomb: { content: spaces, deflate: true },
    });
    const reading = readAppearanceImage(hostile.update.document, hostile.widget, RECT);
    // Fail closed: the image after the bomb is not reported (the caller falls back and warns).
    expect(reading.image).toBeUndefined();
    expect(reading.stopped).toBe('bytes');
    expect(reading.stats.decodedBytes).toBeLessThanOrEqual(APPEARANCE_BUDGET.bytes);
    expect(reading.stats.bytesRead).toBeLessThanOrEqual(APPEARANCE_BUDGET.bytes);
    // The appearance's own content decoded; the bomb refused at its first Do, not decoded again.
    expect(reading.stats).toMatchObject({ decodes: 1, cacheHits: 0, operations: 1 });
    expect(widgetPlace(hostile.update, hostile.field)?.image).toBeUndefined();
  });

  it('reads a form drawn many times from its cache, each read counted against the budget', async () => {
    const form = new Uint8Array(100 * 1024).fill(0x20);
    const draws = 100;
    const honest = await withWidget(`${'/F Do '.repeat(draws)}${DRAW_IMAGE}`, {
      Im: IMAGE,
      F: { content: form, deflate: true },
    });
    const reading = readAppearanceImage(honest.update.document, honest.widget, RECT);
    expect(reading.image).toEqual([155, 100, 225, 170]);
    expect(reading.stats).toMatchObject({ decodes: 2, cacheHits: draws - 1 });
    expect(reading.stats.decodedBytes).toBeLessThan(form.length + 1024);
    expect(reading.stats.bytesRead).toBeGreaterThan(draws * form.length);
    // Over a budget of fewer bytes, the reading stops where the budget runs out.
    const budget: AppearanceBudget = { bytes: 10 * form.length, operations: APPEARANCE_BUDGET.operations };
    const short = readAppearanceImage(honest.update.document, honest.widget, RECT, budget);
    expect(short).toMatchObject({ image: undefined, stopped: 'bytes' });
    expect(short.stats.bytesRead).toBeLessThanOrEqual(budget.bytes);
    expect(short.stats.cacheHits).toBeLessThan(10);
  });

  it('counts whitespace and comments: a content of blanks runs out a byte budget with no operator', async () => {
    const blanks = `${' '.repeat(4096)}${'% a comment\n'.repeat(512)}${DRAW_IMAGE}`;
    const doc = await withWidget(blanks, { Im: IMAGE });
    const budget = { bytes: 4096, operations: 1000 };
    const reading = readAppearanceImage(doc.update.document, doc.widget, RECT, budget);
    expect(reading).toMatchObject({ image: undefined, stopped: 'bytes' });
    expect(reading.stats).toMatchObject({ operations: 0, bytesRead: 0 });
    // Within a budget that holds it, the image is found.
    expect(readAppearanceImage(doc.update.document, doc.widget, RECT).image).toEqual([155, 100, 225, 170]);
  });

  it('keeps a self-drawing form bounded: by depth, and by the operator budget', async () => {
    // The appearance draws /F, which draws itself three times; /F is read at depths 1 to 8.
    const self = (draws: number) => ({ F: { content: '/F Do '.repeat(draws), uses: ['F'] } });
    const three = await withWidget('/F Do', self(3));
    const reading = readAppearanceImage(three.update.document, three.widget, RECT);
    const reads = (3 ** 8 - 1) / 2;
    expect(reading.image).toBeUndefined();
    expect(reading.stopped).toBeUndefined();
    expect(reading.stats).toMatchObject({ decodes: 2, cacheHits: reads - 1, operations: 1 + 3 * reads });
    // Five times: 5 × (5^8 − 1) / 4 operators, more than the budget; the reading stops there.
    const five = await withWidget('/F Do', self(5));
    const stopped = readAppearanceImage(five.update.document, five.widget, RECT);
    expect(stopped).toMatchObject({ image: undefined, stopped: 'operations' });
    expect(stopped.stats.operations).toBe(APPEARANCE_BUDGET.operations);
    expect(stopped.stats.decodes).toBe(2);
  });

  it('reads a number of a million digits as one operand (the number pattern does not backtrack)', async () => {
    const digits = `${'1'.repeat(1_000_000)}x ${DRAW_IMAGE}`;
    const doc = await withWidget(digits, { Im: IMAGE });
    const reading = readAppearanceImage(doc.update.document, doc.widget, RECT);
    expect(reading.image).toEqual([155, 100, 225, 170]);
    // q, cm, Do, Q and the word the digits run into.
    expect(reading.stats.operations).toBe(5);
  });
});
