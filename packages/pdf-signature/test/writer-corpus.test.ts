import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { makeTempDir, qpdfVerdict } from '@kyso/testkit';
import { describe, expect, it } from 'vitest';
import {
  IncrementalUpdate,
  PdfDict,
  PdfDocument,
  PdfName,
  PdfRef,
  PdfString,
  type PdfValue,
  withEntries,
} from '../src/index.js';
import { CORPUS, corpusPdfs } from './support/corpus.js';

/**
 * The incremental writer over every corpus file kyso can read: a trivial update (the catalog
 * rewritten with one harmless extra key) must leave the input's bytes untouched, give a file
 * qpdf finds no worse than the input, and one kyso's reader reads as the new revision.
 */

const dir = makeTempDir('writer-corpus');
const tally = { updated: 0, clean: 0, unreadable: [] as string[], kinds: new Map<string, number>() };

/** Whether two values are the same PDF value (offsets in the file aside). */
function same(a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (a instanceof PdfString && b instanceof PdfString) return Buffer.compare(a.bytes, b.bytes) === 0;
  if (a instanceof PdfDict && b instanceof PdfDict)
    return a.map.size === b.map.size && [...a.map].every(([k, v]) => same(v, b.get(k)));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (a instanceof PdfRef && b instanceof PdfRef) return a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfName && b instanceof PdfName) return a.name === b.name;
  return a === b;
}

/** The kind of file, for the tally: linearized, hybrid, xref-stream or table. */
function kindOf(doc: PdfDocument, bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (/\/Linearized/.test(head)) return 'linearized';
  const t = doc.sections[0]!;
  if (t.kind === 'stream') return 'xref-stream';
  return t.trailer.get('XRefStm') !== undefined ? 'hybrid' : 'table';
}

describe('the incremental writer over the conformance corpus', () => {
  it.each(corpusPdfs().map((f) => [relative(CORPUS, f), f] as const))('%s', async (name, file) => {
    const input = new Uint8Array(readFileSync(file));
    let doc: PdfDocument;
    let update: IncrementalUpdate;
    try {
      doc = PdfDocument.load(input);
      doc.catalog();
      // A file read only by reconstruction is refused: a new revision must chain to a sound one.
      update = new IncrementalUpdate(input, doc);
    } catch (error) {
      // Not a file kyso can read (the reader corpus test names each one and its code).
      tally.unreadable.push(`${name}: ${(error as { code?: string }).code}`);
      return;
    }
    const kind = kindOf(doc, input);
    const rootRef = doc.trailer.get('Root') as PdfRef;
    update.set(rootRef, withEntries(doc.catalog(), { KysoWriterTest: new PdfName('Harmless') }));
    const { bytes, xrefOffset } = update.finish();

    expect(Buffer.compare(bytes.subarray(0, input.length), input), 'the input is a prefix').toBe(0);
    const reread = PdfDocument.load(bytes);
    expect(reread.sections[0]!.offset).toBe(xrefOffset);
    expect(reread.sections[0]!.kind).toBe(doc.sections[0]!.kind);
    expect(reread.catalog().name('KysoWriterTest')).toBe('Harmless');
    // Every value of the rewritten catalog reads back as the original's.
    for (const [key, value] of doc.catalog().map)
      expect(same(reread.catalog().get(key), value), `${name}: /${key}`).toBe(true);
    expect(reread.lastRevisionEnd()).toBe(bytes.length);
    expect(reread.isRevisionEnd(bytes.length)).toBe(true);
    const size = reread.trailer.get('Size') as number;
    for (const s of doc.sections) expect(size).toBeGreaterThanOrEqual((s.trailer.get('Size') as number) ?? 0);
    const id = reread.trailer.get('ID');
    expect(Array.isArray(id) && id.length === 2).toBe(true);
    const oldId = doc.trailer.get('ID');
    if (Array.isArray(oldId))
      expect((id as unknown[])[0]).toMatchObject({ bytes: (oldId[0] as { bytes: Uint8Array }).bytes });

    const inPath = `${dir}/in.pdf`;
    const outPath = `${dir}/out.pdf`;
    writeFileSync(inPath, input);
    writeFileSync(outPath, bytes);
    const before = await qpdfVerdict(inPath);
    const after = await qpdfVerdict(outPath);
    // Clean where the input was clean; never damaged where the input was not.
    if (before.exitCode === 0) expect(after, name).toMatchObject({ exitCode: 0 });
    if (!/file is damaged/.test(before.output)) expect(after.output).not.toMatch(/file is damaged/);
    expect(
      after.exitCode === 0 || after.exitCode === 3 || after.exitCode === before.exitCode,
      after.output,
    ).toBe(true);
    tally.updated += 1;
    if (after.exitCode === 0) tally.clean += 1;
    tally.kinds.set(kind, (tally.kinds.get(kind) ?? 0) + 1);
  });

  it('updated every file kyso reads; the files it does not append to are the two the reader refuses and the three it reconstructs', () => {
    console.log(
      `writer corpus: ${tally.updated} files updated (${[...tally.kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), ${tally.clean} of them clean for qpdf --check; not readable: ${tally.unreadable.join(', ')}`,
    );
    expect(tally.unreadable.sort()).toEqual([
      'attacks/itext/pdfinsecurity/isa-3.pdf: PDF_MALFORMED',
      'dss/encrypted.pdf: PDF_ENCRYPTED',
      'dss/pades_infinite_loop.pdf: PDF_XREF_BROKEN',
      'dss/pades_opposite_infinite_loop.pdf: PDF_XREF_BROKEN',
      'dss/pdf-signed-corrupted.pdf: PDF_XREF_BROKEN',
    ]);
    expect(tally.updated + tally.unreadable.length).toBe(corpusPdfs().length);
    expect(tally.kinds.get('linearized')).toBeGreaterThan(0);
    expect(tally.kinds.get('hybrid')).toBeGreaterThan(0);
    expect(tally.kinds.get('xref-stream')).toBeGreaterThan(0);
  });
});
