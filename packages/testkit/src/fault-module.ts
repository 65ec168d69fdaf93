import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, run } from './tools.js';

/** A compiled fault-injecting PKCS#11 module in front of a real one. */
export interface FaultInjectingModule {
  /** The `.so` to load instead of the real module. */
  readonly modulePath: string;
  /** Environment the module reads: put it in `process.env` before loading the module. */
  readonly env: Record<string, string>;
  /** Makes the next call of `fn` (`C_Sign`, `C_Login`, …, or `*`) return `ckr`. */
  failNext(
    fn: string,
    ckr: 'CKR_DEVICE_REMOVED' | 'CKR_SESSION_HANDLE_INVALID' | 'CKR_TOKEN_NOT_PRESENT' | 'CKR_DEVICE_ERROR',
  ): void;
}

function sourcePath(): string {
  // src/ when run from source, dist/ when built: the C file is in native/ beside both.
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  return join(here, '..', 'native', 'fault-pkcs11.c');
}

function pkcs11Headers(): string {
  const require = createRequire(join(sourcePath(), '..', '..', 'package.json'));
  return join(dirname(require.resolve('pkcs11js/package.json')), 'includes', 'pkcs11');
}

/**
 * Compiles `native/fault-pkcs11.c` with the system C compiler and returns the module: it forwards
 * every call to `realModulePath` but keeps a real PIN retry counter (`maxTries`, default 3: final
 * try, then lock, with the token flags and CKR_PIN_LOCKED a real token shows) and can fail the next
 * call of a function on request. `silentFlags` makes it hide the counter flags, as some tokens do.
 */
export async function buildFaultInjectingModule(
  realModulePath: string,
  options: { maxTries?: number; silentFlags?: boolean } = {},
): Promise<FaultInjectingModule> {
  const dir = makeTempDir('fault-pkcs11');
  const modulePath = join(dir, 'libkyso-fault-pkcs11.so');
  await run('cc', [
    '-shared',
    '-fPIC',
    '-O2',
    '-Wall',
    '-I',
    pkcs11Headers(),
    '-o',
    modulePath,
    sourcePath(),
    '-ldl',
  ]);
  const control = join(dir, 'control');
  writeFileSync(control, '');
  return {
    modulePath,
    env: {
      KYSO_FAULT_REAL_MODULE: realModulePath,
      KYSO_FAULT_CONTROL: control,
      KYSO_FAULT_MAX_TRIES: String(options.maxTries ?? 3),
      KYSO_FAULT_SILENT_FLAGS: options.silentFlags ? '1' : '0',
    },
    failNext(fn, ckr) {
      writeFileSync(control, `${fn} ${ckr}\n`);
    },
  };
}
