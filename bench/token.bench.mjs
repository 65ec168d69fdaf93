// Signatures per second on SoftHSM2 (RSA-2048, CKM_SHA256_RSA_PKCS) through kyso's TokenSigner
// against a bare pkcs11js loop doing the same mechanism on the same key, in the same run.
import { createSoftHsmToken, createTestPki } from '@kyso/testkit';
import { finalizeAll, Pkcs11Tokens } from '@kyso/token/node';

const pki = await createTestPki();
const token = await createSoftHsmToken(pki);
process.env.SOFTHSM2_CONF = token.configPath;
const tokens = Pkcs11Tokens.open({ modulePath: token.modulePath });
const { pkcs11: p, lib } = tokens.module;
const data = Buffer.from('kyso bench: one official letter to sign');

async function perSecond(fn, ms = 2000) {
  for (let i = 0; i < 20; i += 1) await fn();
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await fn();
    runs += 1;
  }
  return runs / ((performance.now() - start) / 1000);
}

try {
  // The bare reference: one session, logged in, the key found once.
  const { slot } = tokens.select();
  const session = p.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
  p.C_Login(session, lib.CKU_USER, token.userPin);
  p.C_FindObjectsInit(session, [
    { type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY },
    { type: lib.CKA_ID, value: Buffer.from('01', 'hex') },
  ]);
  const [key] = p.C_FindObjects(session, 1);
  p.C_FindObjectsFinal(session);
  const mechanism = { mechanism: lib.CKM_SHA256_RSA_PKCS };
  const out = Buffer.alloc(512);
  const bareSync = await perSecond(() => {
    p.C_SignInit(session, mechanism, key);
    p.C_Sign(session, data, out);
  });
  const bareAsync = await perSecond(async () => {
    p.C_SignInit(session, mechanism, key);
    await p.C_SignAsync(session, data, out);
  });
  p.C_CloseSession(session);

  const signer = await tokens.signer({ pin: () => token.userPin, key: { id: '01' } });
  const kyso = await perSecond(() => signer.sign(data));
  await signer.close();

  console.log('Signatures per second, RSA-2048 PKCS#1 v1.5 SHA-256 on SoftHSM2 (higher is faster)');
  console.log(`  bare pkcs11js, C_Sign (blocking the event loop)   1.00× (reference)`);
  console.log(`  bare pkcs11js, C_SignAsync                          ${(bareAsync / bareSync).toFixed(2)}×`);
  console.log(`  kyso TokenSigner.sign (queued, C_SignAsync)         ${(kyso / bareSync).toFixed(2)}×`);
  console.log(
    `  kyso overhead against the same async call: ${((1 - kyso / bareAsync) * 100).toFixed(1)}% (goal: under 10%)`,
  );
} finally {
  finalizeAll();
  token.cleanup();
  pki.cleanup();
}
