import {
  buildFaultInjectingModule,
  createSoftHsmToken,
  createTestPki,
  type SoftHsmToken,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeAll, Pkcs11Tokens } from '../src/node.js';

/** A token that never reports its retry counter: after one failure kyso asks for consent. */
let pki: TestPki;
let token: SoftHsmToken;
let tokens: Pkcs11Tokens;

beforeAll(async () => {
  pki = await createTestPki();
  token = await createSoftHsmToken(pki);
  const fault = await buildFaultInjectingModule(token.modulePath, { maxTries: 3, silentFlags: true });
  Object.assign(process.env, token.env, fault.env);
  tokens = Pkcs11Tokens.open({ modulePath: fault.modulePath });
});
afterAll(() => {
  finalizeAll();
  token?.cleanup();
  pki?.cleanup();
});

describe('a token that hides its PIN counter', () => {
  it('after one wrong PIN, refuses to try again without explicit consent, and says why', async () => {
    await expect(tokens.signer({ pin: () => '999999' })).rejects.toMatchObject({
      code: 'TOKEN_PIN_INCORRECT',
      message: expect.stringContaining('does not say how many tries remain'),
    });
    expect(tokens.select().token.pin).toMatchObject({ countLow: false, finalTry: false, locked: false });
    let asked = false;
    try {
      await tokens.signer({
        pin: () => {
          asked = true;
          return token.userPin;
        },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'TOKEN_PIN_CONSENT_REQUIRED' });
      expect((error as { messageVi: string }).messageVi).toContain('không cho biết còn bao nhiêu lần thử');
    }
    expect(asked).toBe(false);
    const signer = await tokens.signer({
      pin: () => token.userPin,
      allowRetryAfterFailure: true,
      key: { id: '01' },
    });
    expect((await signer.sign(new Uint8Array([1, 2, 3]))).length).toBe(256);
    await signer.close();
    // A success clears the failure: no consent needed any more.
    const again = await tokens.signer({ pin: () => token.userPin, key: { id: '01' } });
    await again.close();
  });
});
