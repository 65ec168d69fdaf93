// Verifying a large signed PDF (a 200 MB scan-sized file, signed by the official and then the
// organisation with pdfsig) against `openssl dgst -sha256` of the same file and against `pdfsig`
// verifying it, in the same run; and the peak memory of the verifying process.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNssSigner, createTestPki, makeTempDir, scannedPdf } from '@kyso/testkit';
import { medianMs, printRatios } from './lib.mjs';

const SIZE = 200 * 1024 * 1024;
const pki = await createTestPki();
const nss = await createNssSigner(pki, [pki.leaves.personal, pki.leaves.organisation]);
const dir = makeTempDir('bench-pdf');

try {
  const signed = await nss.sign(
    await nss.sign(scannedPdf(SIZE), pki.leaves.personal, 'ChuKyLanhDao'),
    pki.leaves.organisation,
    'ChuKyCoQuan',
  );
  const file = join(dir, 'scan.pdf');
  writeFileSync(file, signed);
  writeFileSync(join(dir, 'root.pem'), pki.root.certificate.pem);
  const verifier = join(import.meta.dirname, 'verify-pdf-process.mjs');
  const runKyso = (mode) =>
    spawnSync(process.execPath, [verifier, file, join(dir, 'root.pem'), mode], { encoding: 'utf8' });
  const runs = [];
  const bufferRuns = [];
  const kysoRun = (mode = 'file', into = runs) => {
    const r = runKyso(mode);
    if (r.status !== 0) throw new Error(`kyso failed: ${r.stderr}`);
    into.push(JSON.parse(r.stdout.trim()));
  };
  const hash = await medianMs(() => execFileSync('openssl', ['dgst', '-sha256', file]), 5);
  const kyso = await medianMs(() => kysoRun(), 5);
  await medianMs(() => kysoRun('buffer', bufferRuns), 3);
  const pdfsig = await medianMs(() => spawnSync('pdfsig', ['-nssdir', `sql:${nss.dir}`, file]), 3);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  printRatios(
    `Verifying a ${Math.round(signed.length / 1024 / 1024)} MiB PDF with two signatures (wall time, lower is faster)`,
    [
      ['openssl dgst -sha256 of the file', hash],
      ['kyso verifyPdfFile itself (timed in the fresh process)', median(runs.map((r) => r.verifyMs))],
      [
        'kyso verifyPdf on a Buffer, default options (timed in the fresh process)',
        median(bufferRuns.map((r) => r.verifyMs)),
      ],
      ['kyso, a fresh node process (start included)', kyso],
      ['pdfsig', pdfsig],
    ],
  );
  console.log(
    `  peak RSS of the kyso process: ${Math.max(...runs.map((r) => r.rssMiB))} MiB through verifyPdfFile, ${Math.max(...bufferRuns.map((r) => r.rssMiB))} MiB through verifyPdf on a Buffer (the file itself included), file ${Math.round(signed.length / 1024 / 1024)} MiB (goal: under 150 MiB from a file)`,
  );
} finally {
  nss.cleanup();
  pki.cleanup();
  execFileSync('rm', ['-rf', dir]);
}
