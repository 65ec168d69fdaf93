/**
 * The worker thread of `kyso verify --jobs N`: verifies the files the main thread sends, one at a
 * time, and answers each with its outcome. Its settings come as `workerData`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { useNodeCrypto } from '@kyso/core/node';
import { optionsOf, type VerifySettings, verifyOneFile } from './job.js';

/** A request from the main thread: verify `file`, or stop. */
export type WorkerRequest = { file: string } | { stop: true };

if (parentPort) {
  const port = parentPort;
  useNodeCrypto();
  const options = optionsOf(workerData as VerifySettings);
  port.on('message', (request: WorkerRequest) => {
    if ('stop' in request) {
      port.close();
      return;
    }
    verifyOneFile(request.file, options).then(
      (outcome) => port.postMessage({ outcome }),
      (error: unknown) =>
        port.postMessage({
          file: request.file,
          crash: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    );
  });
}
