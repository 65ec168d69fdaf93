// One signing in its own process, for the PDF signing benchmark: signs <in.pdf> into <out.pdf>
// with signPdfFile (the input streamed from disk) and prints how long it took and the process's
// peak RSS.
//   node bench/sign-pdf-process.mjs <in.pdf> <out.pdf> <key.pem> <cert.pem> <sub-ca.pem> <root.pem> <crl>...
import { readFileSync } from 'node:fs';
import { parseCertificate, parseCrlDer } from '@kyso/core';
import { createSoftwareSigner, useNodeCrypto } from '@kyso/core/node';
import { signPdfFile } from '@kyso/pdf-signature/node';

useNodeCrypto();
const [input, output, key, cert, subCa, rootPem, ...crlPaths] = process.argv.slice(2);
const signer = createSoftwareSigner({
  privateKey: readFileSync(key),
  certificate: readFileSync(cert),
  chain: [readFileSync(subCa)],
});
const validation = {
  trustAnchors: [parseCertificate(readFileSync(rootPem, 'utf8'))],
  crls: crlPaths.map((p) => parseCrlDer(readFileSync(p))),
};
const loadMs = performance.now();
const start = process.hrtime.bigint();
const r = await signPdfFile(input, output, { signer, validation, level: 'B-B' });
const signMs = Number(process.hrtime.bigint() - start) / 1e6;
if (r.verification.indication !== 'TOTAL_PASSED') {
  console.error(JSON.stringify(r.verification));
  process.exit(1);
}
let status = '';
try {
  status = readFileSync('/proc/self/status', 'utf8');
} catch {
  // not Linux: fall back to maxRSS
}
const hwm = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
console.log(
  JSON.stringify({
    signMs,
    loadMs,
    rssMiB: Math.round(Number(hwm ?? process.resourceUsage().maxRSS) / 1024),
  }),
);
