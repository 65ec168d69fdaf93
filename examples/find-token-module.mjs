// Which PKCS#11 module would kyso load on this machine? Prints the path and where it came from
// (--module, KYSO_PKCS11_MODULE, or a known install location), or what it tried.
//   node examples/find-token-module.mjs [--module /path/to/module.so]
import { existsSync } from 'node:fs';
import { isKysoError } from '@kyso/core';
import { resolveModulePath } from '@kyso/token';

const i = process.argv.indexOf('--module');
try {
  const found = resolveModulePath({
    modulePath: i > 0 ? process.argv[i + 1] : undefined,
    env: process.env,
    exists: existsSync,
  });
  console.log(`${found.path}  (${found.source})`);
} catch (error) {
  if (!isKysoError(error)) throw error;
  console.error(`${error.code}: ${error.messageVi}\n${error.code}: ${error.message}`);
  process.exitCode = 2;
}
