// One verification in its own process, for the PDF benchmark: prints how long verifyPdfFile took
// and the process's peak RSS.
//   node bench/verify-pdf-process.mjs <file.pdf> <root.pem>
import { readFileSync } from 'node:fs';
import { parseCertificate } from '@kyso/core';
import { useNodeCrypto } from '@kyso/core/node';
import { verifyPdfFile } from '@kyso/pdf-signature/node';

useNodeCrypto();
const trustAnchors = [parseCertificate(readFileSync(process.argv[3], 'utf8'))];
const start = process.hrtime.bigint();
const r = await verifyPdfFile(process.argv[2], { trustAnchors, revocation: 'none' });
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
