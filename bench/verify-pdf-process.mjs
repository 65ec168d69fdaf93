// One verification in its own process, for the PDF benchmark: prints how long verification took
// and the process's peak RSS. With `buffer`, the whole file is read into memory first and given
// to verifyPdf with its default options (what an integrator holding a Buffer does).
//   node bench/verify-pdf-process.mjs <file.pdf> <root.pem> [file|buffer]
import { readFileSync } from 'node:fs';
import { parseCertificate } from '@kyso/core';
import { useNodeCrypto } from '@kyso/core/node';
import { verifyPdf } from '@kyso/pdf-signature';
import { verifyPdfFile } from '@kyso/pdf-signature/node';

useNodeCrypto();
const trustAnchors = [parseCertificate(readFileSync(process.argv[3], 'utf8'))];
const fromBuffer = process.argv[4] === 'buffer';
const bytes = fromBuffer ? readFileSync(process.argv[2]) : undefined;
const start = process.hrtime.bigint();
const r = bytes
  ? await verifyPdf(bytes, { trustAnchors, revocation: 'none' })
  : await verifyPdfFile(process.argv[2], { trustAnchors, revocation: 'none' });
const verifyMs = Number(process.hrtime.bigint() - start) / 1e6;
if (r.indication !== 'TOTAL_PASSED') {
  console.error(JSON.stringify(r));
  process.exit(1);
}
// VmHWM is this process's own peak: getrusage's maxRSS carries over the parent's peak across
// fork and exec on Linux, so from a bench holding the file it would report the bench's memory.
let status = '';
try {
  status = readFileSync('/proc/self/status', 'utf8');
} catch {
  // not Linux: fall back to maxRSS
}
const hwm = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
console.log(
  JSON.stringify({ verifyMs, rssMiB: Math.round(Number(hwm ?? process.resourceUsage().maxRSS) / 1024) }),
);
