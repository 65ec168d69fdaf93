import { verifySignature } from '../crypto/verify.js';
import type { DerElement } from '../lib/der.js';
import type { AlgorithmIdentifier, SubjectPublicKeyInfo } from '../x509/certificate.js';
import type { ValidationContext } from './types.js';

/** A signed object: a certificate or a CRL. */
export interface SignedObject {
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signatureValue: Uint8Array;
}

const cache = new WeakMap<SignedObject, WeakMap<SubjectPublicKeyInfo, Promise<boolean>>>();

/**
 * Verifies `object`'s signature with `key`, once per (object, key) pair for the life of the parsed
 * objects. Counts against the context's signature budget: once it is spent, every further check
 * resolves `false` and the context records SIGNATURE_BUDGET_EXCEEDED, which makes the validation
 * INDETERMINATE (a spent budget is "could not decide", never "the signature is wrong"). Unsupported
 * algorithms resolve `false` and are reported by the crypto constraints check instead.
 */
export function verifySigned(
  object: SignedObject,
  key: SubjectPublicKeyInfo,
  ctx: ValidationContext,
  inheritedDsaParams?: DerElement,
): Promise<boolean> {
  let perObject = cache.get(object);
  if (!perObject) {
    perObject = new WeakMap();
    cache.set(object, perObject);
  }
  // Inherited DSA parameters depend on the path, so those checks are not cached.
  const cacheable = inheritedDsaParams === undefined && ctx.signatureCache;
  const hit = cacheable ? perObject.get(key) : undefined;
  if (hit) return hit;
  ctx.signatureChecks.count += 1;
  if (ctx.signatureChecks.count > ctx.signatureChecks.max) {
    ctx.limitsExceeded.add('SIGNATURE_BUDGET_EXCEEDED');
    return Promise.resolve(false);
  }
  const result = verifySignature({
    algorithm: object.signatureAlgorithm,
    signature: object.signatureValue,
    data: object.tbs,
    publicKey: key,
    ...(inheritedDsaParams ? { inheritedDsaParams } : {}),
  }).catch(() => false);
  if (cacheable) perObject.set(key, result);
  return result;
}
