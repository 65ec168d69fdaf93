/**
 * Runs a batch of files through `jobs` worker threads, handing each worker the next file as it
 * finishes the last, and reporting each outcome as it arrives (completion order).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileOutcome, VerifySettings } from './job.js';
import type { WorkerRequest } from './worker.js';

/**
 * The built worker script: beside this module in `dist/`, or, when this module runs from `src/`
 * (tests), the one the package's build put in `dist/`.
 */
export function workerScript(): string {
  const candidates = [
    new URL('./verify-worker.js', import.meta.url),
    new URL('../../dist/verify-worker.js', import.meta.url),
  ];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `the verify worker is missing (looked for ${candidates.map((u) => u.pathname).join(', ')})`,
  );
}

/** Verifies `files` on `jobs` worker threads; `onOutcome` sees each result as it finishes. */
export async function verifyInWorkers(
  files: readonly string[],
  settings: VerifySettings,
  jobs: number,
  onOutcome: (outcome: FileOutcome) => void,
): Promise<void> {
  const script = workerScript();
  const queue = [...files];
  const count = Math.min(jobs, files.length);
  await Promise.all(
    Array.from({ length: count }, async () => {
      const worker = new Worker(script, { workerData: settings });
      try {
        await new Promise<void>((resolve, reject) => {
          const next = () => {
            const file = queue.shift();
            const request: WorkerRequest = file === undefined ? { stop: true } : { file };
            worker.postMessage(request);
            if (file === undefined) resolve();
          };
          worker.on('message', (message: { outcome?: FileOutcome; file?: string; crash?: string }) => {
            if (message.crash !== undefined) {
              reject(new Error(`verifying ${message.file} failed unexpectedly: ${message.crash}`));
              return;
            }
            onOutcome(message.outcome!);
            next();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`a verify worker stopped with exit code ${code}`));
          });
          next();
        });
      } finally {
        await worker.terminate();
      }
    }),
  );
}
