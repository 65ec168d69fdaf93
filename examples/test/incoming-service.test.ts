import type { AddressInfo } from 'node:net';
import { parseCertificate, parseCrlDer } from '@kyso/core';
import { createTestPki, type SignedLetters, signedLetters, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncomingService } from '../incoming-service/server.mjs';

let pki: TestPki;
let letters: SignedLetters;
const servers: import('node:http').Server[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  letters = await signedLetters(pki);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  pki?.cleanup();
});

/** Starts the service on 127.0.0.1, on a port the system chooses, and returns its URL. */
async function start(province: string, maxBytes?: number): Promise<string> {
  const server = createIncomingService({
    trustAnchors: [parseCertificate(pki.root.certificate.pem)],
    crls: [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)],
    province,
    ...(maxBytes ? { maxBytes } : {}),
  });
  servers.push(server);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/incoming`;
}

async function post(url: string, body: Uint8Array<ArrayBuffer> | string) {
  const res = await fetch(url, {
    method: 'POST',
    body: new Blob([body]),
    headers: { 'content-type': 'application/pdf' },
  });
  return { status: res.status, json: await res.json() };
}

describe('incoming-document service (Sơn La Điều 10, Lào Cai Điều 5–6)', () => {
  it('accepts a letter signed by the official and then the organisation, with the report and the registration deadline', async () => {
    const url = await start('son-la');
    const { status, json } = await post(`${url}?reference=123/SKHCN-VP`, letters.good);
    expect(status).toBe(200);
    expect(json.report.indication).toBe('TOTAL_PASSED');
    expect(json.report.signatures.map((s: { signer: { kind: string } }) => s.signer.kind)).toEqual([
      'personal',
      'organisation',
    ]);
    expect(json.decision.decision).toBe('accept');
    expect(json.decision.reasons[0].citation.text).toContain('1319/QĐ-UBND (Sơn La, 2025), Điều 10');
    expect(json.notice).toBeNull();
    expect(json.received.bytes).toBe(letters.good.length);
    expect(json.received.at).toMatch(/\+07:00$/);
    expect(json.registration.receivedOn).toBe(json.decision.deadline);
    expect(json.summary.vi).toContain('Tiếp nhận văn bản');
    expect(json.summary.en).toContain('Accept the document');
  });

  it('refuses a letter changed after signing and writes the Vietnamese notice to the sender', async () => {
    const url = await start('son-la');
    const sender = encodeURIComponent('Sở Khoa học và Công nghệ tỉnh Phú Thọ');
    const { status, json } = await post(`${url}?reference=123/SKHCN-VP&sender=${sender}`, letters.tampered);
    expect(status).toBe(200);
    expect(json.report.indication).toBe('TOTAL_FAILED');
    expect(json.decision.decision).toBe('reject');
    expect(json.notice).toContain('Kính gửi: Sở Khoa học và Công nghệ tỉnh Phú Thọ.');
    expect(json.notice).toContain('Văn bản số 123/SKHCN-VP');
    expect(json.notice).toContain('không được tiếp nhận');
    expect(json.decision.reasons.map((r: { citation: { ruleId: string } }) => r.citation.ruleId)).toContain(
      'son-la.incoming.reject-and-notify',
    );
    expect(json.registration).toBeNull();
    expect(json.summary.en).toContain('Refuse it and notify the sender');
  });

  it('in Lào Cai refuses a letter the organisation did not sign, citing Điều 5', async () => {
    const url = await start('lao-cai');
    const { json } = await post(url, letters.personalOnly);
    expect(json.report.indication).toBe('TOTAL_PASSED');
    expect(json.decision.decision).toBe('reject');
    const cited = json.decision.reasons.map((r: { citation: { text: string } }) => r.citation.text);
    expect(cited).toContain('Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 2 điểm a');
    expect(cited).toContain('Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 6');
    expect(json.notice).toContain('Thiếu chữ ký số của cơ quan, tổ chức');
  });

  it('in Lào Cai wants the extra organisation signature on an urgent letter (Điều 5 khoản 2 điểm b)', async () => {
    const url = await start('lao-cai');
    const { json } = await post(`${url}?urgent=true`, letters.good);
    expect(json.decision.decision).toBe('reject');
    expect(json.notice).toContain('Văn bản khẩn thiếu chữ ký số của tổ chức');
  });

  it('answers 400 with the error code for a body that is not a PDF, and for an empty one', async () => {
    const url = await start('son-la');
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);
    const notPdf = await post(url, jpeg);
    expect(notPdf.status).toBe(400);
    expect(notPdf.json.error.code).toBe('PDF_NOT_PDF');
    expect(notPdf.json.error.message.vi).toBeTruthy();
    const empty = await post(url, '');
    expect(empty.status).toBe(400);
    expect(empty.json.error.code).toBe('EMPTY_BODY');
    const badFact = await post(`${url}?origin=fax`, letters.good);
    expect(badFact.status).toBe(400);
    expect(badFact.json.error.code).toBe('INVALID_PARAMETER');
  });

  it('refuses a body over the size bound with 413, declared or streamed', async () => {
    const url = await start('son-la', 4096);
    const declared = await post(url, letters.good);
    expect(declared.status).toBe(413);
    expect(declared.json.error.code).toBe('REQUEST_TOO_LARGE');
    // Chunked, without a Content-Length: counted as it arrives.
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 8; i++) c.enqueue(letters.good.subarray(i * 1024, (i + 1) * 1024));
        c.close();
      },
    });
    const res = await fetch(url, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('REQUEST_TOO_LARGE');
  });

  it('answers 404 and 405 elsewhere', async () => {
    const url = await start('son-la');
    expect((await fetch(url.replace('/incoming', '/'))).status).toBe(404);
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect((await get.json()).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});
