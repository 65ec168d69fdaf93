import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendIncrementalUpdate, lastObject, nextFree } from './pdf-attacks.js';
import type { IssuedCertificate, TestPki } from './pki.js';
import { makeTempDir, run } from './tools.js';

/**
 * Signed PDFs made by an independent signer: poppler's `pdfsig -add-signature`, with an NSS
 * database built from the test PKI by `certutil` and `pk12util`. Each call appends a signature as
 * an incremental update, as a real signer does.
 */

/**
 * A minimal one-page PDF (an official letter's first line), written by hand. Objects: 1 catalog,
 * 2 pages, 3 page, 4 content, 5 font; with `shadow`, 6 is a second content stream, a white box
 * drawn over a hidden second line (what the Shadow attack prepares before signing).
 */
export function minimalPdf(
  text = 'CONG VAN SO 123/SKHCN-VP',
  options: { shadow?: boolean } = {},
): Uint8Array {
  const clean = text.replace(/[()\\]/g, '');
  const content = options.shadow
    ? `BT /F1 14 Tf 72 770 Td (${clean}) Tj ET BT /F1 14 Tf 72 740 Td (SO TIEN: 9.000.000.000 DONG) Tj ET`
    : `BT /F1 14 Tf 72 770 Td (${clean}) Tj ET`;
  const overlay = '1 1 1 rg 70 735 300 22 re f';
  const objects: { dict: string; stream?: string }[] = [
    { dict: '<< /Type /Catalog /Pages 2 0 R >>' },
    { dict: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      dict: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents ${options.shadow ? '[4 0 R 6 0 R]' : '4 0 R'} >>`,
    },
    { dict: `<< /Length ${content.length} >>`, stream: content },
    { dict: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' },
    ...(options.shadow ? [{ dict: `<< /Length ${overlay.length} >>`, stream: overlay }] : []),
  ];
  return writePdf(objects);
}

/** A PDF of `objects` (numbered from 1, object 1 the catalog) with a classic xref table. */
function writePdf(objects: readonly { dict: string; stream?: string }[]): Uint8Array {
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body +=
      o.stream !== undefined
        ? `${i + 1} 0 obj\n${o.dict}\nstream\n${o.stream}\nendstream\nendobj\n`
        : `${i + 1} 0 obj\n${o.dict}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) body += `${String(o).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

/**
 * A one-page scanned letter: the page is an image of `imageBytes` bytes (random, so nothing
 * compresses it), as agencies exchange. Objects: 1 catalog, 2 pages, 3 page, 4 content, 5 image.
 * Built from buffers, never one string, so a 200 MB scan costs its size once.
 */
export function scannedPdf(imageBytes: number): Uint8Array {
  const block = randomBytes(Math.min(imageBytes, 16 * 1024 * 1024));
  const image = Buffer.alloc(imageBytes);
  for (let at = 0; at < imageBytes; at += block.length)
    block.copy(image, at, 0, Math.min(block.length, imageBytes - at));
  const content = 'q 595 0 0 842 0 0 cm /Im1 Do Q';
  const objects: Buffer<ArrayBufferLike>[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>', 'latin1'),
    Buffer.from(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>',
      'latin1',
    ),
    Buffer.from(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`, 'latin1'),
    Buffer.concat([
      Buffer.from(
        `<< /Type /XObject /Subtype /Image /Width 1 /Height ${imageBytes} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${imageBytes} >>\nstream\n`,
        'latin1',
      ),
      image,
      Buffer.from('\nendstream', 'latin1'),
    ]),
  ];
  const parts: Buffer<ArrayBufferLike>[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const wrapped = [Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')];
    parts.push(...wrapped);
    length += wrapped.reduce((n, b) => n + b.length, 0);
  });
  let tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) tail += `${String(o).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(Buffer.from(tail, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * A one-page form letter with two text fields (ISO 32000-2 §12.7): "SoVanBan" (object 6, its
 * appearance 8) and "NguoiNhan" (object 9, appearance 10), each a field merged with its widget,
 * listed in the page's /Annots (object 11) and the form (object 7). Objects: 1 catalog, 2 pages,
 * 3 page, 4 content, 5 font.
 */
export function formPdf(): Uint8Array {
  const content = 'BT /F1 14 Tf 72 770 Td (CONG VAN - PHIEU TRINH) Tj ET';
  const appearance = (text: string) => `/Tx BMC BT /F1 12 Tf 2 6 Td (${text}) Tj ET EMC`;
  const field = (name: string, value: string, y: number, ap: number) =>
    `<< /FT /Tx /T (${name}) /V (${value}) /Type /Annot /Subtype /Widget /F 4 /Rect [72 ${y} 372 ${y + 22}] /P 3 0 R /DA (/F1 12 Tf 0 g) /AP << /N ${ap} 0 R >> >>`;
  const objects: { dict: string; stream?: string }[] = [
    { dict: '<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R >>' },
    { dict: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      dict: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots 11 0 R >>',
    },
    { dict: `<< /Length ${content.length} >>`, stream: content },
    { dict: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' },
    { dict: field('SoVanBan', '123/SKHCN-VP', 700, 8) },
    { dict: '<< /Fields [6 0 R 9 0 R] /DR << /Font << /F1 5 0 R >> >> /DA (/F1 12 Tf 0 g) >>' },
    {
      dict: `<< /Type /XObject /Subtype /Form /BBox [0 0 300 22] /Resources << /Font << /F1 5 0 R >> >> /Length ${appearance('123/SKHCN-VP').length} >>`,
      stream: appearance('123/SKHCN-VP'),
    },
    { dict: field('NguoiNhan', '', 660, 10) },
    {
      dict: `<< /Type /XObject /Subtype /Form /BBox [0 0 300 22] /Resources << /Font << /F1 5 0 R >> >> /Length ${appearance('').length} >>`,
      stream: appearance(''),
    },
    { dict: '[6 0 R 9 0 R]' },
  ];
  return writePdf(objects);
}

/**
 * Fills text field `num` of a form letter in an incremental update, as a viewer does: the new
 * value, and a new appearance stream showing it. With `appearanceOnly`, the appearance changes and
 * the value does not (the Shadow "replace" attack's last step).
 */
export function fillTextField(
  input: Uint8Array,
  num: number,
  value: string,
  options: { appearanceOnly?: boolean } = {},
): Uint8Array {
  const n = nextFree(input);
  const field = lastObject(input, num);
  const text = `/Tx BMC BT /F1 12 Tf 2 6 Td (${value}) Tj ET EMC`;
  let updated = field.replace(/\/AP << \/N \d+ 0 R >>/, `/AP << /N ${n} 0 R >>`);
  if (!options.appearanceOnly) updated = updated.replace(/\/V \([^)]*\)/, `/V (${value})`);
  return appendIncrementalUpdate(input, {
    [n]: `<< /Type /XObject /Subtype /Form /BBox [0 0 300 22] /Resources << /Font << /F1 5 0 R >> >> /Length ${text.length} >>\nstream\n${text}\nendstream`,
    [num]: updated,
  });
}

/** An NSS database holding the test PKI's roots and the keys of the given signers. */
export interface NssSigner {
  readonly dir: string;
  /**
   * Signs `input` with `signer`'s key, adding field `fieldName`; returns the signed bytes. An
   * encrypted `input` is signed in its encryption (poppler encrypts the increment with the file's
   * key), opened with `options.userPassword` or `options.ownerPassword` when it needs one.
   */
  sign(
    input: Uint8Array,
    signer: IssuedCertificate,
    fieldName: string,
    options?: { userPassword?: string; ownerPassword?: string },
  ): Promise<Uint8Array>;
  /** Removes the database and the documents it signed. */
  cleanup(): void;
}

/** Builds an NSS database from the test PKI, for `pdfsig -add-signature`. */
export async function createNssSigner(
  pki: TestPki,
  signers: readonly IssuedCertificate[],
): Promise<NssSigner> {
  const dir = makeTempDir('nss');
  const db = `sql:${dir}`;
  await run('certutil', ['-N', '-d', db, '--empty-password']);
  await run('certutil', [
    '-A',
    '-d',
    db,
    '-n',
    'kyso-root',
    '-t',
    'CT,C,C',
    '-i',
    pki.root.certificate.certPath,
  ]);
  await run('certutil', [
    '-A',
    '-d',
    db,
    '-n',
    'kyso-sub-ca',
    '-t',
    ',,',
    '-i',
    pki.subCa.certificate.certPath,
  ]);
  for (const s of signers) {
    const p12 = join(dir, `${s.name}.p12`);
    await run('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      s.keyPath,
      '-in',
      s.certPath,
      '-certfile',
      pki.subCa.certificate.certPath,
      '-name',
      s.name,
      '-out',
      p12,
      '-passout',
      'pass:kyso',
    ]);
    await run('pk12util', ['-i', p12, '-d', db, '-W', 'kyso']);
  }
  let counter = 0;
  return {
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    async sign(input, signer, fieldName, options = {}) {
      counter += 1;
      const work = join(dir, `doc-${counter}`);
      mkdirSync(work);
      const inPath = join(work, 'in.pdf');
      const outPath = join(work, 'out.pdf');
      writeFileSync(inPath, input);
      await run('pdfsig', [
        '-nssdir',
        db,
        '-add-signature',
        '-nick',
        signer.name,
        '-new-signature-field-name',
        fieldName,
        '-digest',
        'SHA256',
        ...(options.userPassword !== undefined ? ['-upw', options.userPassword] : []),
        ...(options.ownerPassword !== undefined ? ['-opw', options.ownerPassword] : []),
        inPath,
        outPath,
      ]);
      return new Uint8Array(readFileSync(outPath));
    },
  };
}

/** A letter signed as a QLVB-ĐH system signs it, with the steps on the way: see {@link signedLetters}. */
export interface SignedLetters {
  /** Signed by the official only (field `ChuKyLanhDao`). */
  personalOnly: Uint8Array<ArrayBuffer>;
  /** Then by the organisation (field `ChuKyCoQuan`), over the official's signature. */
  good: Uint8Array<ArrayBuffer>;
  /** {@link SignedLetters.good} changed after signing: "CONG VAN SO 123" made "CONG VAN SO 923", bytes both signatures cover. */
  tampered: Uint8Array<ArrayBuffer>;
}

/**
 * A letter signed in the national order by pdfsig (Nghị định 30/2020/NĐ-CP): the official first,
 * then the organisation (the văn thư); and a copy changed after signing. Each result is a copy of
 * its own (a plain ArrayBuffer's bytes, what fetch and Blob take). The NSS database used to sign
 * is removed before returning.
 */
export async function signedLetters(
  pki: TestPki,
  options: {
    /** The official who signs first (default the personal leaf). */
    official?: IssuedCertificate;
    /** The unsigned letter (default {@link minimalPdf}); it must read "CONG VAN SO 123". */
    input?: Uint8Array;
  } = {},
): Promise<SignedLetters> {
  const official = options.official ?? pki.leaves.personal;
  const nss = await createNssSigner(pki, [official, pki.leaves.organisation]);
  try {
    const personalOnly = new Uint8Array(
      await nss.sign(options.input ?? minimalPdf(), official, 'ChuKyLanhDao'),
    );
    const good = new Uint8Array(await nss.sign(personalOnly, pki.leaves.organisation, 'ChuKyCoQuan'));
    const at = Buffer.from(good).indexOf('CONG VAN SO 123');
    if (at < 0) throw new Error('signedLetters: the letter does not read "CONG VAN SO 123"');
    const tampered = new Uint8Array(good);
    tampered[at + 12] = 0x39;
    return { personalOnly, good, tampered };
  } finally {
    nss.cleanup();
  }
}
