import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The Debian package that provides each system tool testkit runs. */
export const TOOL_PACKAGES = {
  openssl: 'openssl',
  'softhsm2-util': 'softhsm2',
  'pkcs11-tool': 'opensc',
  pdfsig: 'poppler-utils',
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  qpdf: 'qpdf',
  certutil: 'libnss3-tools',
  pk12util: 'libnss3-tools',
  cc: 'gcc',
} as const;

/** A system tool testkit knows how to ask for. */
export type ToolName = keyof typeof TOOL_PACKAGES;

/** Thrown when a test needs a system tool that is not installed; names the package to install. */
export class MissingToolError extends Error {
  constructor(
    readonly tool: string,
    readonly debianPackage: string,
  ) {
    super(
      `testkit needs \`${tool}\`, which is not on PATH: install the Debian package ${debianPackage} ` +
        `(apt-get install ${debianPackage}), or run scripts/setup.sh`,
    );
    this.name = 'MissingToolError';
  }
}

/** The absolute path of `tool` on PATH, or a {@link MissingToolError} naming its package. */
export function requireTool(tool: ToolName): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new MissingToolError(tool, TOOL_PACKAGES[tool]);
}

/** A command that exited non-zero, with what it printed. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${command} ${args.join(' ')} exited with ${exitCode}:\n${stderr || stdout}`);
    this.name = 'CommandFailedError';
  }
}

/** Options of {@link run}. */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Uint8Array;
  /** Kill the command after this many milliseconds (default 60 s). */
  timeoutMs?: number;
}

/** Output of a command that exited 0. */
export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a system tool to completion (never through a shell) and resolves with its output, or
 * rejects with a {@link CommandFailedError}. The tool must be one testkit knows, so that a missing
 * one is reported with its package.
 */
export function run(tool: ToolName, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const path = requireTool(tool);
  return new Promise((resolve, reject) => {
    const child = execFile(
      path,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(new CommandFailedError(tool, args, code, stdout, stderr));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** A fresh private temporary directory whose name starts with `kyso-<purpose>-`. */
export function makeTempDir(purpose: string): string {
  return mkdtempSync(join(tmpdir(), `kyso-${purpose}-`));
}

/** Serialises async work on one resource (an OpenSSL CA's index and serial files). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after everything queued before it has settled. */
  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
