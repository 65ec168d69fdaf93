// Verifying a large signed PDF (a 200 MB scan-sized file, signed by the official and then the
// organisation with pdfsig) against `openssl dgst -sha256` of the same file and against `pdfsig`
// verifying it, in the same run; and the peak memory of the verifying process.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNssSigner, createTestPki, makeTempDir } from '@kyso/testkit';
import { medianMs, printRatios } from './lib.mjs';

const SIZE = 200 * 1024 * 1024;
const pki = await createTestPki();
const nss = await createNssSigner(pki, [pki.leaves.personal, pki.leaves.organisation]);
const dir = makeTempDir('bench-pdf');

/** A one-page PDF carrying a large image-like stream, as scanned documents do. */
function bigPdf() {
  const chunk = randomFillSync(Buffer.alloc(16 * 1024 * 1024));
  const data = Buffer.concat(Array.from({ length: SIZE / chunk.length }, () => chunk));
  const parts = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets = [];
  const add = (buf) => {
    offsets.push(parts.reduce((n, p) => n + p.length, 0));
    parts.push(buf);
  };
  const content = 'q 595 0 0 842 0 0 cm /Im1 Do Q';
  add(Buffer.from('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n', 'latin1'));
  add(Buffer.from('2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n', 'latin1'));
  add(
    Buffer.from(
      '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>\nendobj\n',
      'latin1',
    ),
  );
  add(
    Buffer.from(
      `4 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`,
      'latin1',
    ),
  );
  add(
    Buffer.concat([
      Buffer.from(
        `5 0 obj\n<< /Type /XObject /Subtype /Image /Width 8192 /Height 8192 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${data.length} >>\nstream\n`,
        'latin1',
      ),
      data,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ]),
  );
  const xref = parts.reduce((n, p) => n + p.length, 0);
  let tail = `xref\n0 6\n0000000000 65535 f \n`;
  for (const o of offsets) tail += `${String(o).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  parts.push(Buffer.from(tail, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

try {
  const signed = await nss.sign(
    await nss.sign(bigPdf(), pki.leaves.personal, 'ChuKyLanhDao'),
    pki.leaves.organisation,
    'ChuKyCoQuan',
  );
  const file = join(dir, 'scan.pdf');
  writeFileSync(file, signed);
  writeFileSync(join(dir, 'root.pem'), pki.root.certificate.pem);
  const verifier = join(import.meta.dirname, 'verify-pdf-process.mjs');
  const runKyso = () =>
    spawnSync(process.execPath, [verifier, file, join(dir, 'root.pem')], { encoding: 'utf8' });
  const first = runKyso();
  if (first.status !== 0) throw new Error(`kyso failed: ${first.stderr}`);
  const rss = JSON.parse(first.stdout.trim()).rssMiB;
  const hash = await medianMs(() => execFileSync('openssl', ['dgst', '-sha256', file]), 3);
  const kyso = await medianMs(() => runKyso(), 3);
  const pdfsig = await medianMs(() => spawnSync('pdfsig', ['-nssdir', `sql:${nss.dir}`, file]), 3);
  printRatios(
    `Verifying a ${Math.round(signed.length / 1024 / 1024)} MiB PDF with two signatures (wall time, lower is faster)`,
    [
      ['openssl dgst -sha256 of the file', hash],
      ['kyso verify (a fresh node process)', kyso],
      ['pdfsig', pdfsig],
    ],
  );
  console.log(
    `  peak RSS of the kyso process: ${rss} MiB (goal: under 150 MiB; kyso holds the file in memory for now)`,
  );
} finally {
  nss.cleanup();
  pki.cleanup();
  execFileSync('rm', ['-rf', dir]);
}
