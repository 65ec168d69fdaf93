import { parseArgs } from 'node:util';
import { extendPdf } from '@kyso/pdf-signature';
import { type CliIo, EXIT, pickLang, UsageError } from '../io.js';
import { printResult } from './sign.js';
import {
  atOf,
  COMMON_SIGN_OPTIONS,
  checkOutput,
  levelOf,
  readInput,
  transportOf,
  tsaOf,
  validationOf,
  writeAtomically,
} from './sign-common.js';

/**
 * `kyso extend <in.pdf> -o <out.pdf> --level B-LT|B-LTA --tsa <url> (--trust … | --profile …)`:
 * adds a document timestamp where a signature has none, the validation data (a DSS, fetched now,
 * issued after the timestamps), and for B-LTA a document timestamp over it and its TSA's data.
 */
export async function extend(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { ...COMMON_SIGN_OPTIONS },
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length !== 1) throw new UsageError('kyso extend takes one input PDF');
  const input = positionals[0]!;
  const output = checkOutput(values.output, [input]);
  const level = levelOf(values.level, ['B-T', 'B-LT', 'B-LTA']);
  if (!level) throw new UsageError('give --level B-LT or B-LTA');
  const pdf = readInput(input);
  const transport = transportOf(values);
  const validation = validationOf({ ...values, 'unsafe-skip-signer-validation': false }, transport);
  const tsa = tsaOf(values, transport);
  const at = atOf(values);
  const result = await extendPdf(pdf, {
    level,
    validation: validation!,
    transport,
    ...(tsa ? { tsa } : {}),
    ...(at ? { at } : {}),
  });
  writeAtomically(output, result.bytes);
  printResult(result, output, values.json, lang, io, { added: result.added });
  return EXIT.ok;
}
