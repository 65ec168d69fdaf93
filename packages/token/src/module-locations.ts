import { TokenError } from './errors.js';

/**
 * Where common PKCS#11 modules install themselves, per platform: the Feitian ePass2003 middleware
 * that most PKI Tokens in Vietnam are built on, SafeNet eToken, OpenSC, and SoftHSM2 for tests.
 * Only names confirmed from the vendors' packages are listed; agencies whose middleware lives
 * elsewhere extend the list with {@link ResolveModuleOptions.extraLocations}.
 */
export const KNOWN_MODULE_LOCATIONS: Readonly<Record<'linux' | 'darwin' | 'win32', readonly string[]>> = {
  linux: [
    // Feitian ePass2003, the hardware most PKI Token deployments use.
    '/usr/lib/libcastle.so.1.0.0',
    '/usr/lib/x86_64-linux-gnu/libcastle.so.1.0.0',
    // SafeNet / Thales eToken.
    '/usr/lib/libeToken.so',
    '/usr/lib/libeTPkcs11.so',
    // OpenSC (ePass2003 and many cards), then SoftHSM2 for tests.
    '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
    '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
    '/usr/lib/opensc-pkcs11.so',
    '/usr/lib/softhsm/libsofthsm2.so',
    '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
    '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  ],
  darwin: [
    '/usr/local/lib/libcastle.1.0.0.dylib',
    '/Library/OpenSC/lib/opensc-pkcs11.so',
    '/usr/local/lib/softhsm/libsofthsm2.so',
    '/opt/homebrew/lib/softhsm/libsofthsm2.so',
  ],
  win32: [
    'C:\\Windows\\System32\\ShuttleCsp11_3003.dll',
    'C:\\Windows\\System32\\eTPKCS11.dll',
    'C:\\Windows\\System32\\opensc-pkcs11.dll',
    'C:\\SoftHSM2\\lib\\softhsm2-x64.dll',
  ],
};

/** Options of {@link resolveModulePath}. */
export interface ResolveModuleOptions {
  /** An explicit module path; wins over everything else. */
  modulePath?: string;
  /** The environment to read `KYSO_PKCS11_MODULE` from (default: `process.env` in Node, else none). */
  env?: Record<string, string | undefined>;
  /** The platform whose known locations to try (default: `process.platform` when available). */
  platform?: string;
  /** More locations to try before the known ones. */
  extraLocations?: readonly string[];
  /**
   * Tells whether a file exists (default: `fs.existsSync` in Node; elsewhere there is no file
   * system to look at, and a call without it throws `TOKEN_MODULE_NOT_FOUND`).
   */
  exists?: (path: string) => boolean;
}

/** Where a module path came from. */
export type ModulePathSource = 'option' | 'env' | 'known-location';

/** `fs.existsSync` where the runtime has it (Node ≥ 20.16 through `process.getBuiltinModule`). */
function defaultExists(): ((path: string) => boolean) | undefined {
  const proc = globalThis.process as
    | (NodeJS.Process & { getBuiltinModule?: (id: string) => unknown })
    | undefined;
  const fs = proc?.getBuiltinModule?.('node:fs') as { existsSync?: (path: string) => boolean } | undefined;
  return fs?.existsSync;
}

/** The settings of a resolution, with their defaults applied. */
function settle(options: ResolveModuleOptions) {
  const exists = options.exists ?? defaultExists();
  if (!exists) {
    throw new TokenError(
      'TOKEN_MODULE_NOT_FOUND',
      'no file system to look for a PKCS#11 module in: give resolveModulePath an exists function',
      {
        messageVi:
          'không có hệ thống tệp để tìm thư viện PKCS#11: hãy truyền hàm exists cho resolveModulePath',
      },
    );
  }
  const env =
    options.env ?? (globalThis.process?.env as Record<string, string | undefined> | undefined) ?? {};
  const platform = (options.platform ??
    globalThis.process?.platform ??
    'linux') as keyof typeof KNOWN_MODULE_LOCATIONS;
  const candidates = [...(options.extraLocations ?? []), ...(KNOWN_MODULE_LOCATIONS[platform] ?? [])];
  return { exists, env, candidates };
}

/**
 * Picks the PKCS#11 module to load: the explicit path, else `KYSO_PKCS11_MODULE`, else the first
 * existing extra or known location. An explicit path or variable that names no file is an error,
 * not a reason to fall back silently to another module. Every option has a default in Node:
 * `resolveModulePath()` looks at `KYSO_PKCS11_MODULE` and the known locations of this platform.
 *
 * @throws TokenError `TOKEN_MODULE_NOT_FOUND` naming what was tried.
 */
export function resolveModulePath(options: ResolveModuleOptions = {}): {
  path: string;
  source: ModulePathSource;
} {
  const [first] = resolveModuleCandidates(options);
  return first!;
}

/**
 * Every module that could be loaded, in the order to try them: the explicit path or
 * `KYSO_PKCS11_MODULE` alone when given (never a fallback), else every existing extra and known
 * location. Module discovery tries them in turn.
 *
 * @throws TokenError `TOKEN_MODULE_NOT_FOUND` when there is none, naming what was tried.
 */
export function resolveModuleCandidates(
  options: ResolveModuleOptions = {},
): { path: string; source: ModulePathSource }[] {
  const { exists, env, candidates } = settle(options);
  const explicit = options.modulePath ?? undefined;
  if (explicit !== undefined) {
    if (!exists(explicit)) throw notFound(explicit, 'option');
    return [{ path: explicit, source: 'option' }];
  }
  const fromEnv = env.KYSO_PKCS11_MODULE;
  if (fromEnv) {
    if (!exists(fromEnv)) throw notFound(fromEnv, 'KYSO_PKCS11_MODULE');
    return [{ path: fromEnv, source: 'env' }];
  }
  const found = candidates.filter((p) => exists(p));
  if (found.length > 0) return found.map((path) => ({ path, source: 'known-location' as const }));
  throw new TokenError(
    'TOKEN_MODULE_NOT_FOUND',
    `No PKCS#11 module found. Install the token's middleware, or give its path with --module or KYSO_PKCS11_MODULE. Tried: ${candidates.join(', ')}`,
    {
      messageVi: `Không tìm thấy thư viện PKCS#11. Hãy cài phần mềm điều khiển của thiết bị ký số, hoặc chỉ đường dẫn bằng --module hay biến KYSO_PKCS11_MODULE. Đã thử: ${candidates.join(', ')}`,
    },
  );
}

function notFound(path: string, via: string): TokenError {
  return new TokenError(
    'TOKEN_MODULE_NOT_FOUND',
    `The PKCS#11 module given by ${via} does not exist: ${path}`,
    {
      messageVi: `Thư viện PKCS#11 chỉ định qua ${via} không tồn tại: ${path}`,
    },
  );
}
