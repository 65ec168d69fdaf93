import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Pkcs11js from 'pkcs11js';
import { ckrOf, TokenError } from './errors.js';
import { type ModulePathSource, resolveModuleCandidates } from './module-locations.js';

/** The pkcs11js namespace (constants and the PKCS11 class). */
export type Pkcs11Lib = typeof Pkcs11js;

/** A loaded, initialised PKCS#11 module. */
export interface LoadedModule {
  path: string;
  source: ModulePathSource;
  pkcs11: Pkcs11js.PKCS11;
  lib: Pkcs11Lib;
  /**
   * Every module tried to get this one, in order, and what each gave: one entry for an explicit
   * path or `KYSO_PKCS11_MODULE`; for discovery, each installed known module until one had a token.
   */
  tried: ModuleAttempt[];
}

/** One module tried by {@link loadModule}. */
export interface ModuleAttempt {
  path: string;
  source: ModulePathSource;
  /** It loaded and initialised. */
  loaded: boolean;
  /** Slots with a token present (when it loaded). */
  tokensPresent: number | null;
  /** Why it did not load. */
  error: { code: string; message: string; messageVi: string } | null;
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
  /** The platform whose known locations to try (default `process.platform`). */
  platform?: string;
}

/**
 * Loads and initialises a PKCS#11 module once per process (C_Initialize), and finalises it when
 * the process exits. With an explicit path or `KYSO_PKCS11_MODULE`, that module and no other.
 * Otherwise it tries every installed module of the extra and known locations in turn, and takes the
 * first that loads and has a token present (else the first that loads); `tried` on the result
 * says what each gave. A module that is missing, of the wrong architecture, or fails to initialise
 * gives a TokenError, never a crash.
 *
 * @throws TokenError `TOKEN_MODULE_NOT_FOUND` when no module is installed,
 *   `TOKEN_MODULE_LOAD_FAILED` when none of those tried loads (each named with its reason).
 */
export function loadModule(options: LoadModuleOptions = {}): LoadedModule {
  const candidates = resolveModuleCandidates({
    ...(options.modulePath !== undefined ? { modulePath: options.modulePath } : {}),
    env: options.env ?? process.env,
    ...(options.extraLocations ? { extraLocations: options.extraLocations } : {}),
    ...(options.platform ? { platform: options.platform } : {}),
    exists: existsSync,
  });
  if (candidates.length === 1 && candidates[0]!.source !== 'known-location') {
    const { path, source } = candidates[0]!;
    const module = loadOne(path, source);
    return { ...module, tried: [attemptOf(module)] };
  }
  const tried: ModuleAttempt[] = [];
  const seen = new Set<string>();
  let chosen: LoadedModule | undefined;
  let firstLoaded: LoadedModule | undefined;
  // Modules this call loaded: those not kept are finalised again before returning.
  const loadedHere: LoadedModule[] = [];
  for (const { path, source } of candidates) {
    // Two known locations are often one library (a symlink): try it once.
    const real = safeRealpath(path);
    if (seen.has(real)) continue;
    seen.add(real);
    const cached = loaded.has(path);
    let module: LoadedModule;
    try {
      module = loadOne(path, source);
    } catch (error) {
      const e = error as TokenError;
      tried.push({
        path,
        source,
        loaded: false,
        tokensPresent: null,
        error: { code: e.code, message: e.message, messageVi: e.messageVi },
      });
      continue;
    }
    if (!cached) loadedHere.push(module);
    const attempt = attemptOf(module);
    tried.push(attempt);
    if ((attempt.tokensPresent ?? 0) > 0) {
      chosen = module;
      break;
    }
    firstLoaded ??= module;
  }
  chosen ??= firstLoaded;
  for (const m of loadedHere) if (m !== chosen) unload(m.path);
  if (!chosen) {
    const why = tried.map((t) => `${t.path}: ${t.error?.message}`).join('; ');
    const whyVi = tried.map((t) => `${t.path}: ${t.error?.messageVi}`).join('; ');
    throw new TokenError('TOKEN_MODULE_LOAD_FAILED', `no PKCS#11 module could be loaded: ${why}`, {
      messageVi: `không nạp được thư viện PKCS#11 nào: ${whyVi}`,
    });
  }
  return { ...chosen, tried };
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** How many slots of `module` hold a token (null when the module cannot say). */
function attemptOf(module: LoadedModule): ModuleAttempt {
  let tokensPresent: number | null;
  try {
    tokensPresent = module.pkcs11.C_GetSlotList(true).length;
  } catch {
    tokensPresent = null;
  }
  return { path: module.path, source: module.source, loaded: true, tokensPresent, error: null };
}

/** Loads and initialises one module, once per process. */
function loadOne(path: string, source: ModulePathSource): LoadedModule {
  const hit = loaded.get(path);
  if (hit) return { ...hit, source };
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
  const module: LoadedModule = { path, source, pkcs11, lib, tried: [] };
  loaded.set(path, module);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', finalizeAll);
  }
  return module;
}

/** Finalises and unloads one module that discovery tried and did not keep. */
function unload(path: string): void {
  const m = loaded.get(path);
  if (!m) return;
  loaded.delete(path);
  try {
    m.pkcs11.C_Finalize();
  } catch {
    // unloaded all the same
  }
  try {
    m.pkcs11.close();
  } catch {
    // already closed
  }
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
