// Signing a large PDF (a 200 MB scan) with signPdfFile, which streams the input from disk, against
// `openssl dgst -sha256` of the same file plus one bare RSA-2048 signature (`openssl pkeyutl`), in
// the same run; and the peak memory of the signing process. Goals (issue 11): under 1.5× the
// reference, peak RSS under 150 MiB.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestPki, makeTempDir, scannedPdf } from '@kyso/testkit';
import { medianMs, printRatios } from './lib.mjs';

const SIZE = 200 * 1024 * 1024;
const pki = await createTestPki();
const dir = makeTempDir('bench-sign');

try {
  const file = join(dir, 'scan.pdf');
  writeFileSync(file, scannedPdf(SIZE));
  const out = join(dir, 'signed.pdf');
  const crls = [join(dir, 'root.crl'), join(dir, 'sub.crl')];
  writeFileSync(crls[0], pki.root.crlDer);
  writeFileSync(crls[1], pki.subCa.crlDer);
  const leaf = pki.leaves.personal;
  const digestFile = join(dir, 'digest.bin');
  writeFileSync(digestFile, Buffer.alloc(32, 1));
  const signer = join(import.meta.dirname, 'sign-pdf-process.mjs');
  const runs = [];
  const kysoRun = () => {
    rmSync(out, { force: true });
    const r = spawnSync(
      process.execPath,
      [
        signer,
        file,
        out,
        leaf.keyPath,
        leaf.certPath,
        pki.subCa.certificate.certPath,
        pki.root.certificate.certPath,
        ...crls,
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`kyso failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout.trim()));
  };
  const reference = await medianMs(() => {
    execFileSync('openssl', ['dgst', '-sha256', file]);
    execFileSync('openssl', [
      'pkeyutl',
      '-sign',
      '-inkey',
      leaf.keyPath,
      '-in',
      digestFile,
      '-pkeyopt',
      'digest:sha256',
    ]);
  }, 5);
  const kyso = await medianMs(kysoRun, 5);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  printRatios(
    `Signing a ${Math.round(statSync(file).size / 1024 / 1024)} MiB PDF at B-B, signer validated, result verified (wall time, lower is faster)`,
    [
      ['openssl dgst -sha256 + one RSA signature', reference],
      ['kyso signPdfFile itself (timed in the process)', median(runs.map((r) => r.signMs))],
      ['kyso, a fresh node process (start included)', kyso],
    ],
  );
  console.log(
    `  absolute: reference ${reference.toFixed(0)} ms, signPdfFile ${median(runs.map((r) => r.signMs)).toFixed(0)} ms, process ${kyso.toFixed(0)} ms, of which node start and module loading ${median(runs.map((r) => r.loadMs)).toFixed(0)} ms`,
  );
  console.log(
    `  peak RSS of the kyso process: ${Math.max(...runs.map((r) => r.rssMiB))} MiB, file ${Math.round(statSync(file).size / 1024 / 1024)} MiB (goal: under 150 MiB; ratio goal: under 1.5×)`,
  );
} finally {
  pki.cleanup();
  execFileSync('rm', ['-rf', dir]);
}
