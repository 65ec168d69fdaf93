// Validating one 3-certificate chain (root → subordinate CA → personal certificate from the test
// PKI) with its two CRLs already in hand, in a loop: kyso against PKI.js's
// CertificateChainValidationEngine on the same inputs, and against the bare cost of the four
// signature verifications the job needs (two certificates, two CRLs) with node:crypto.
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { parseCertificateDer, parseCrlDer, validateCertificate } from '@kyso/core';
import { useNodeCrypto, useWebCrypto } from '@kyso/core/node';
import { createTestPki } from '@kyso/testkit';
import * as pkijs from 'pkijs';

const pki = await createTestPki();
const now = pki.now;
const der = {
  root: pki.root.certificate.der,
  sub: pki.subCa.certificate.der,
  leaf: pki.leaves.personal.der,
  rootCrl: pki.root.crlDer,
  subCrl: pki.subCa.crlDer,
};

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns runs per second. */
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

function kysoInputs() {
  return {
    certificate: parseCertificateDer(der.leaf),
    trustAnchors: [parseCertificateDer(der.root)],
    intermediates: [parseCertificateDer(der.sub)],
    crls: [parseCrlDer(der.rootCrl), parseCrlDer(der.subCrl)],
    validationTime: now,
    revocation: 'hard-fail',
  };
}
const parsedOnce = kysoInputs();

async function kysoFresh() {
  const r = await validateCertificate(kysoInputs());
  if (r.indication !== 'TOTAL_PASSED') throw new Error(`kyso: ${r.subIndication}`);
}
const parsedNoCache = { ...kysoInputs(), signatureCache: false };
async function kysoParsedNoCache() {
  const r = await validateCertificate(parsedNoCache);
  if (r.indication !== 'TOTAL_PASSED') throw new Error(`kyso: ${r.subIndication}`);
}
async function kysoParsed() {
  const r = await validateCertificate(parsedOnce);
  if (r.indication !== 'TOTAL_PASSED') throw new Error(`kyso: ${r.subIndication}`);
}

const pkiParse = () => ({
  root: pkijs.Certificate.fromBER(der.root),
  sub: pkijs.Certificate.fromBER(der.sub),
  leaf: pkijs.Certificate.fromBER(der.leaf),
  crls: [
    pkijs.CertificateRevocationList.fromBER(der.rootCrl),
    pkijs.CertificateRevocationList.fromBER(der.subCrl),
  ],
});
const pkiOnce = pkiParse();
async function pkijsRun(p) {
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: [p.root],
    certs: [p.sub, p.leaf],
    crls: p.crls,
    checkDate: now,
  });
  const r = await engine.verify();
  if (!r.result) throw new Error(`PKI.js: ${r.resultMessage}`);
}

// The bare cryptography: the four signature checks with keys imported once.
const rootKey = createPublicKey(
  new X509Certificate(pki.root.certificate.pem).publicKey.export({ format: 'pem', type: 'spki' }),
);
const subKey = new X509Certificate(pki.subCa.certificate.pem).publicKey;
const signed = [
  [parseCertificateDer(der.sub), rootKey],
  [parseCertificateDer(der.leaf), subKey],
  [parseCrlDer(der.rootCrl), rootKey],
  [parseCrlDer(der.subCrl), subKey],
];
function bare() {
  for (const [obj, key] of signed) {
    if (!verify('sha256', obj.tbs, key, obj.signatureValue)) throw new Error('bare verify failed');
  }
}

try {
  const results = [
    ['bare node:crypto, 4 signature verifications', await perSecond(bare)],
    ['kyso (WebCrypto), parse + validate every time', await perSecond(kysoFresh)],
    ['kyso (WebCrypto), validate pre-parsed objects', await perSecond(kysoParsed)],
    ['kyso (WebCrypto), pre-parsed, no signature cache', await perSecond(kysoParsedNoCache)],
    ['PKI.js engine, parse + validate every time', await perSecond(() => pkijsRun(pkiParse()))],
    ['PKI.js engine, pre-parsed objects', await perSecond(() => pkijsRun(pkiOnce))],
  ];
  useNodeCrypto();
  results.push(['kyso (node:crypto), parse + validate every time', await perSecond(kysoFresh)]);
  results.push(['kyso (node:crypto), pre-parsed, no signature cache', await perSecond(kysoParsedNoCache)]);
  useWebCrypto();
  const [, bareRate] = results[0];
  const pkijsParsed = results.find(([name]) => name === 'PKI.js engine, pre-parsed objects')[1];
  console.log('Validations per second of a 3-certificate chain with cached CRLs (higher is faster)');
  for (const [name, rate] of results) {
    console.log(
      `  ${name.padEnd(50)} ${(rate / bareRate).toFixed(2)}× the bare signature rate; ${(rate / pkijsParsed).toFixed(2)}× PKI.js (pre-parsed)`,
    );
  }
  console.log(
    '  Goals: kyso ≥ 2× PKI.js on the same pre-parsed inputs; kyso with no signature cache within 2× of the bare cost.',
  );
  console.log(
    '  (pre-parsed kyso objects otherwise keep their verified signatures: a long-running service sees that rate)',
  );
} finally {
  pki.cleanup();
}
