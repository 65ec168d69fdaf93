import { describe, expect, it } from 'vitest';
import { useSoftHsm } from './support/softhsm.js';

/** A token that never reports its retry counter: after one failure kyso asks for consent. */
const hsm = useSoftHsm({ fault: { maxTries: 3, silentFlags: true } });

describe('a token that hides its PIN counter', () => {
  it('after one wrong PIN, refuses to try again without explicit consent, and says why', async () => {
    await expect(hsm.tokens.signer({ pin: () => '999999' })).rejects.toMatchObject({
      code: 'TOKEN_PIN_INCORRECT',
      message: expect.stringContaining('does not say how many tries remain'),
    });
    expect(hsm.tokens.select().token.pin).toMatchObject({ countLow: false, finalTry: false, locked: false });
    let asked = false;
    try {
      await hsm.tokens.signer({
        pin: () => {
          asked = true;
          return hsm.token.userPin;
        },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'TOKEN_PIN_CONSENT_REQUIRED' });
      expect((error as { messageVi: string }).messageVi).toContain('không cho biết còn bao nhiêu lần thử');
    }
    expect(asked).toBe(false);
    const signer = await hsm.tokens.signer({
      pin: () => hsm.token.userPin,
      allowRetryAfterFailure: true,
      key: { id: '01' },
    });
    expect((await signer.sign(new Uint8Array([1, 2, 3]))).length).toBe(256);
    await signer.close();
    // A success clears the failure: no consent needed any more.
    const again = await hsm.tokens.signer({ pin: () => hsm.token.userPin, key: { id: '01' } });
    await again.close();
  });
});
