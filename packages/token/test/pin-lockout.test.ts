import { verify, X509Certificate } from 'node:crypto';
import {
  buildFaultInjectingModule,
  createSoftHsmToken,
  createTestPki,
  type FaultInjectingModule,
  type SoftHsmToken,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeAll, Pkcs11Tokens } from '../src/node.js';

/**
 * The lock-out path driven for real through the fault-injecting module in front of SoftHSM2: three
 * tries, final-try flag, refusal, lock, CKR_PIN_LOCKED, and recovery by the security officer.
 */
let pki: TestPki;
let token: SoftHsmToken;
let fault: FaultInjectingModule;
let tokens: Pkcs11Tokens;

beforeAll(async () => {
  pki = await createTestPki();
  token = await createSoftHsmToken(pki);
  fault = await buildFaultInjectingModule(token.modulePath, { maxTries: 3 });
  Object.assign(process.env, token.env, fault.env);
  tokens = Pkcs11Tokens.open({ modulePath: fault.modulePath });
});
afterAll(() => {
  finalizeAll();
  token?.cleanup();
  pki?.cleanup();
});

const wrong = () => '999999';
const state = () => tokens.select().token.pin;

describe('PIN safety', () => {
  it('counts wrong PINs, refuses the final try unless allowed, then locks with advice on what to do', async () => {
    await expect(tokens.signer({ pin: wrong })).rejects.toMatchObject({
      code: 'TOKEN_PIN_INCORRECT',
      ckr: 'CKR_PIN_INCORRECT',
    });
    expect(state()).toMatchObject({ countLow: true, finalTry: false, locked: false });
    await expect(tokens.signer({ pin: wrong })).rejects.toMatchObject({
      code: 'TOKEN_PIN_INCORRECT',
      message: expect.stringContaining('one try is left'),
    });
    expect(state()).toMatchObject({ finalTry: true, locked: false });

    // The final try is refused without even asking for the PIN.
    let asked = false;
    await expect(
      tokens.signer({
        pin: () => {
          asked = true;
          return token.userPin;
        },
      }),
    ).rejects.toMatchObject({
      code: 'TOKEN_PIN_FINAL_TRY',
    });
    expect(asked).toBe(false);
    expect(state().locked).toBe(false);

    // Allowed explicitly, a wrong PIN locks the token.
    await expect(tokens.signer({ pin: wrong, allowFinalTry: true })).rejects.toMatchObject({
      code: 'TOKEN_PIN_LOCKED',
    });
    expect(state().locked).toBe(true);

    // Locked: refused at once, even with the right PIN, and the message says what the official must do.
    try {
      await tokens.signer({ pin: () => token.userPin, allowFinalTry: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'TOKEN_PIN_LOCKED', ckr: 'CKR_PIN_LOCKED' });
      expect((error as { messageVi: string }).messageVi).toContain('Mẫu số 06');
      expect((error as Error).message).toContain('Form 06');
    }
  });

  it('works again after the security officer recovers the token (a new user PIN)', async () => {
    const { slot } = tokens.select();
    const p = tokens.module.pkcs11;
    const lib = tokens.module.lib;
    const session = p.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    p.C_Login(session, lib.CKU_SO, token.soPin);
    p.C_InitPIN(session, token.userPin);
    p.C_Logout(session);
    p.C_CloseSession(session);
    expect(state().locked).toBe(false);
    const signer = await tokens.signer({ pin: () => token.userPin, key: { id: '01' } });
    const data = new TextEncoder().encode('sau khôi phục');
    expect(
      verify(
        'sha256',
        data,
        new X509Certificate(token.keys.rsa.certificate.pem).publicKey,
        await signer.sign(data),
      ),
    ).toBe(true);
    await signer.close();
  });
});

describe('a token pulled mid-operation', () => {
  it('fails that signature with TOKEN_REMOVED (CKR_DEVICE_REMOVED), keeps the process running, and signs again next time', async () => {
    const signer = await tokens.signer({ pin: () => token.userPin, key: { id: '02' } });
    const key = new X509Certificate(token.keys.ec.certificate.pem).publicKey;
    const data = new TextEncoder().encode('trước');
    expect(verify('sha256', data, key, await signer.sign(data))).toBe(true);
    fault.failNext('C_Sign', 'CKR_DEVICE_REMOVED');
    await expect(signer.sign(data)).rejects.toMatchObject({
      code: 'TOKEN_REMOVED',
      ckr: 'CKR_DEVICE_REMOVED',
    });
    expect(verify('sha256', data, key, await signer.sign(data))).toBe(true);
    const other = await tokens.signer({ pin: () => token.userPin, key: { id: '02' } });
    expect(verify('sha256', data, key, await other.sign(data))).toBe(true);
    await signer.close();
    await other.close();
  });

  it('turns an invalid session into TOKEN_SESSION_LOST and reopens it on the next call', async () => {
    const signer = await tokens.signer({ pin: () => token.userPin, key: { id: '01' } });
    const data = new TextEncoder().encode('phiên');
    await signer.sign(data);
    fault.failNext('C_SignInit', 'CKR_SESSION_HANDLE_INVALID');
    await expect(signer.sign(data)).rejects.toMatchObject({
      code: 'TOKEN_SESSION_LOST',
      ckr: 'CKR_SESSION_HANDLE_INVALID',
    });
    const sig = await signer.sign(data);
    expect(verify('sha256', data, new X509Certificate(token.keys.rsa.certificate.pem).publicKey, sig)).toBe(
      true,
    );
    await signer.close();
  });

  it('keeps concurrent callers apart when one of them meets a failure', async () => {
    const signer = await tokens.signer({ pin: () => token.userPin, key: { id: '02' } });
    const key = new X509Certificate(token.keys.ec.certificate.pem).publicKey;
    fault.failNext('C_Sign', 'CKR_DEVICE_REMOVED');
    const inputs = Array.from({ length: 20 }, (_, i) => new TextEncoder().encode(`đồng thời ${i}`));
    const results = await Promise.allSettled(inputs.map((d) => signer.sign(d)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') expect(verify('sha256', inputs[i]!, key, r.value)).toBe(true);
    });
    await signer.close();
  });
});
