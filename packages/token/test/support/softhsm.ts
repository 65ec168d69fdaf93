import {
  buildFaultInjectingModule,
  createSoftHsmToken,
  createTestPki,
  type FaultInjectingModule,
  type SoftHsmToken,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll } from 'vitest';
import { finalizeAll, Pkcs11Tokens } from '../../src/node.js';

/** What {@link useSoftHsm} sets up for a test file. */
export interface SoftHsm {
  /** The test PKI the token's certificates come from. */
  readonly pki: TestPki;
  /** The SoftHSM2 token: RSA-2048 under CKA_ID 01, EC P-256 under 02, with their certificates. */
  readonly token: SoftHsmToken;
  /** The fault-injecting module in front of the token, when one was asked for. */
  readonly fault: FaultInjectingModule;
  /** kyso's view of the token: opened on the fault-injecting module when there is one. */
  readonly tokens: Pkcs11Tokens;
}

/** Options of {@link useSoftHsm}. */
export interface UseSoftHsmOptions {
  /** Put testkit's fault-injecting module in front of SoftHSM2, with these options. */
  fault?: Parameters<typeof buildFaultInjectingModule>[1];
  /** Work on the token before kyso opens it (e.g. objects written with pkcs11-tool). */
  prepare?: (pki: TestPki, token: SoftHsmToken) => Promise<void>;
  /** Open {@link SoftHsm.tokens} in `beforeAll` (default true); tests that open their own say false. */
  open?: boolean;
}

/**
 * Registers the `beforeAll` that makes a test PKI and a SoftHSM2 token from it (its configuration,
 * and the fault module's, put in `process.env` before any module is loaded) and opens kyso's
 * {@link Pkcs11Tokens} on it; and the `afterAll` that finalises every module and removes the token
 * and the PKI. The fields are there once the file's tests run.
 */
export function useSoftHsm(options: UseSoftHsmOptions = {}): SoftHsm {
  let pki: TestPki | undefined;
  let token: SoftHsmToken | undefined;
  let fault: FaultInjectingModule | undefined;
  let tokens: Pkcs11Tokens | undefined;
  beforeAll(async () => {
    pki = await createTestPki();
    token = await createSoftHsmToken(pki);
    await options.prepare?.(pki, token);
    if (options.fault) fault = await buildFaultInjectingModule(token.modulePath, options.fault);
    // SoftHSM2 reads its configuration when the module is initialised.
    Object.assign(process.env, token.env, fault?.env);
    if (options.open !== false) tokens = Pkcs11Tokens.open({ modulePath: (fault ?? token).modulePath });
  });
  afterAll(() => {
    finalizeAll();
    token?.cleanup();
    pki?.cleanup();
  });
  const made = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useSoftHsm: no ${what} (made in beforeAll, if asked for)`);
    return value;
  };
  return {
    get pki() {
      return made(pki, 'test PKI');
    },
    get token() {
      return made(token, 'token');
    },
    get fault() {
      return made(fault, 'fault-injecting module');
    },
    get tokens() {
      return made(tokens, 'opened tokens');
    },
  };
}
