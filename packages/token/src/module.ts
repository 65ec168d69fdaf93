import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Pkcs11js from 'pkcs11js';
import { ckrOf, TokenError } from './errors.js';
import { type ModulePathSource, resolveModulePath } from './module-locations.js';

/** The pkcs11js namespace (constants and the PKCS11 class). */
export type Pkcs11Lib = typeof Pkcs11js;

/** A loaded, initialised PKCS#11 module. */
export interface LoadedModule {
  path: string;
  source: ModulePathSource;
  pkcs11: Pkcs11js.PKCS11;
  lib: Pkcs11Lib;
}

const loaded = new Map<string, LoadedModule>();
let exitHook = false;

function pkcs11js(): Pkcs11Lib {
  try {
    return createRequire(import.meta.url)('pkcs11js') as Pkcs11Lib;
  } catch (cause) {
    throw new TokenError(
      'TOKEN_MODULE_LOAD_FAILED',
      'the pkcs11js native binding is not built; reinstall @kyso/token with build scripts allowed',
      {
        messageVi:
          'thư viện pkcs11js chưa được biên dịch; hãy cài lại @kyso/token và cho phép chạy build script',
        cause,
      },
    );
  }
}

/** Why a module did not load, in words an IT officer can act on. */
function explainLoadFailure(path: string, error: unknown): TokenError {
  const message = error instanceof Error ? error.message : String(error);
  if (
    /wrong ELF class|ELFCLASS32|%1 is not a valid Win32|incompatible architecture|mach-o, but wrong architecture/i.test(
      message,
    )
  ) {
    return new TokenError(
      'TOKEN_MODULE_LOAD_FAILED',
      `${path} is built for another architecture (a 32-bit driver in 64-bit Node?): install the 64-bit middleware of the token`,
      {
        messageVi: `${path} được biên dịch cho kiến trúc khác (trình điều khiển 32-bit trong Node 64-bit?): hãy cài phần mềm điều khiển 64-bit của thiết bị`,
        cause: error,
      },
    );
  }
  if (/invalid ELF header|not a dynamic executable|file too short|not a valid/i.test(message)) {
    return new TokenError('TOKEN_MODULE_LOAD_FAILED', `${path} is not a PKCS#11 library (${message})`, {
      messageVi: `${path} không phải thư viện PKCS#11 (${message})`,
      cause: error,
    });
  }
  const ckr = ckrOf(error);
  return new TokenError(
    'TOKEN_MODULE_LOAD_FAILED',
    `the PKCS#11 module ${path} could not be loaded or initialised: ${ckr ?? message}`,
    {
      messageVi: `không nạp hoặc khởi tạo được thư viện PKCS#11 ${path}: ${ckr ?? message}`,
      ...(ckr ? { ckr } : {}),
      cause: error,
    },
  );
}

/** Options of {@link loadModule}. */
export interface LoadModuleOptions {
  /** Explicit module path (else `KYSO_PKCS11_MODULE`, else the known locations). */
  modulePath?: string;
  /** Environment for `KYSO_PKCS11_MODULE` (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** More locations to try before the known ones. */
  extraLocations?: readonly string[];
}

/**
 * Loads and initialises a PKCS#11 module once per process (C_Initialize), and finalises it when
 * the process exits. A module that is missing, of the wrong architecture, or fails to initialise
 * gives a TokenError, never a crash.
 */
export function loadModule(options: LoadModuleOptions = {}): LoadedModule {
  const { path, source } = resolveModulePath({
    ...(options.modulePath !== undefined ? { modulePath: options.modulePath } : {}),
    env: options.env ?? process.env,
    ...(options.extraLocations ? { extraLocations: options.extraLocations } : {}),
    exists: existsSync,
  });
  const hit = loaded.get(path);
  if (hit) return hit;
  const lib = pkcs11js();
  const pkcs11 = new lib.PKCS11();
  try {
    pkcs11.load(path);
  } catch (error) {
    throw explainLoadFailure(path, error);
  }
  try {
    pkcs11.C_Initialize({ flags: lib.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (ckrOf(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      try {
        pkcs11.close();
      } catch {
        // nothing more to release
      }
      throw explainLoadFailure(path, error);
    }
  }
  const module: LoadedModule = { path, source, pkcs11, lib };
  loaded.set(path, module);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', finalizeAll);
  }
  return module;
}

/** Finalises every loaded module (C_Finalize) and unloads it. Safe to call more than once. */
export function finalizeAll(): void {
  for (const m of loaded.values()) {
    try {
      m.pkcs11.C_Finalize();
    } catch {
      // a module that fails to finalise is unloaded all the same
    }
    try {
      m.pkcs11.close();
    } catch {
      // already closed
    }
  }
  loaded.clear();
}
