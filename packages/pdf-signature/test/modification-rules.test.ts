/**
 * Every named rule of the modification analysis has a sample that shows it at work: the
 * conformance corpus, or a test of its own that asserts the rule by name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseModifications, findSignatures, MODIFICATION_RULES, PdfDocument } from '../src/index.js';
import { corpusPdfs } from './support/corpus.js';

/** Rules no corpus file exercises, and the test that builds a sample for each and names the rule. */
const OWN_SAMPLES: Record<string, string> = {
  'lock-read-only': 'false-alarms.test.ts',
  'unsigned-signature-field': 'attacks.test.ts',
  'reserved-signature-field': 'reserved-fields.test.ts',
  'object-deleted': 'hardening.test.ts',
  'revision-chain': 'hardening.test.ts',
  'damaged-file': 'hardening.test.ts',
  'analysis-limit': 'hardening.test.ts',
};

describe('the named rules of the modification analysis', () => {
  it('each is seen judging a real change: in the corpus, or in a test of its own that names it', async () => {
    const seen = new Set<string>();
    for (const file of corpusPdfs()) {
      let doc: PdfDocument;
      try {
        doc = await PdfDocument.open(new Uint8Array(readFileSync(file)));
        for (const s of findSignatures(doc)) {
          const br = s.byteRange;
          if (!br || br.length !== 4 || br[2]! + br[3]! > doc.length) continue;
          const m = analyseModifications(doc, br[2]! + br[3]!, {
            dictionary: s.objectNumber,
            field: s.fieldObjectNumber,
          });
          for (const f of m.findings) seen.add(f.rule);
        }
      } catch {
        // files kyso cannot read are the reader tests' concern
      }
    }
    for (const [rule, test] of Object.entries(OWN_SAMPLES)) {
      expect(MODIFICATION_RULES).toContain(rule);
      expect(readFileSync(join(import.meta.dirname, test), 'utf8'), `${test} names ${rule}`).toContain(
        `rule: ${rule}`,
      );
      seen.add(rule);
    }
    expect([...MODIFICATION_RULES].filter((r) => !seen.has(r))).toEqual([]);
  }, 300_000);
});
