/**
 * `@kyso/token`: PKCS#11 hardware tokens (PKI Token, SIM PKI) as kyso Signers.
 *
 * @packageDocumentation
 */

export type { TokenErrorCode } from './errors.js';
export { ckrOf, TokenError } from './errors.js';
export type { ModulePathSource, ResolveModuleOptions } from './module-locations.js';
export { KNOWN_MODULE_LOCATIONS, resolveModuleCandidates, resolveModulePath } from './module-locations.js';
