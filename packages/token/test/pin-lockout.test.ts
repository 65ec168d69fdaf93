import { verify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useSoftHsm } from './support/softhsm.js';

/**
 * The lock-out path driven for real through the fault-injecting module in front of SoftHSM2: three
 * tries, final-try flag, refusal, lock, CKR_PIN_LOCKED, and recovery by the security officer.
 */
const hsm = useSoftHsm({ fault: { maxTries: 3 } });

const wrong = () => '999999';
const state = () => hsm.tokens.select().token.pin;

describe('PIN safety', () => {
  it('counts wrong PINs, refuses the final try unless allowed, then locks with advice on what to do', async () => {
    await expect(hsm.tokens.signer({ pin: wrong })).rejects.toMatchObject({
      code: 'TOKEN_PIN_INCORRECT',
      ckr: 'CKR_PIN_INCORRECT',
    });
    expect(state()).toMatchObject({ countLow: true, finalTry: false, locked: false });
    await expect(hsm.tokens.signer({ pin: wrong })).rejects.toMatchObject({
      code: 'TOKEN_PIN_INCORRECT',
      message: expect.stringContaining('one try is left'),
    });
    expect(state()).toMatchObject({ finalTry: true, locked: false });

    // The final try is refused without even asking for the PIN.
    let asked = false;
    await expect(
      hsm.tokens.signer({
        pin: () => {
          asked = true;
          return hsm.token.userPin;
        },
      }),
    ).rejects.toMatchObject({
      code: 'TOKEN_PIN_FINAL_TRY',
    });
    expect(asked).toBe(false);
    expect(state().locked).toBe(false);

    // Allowed explicitly, a wrong PIN locks the hsm.token.
    await expect(hsm.tokens.signer({ pin: wrong, allowFinalTry: true })).rejects.toMatchObject({
      code: 'TOKEN_PIN_LOCKED',
    });
    expect(state().locked).toBe(true);

    // Locked: refused at once, even with the right PIN, and the message says what the official must do.
    try {
      await hsm.tokens.signer({ pin: () => hsm.token.userPin, allowFinalTry: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'TOKEN_PIN_LOCKED', ckr: 'CKR_PIN_LOCKED' });
      expect((error as { messageVi: string }).messageVi).toContain('Mẫu số 06');
      expect((error as Error).message).toContain('Form 06');
    }
  });

  it('works again after the security officer recovers the token (a new user PIN)', async () => {
    const { slot } = hsm.tokens.select();
    const p = hsm.tokens.module.pkcs11;
    const lib = hsm.tokens.module.lib;
    const session = p.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    p.C_Login(session, lib.CKU_SO, hsm.token.soPin);
    p.C_InitPIN(session, hsm.token.userPin);
    p.C_Logout(session);
    p.C_CloseSession(session);
    expect(state().locked).toBe(false);
    const signer = await hsm.tokens.signer({ pin: () => hsm.token.userPin, key: { id: '01' } });
    const data = new TextEncoder().encode('sau khôi phục');
    expect(
      verify(
        'sha256',
        data,
        new X509Certificate(hsm.token.keys.rsa.certificate.pem).publicKey,
        await signer.sign(data),
      ),
    ).toBe(true);
    await signer.close();
  });
});

describe('a token pulled mid-operation', () => {
  it('fails that signature with TOKEN_REMOVED (CKR_DEVICE_REMOVED), keeps the process running, and signs again next time', async () => {
    const signer = await hsm.tokens.signer({ pin: () => hsm.token.userPin, key: { id: '02' } });
    const key = new X509Certificate(hsm.token.keys.ec.certificate.pem).publicKey;
    const data = new TextEncoder().encode('trước');
    expect(verify('sha256', data, key, await signer.sign(data))).toBe(true);
    hsm.fault.failNext('C_Sign', 'CKR_DEVICE_REMOVED');
    await expect(signer.sign(data)).rejects.toMatchObject({
      code: 'TOKEN_REMOVED',
      ckr: 'CKR_DEVICE_REMOVED',
    });
    expect(verify('sha256', data, key, await signer.sign(data))).toBe(true);
    const other = await hsm.tokens.signer({ pin: () => hsm.token.userPin, key: { id: '02' } });
    expect(verify('sha256', data, key, await other.sign(data))).toBe(true);
    await signer.close();
    await other.close();
  });

  it('turns an invalid session into TOKEN_SESSION_LOST and reopens it on the next call', async () => {
    const signer = await hsm.tokens.signer({ pin: () => hsm.token.userPin, key: { id: '01' } });
    const data = new TextEncoder().encode('phiên');
    await signer.sign(data);
    hsm.fault.failNext('C_SignInit', 'CKR_SESSION_HANDLE_INVALID');
    await expect(signer.sign(data)).rejects.toMatchObject({
      code: 'TOKEN_SESSION_LOST',
      ckr: 'CKR_SESSION_HANDLE_INVALID',
    });
    const sig = await signer.sign(data);
    expect(
      verify('sha256', data, new X509Certificate(hsm.token.keys.rsa.certificate.pem).publicKey, sig),
    ).toBe(true);
    await signer.close();
  });

  it('keeps concurrent callers apart when one of them meets a failure', async () => {
    const signer = await hsm.tokens.signer({ pin: () => hsm.token.userPin, key: { id: '02' } });
    const key = new X509Certificate(hsm.token.keys.ec.certificate.pem).publicKey;
    hsm.fault.failNext('C_Sign', 'CKR_DEVICE_REMOVED');
    const inputs = Array.from({ length: 20 }, (_, i) => new TextEncoder().encode(`đồng thời ${i}`));
    const results = await Promise.allSettled(inputs.map((d) => signer.sign(d)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') expect(verify('sha256', inputs[i]!, key, r.value)).toBe(true);
    });
    await signer.close();
  });
});
