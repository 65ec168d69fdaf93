/**
 * `@kyso/token/node`: PKCS#11 tokens through pkcs11js. The root entry holds what runs anywhere
 * (errors, module path resolution).
 *
 * @packageDocumentation
 */

export type { LoadedModule, LoadModuleOptions, ModuleAttempt } from './module.js';
export { finalizeAll, loadModule } from './module.js';
export type {
  KeySelector,
  PinProvider,
  PinState,
  SignerOptions,
  TokenCertificate,
  TokenDescription,
  TokenSelector,
} from './tokens.js';
export { Pkcs11Tokens, rawToDer, TokenSigner } from './tokens.js';
