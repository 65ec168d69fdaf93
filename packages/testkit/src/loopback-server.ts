import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What a loopback handler answers. */
export interface LoopbackResponse {
  status: number;
  contentType: string;
  body: Uint8Array | string;
}

/** A request as a loopback handler sees it: method, path and the whole body. */
export interface LoopbackRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Uint8Array;
}

/** A running HTTP server on 127.0.0.1. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** How many requests it has answered. */
  readonly requestCount: number;
  /** Stops accepting, drops open connections and resolves once the port is closed. */
  stop(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/**
 * Starts an HTTP server on 127.0.0.1 with a port the system chose, answering every request with
 * `handler`. Request bodies over 1 MiB are refused with 413. `onStop` runs once the port is closed.
 */
export async function startLoopbackServer(
  handler: (request: LoopbackRequest) => Promise<LoopbackResponse>,
  options: { onStop?: () => void } = {},
): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  let requestCount = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      requestCount += 1;
      handler({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: new Uint8Array(Buffer.concat(chunks)),
      }).then(
        (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.contentType, connection: 'close' });
          res.end(answer.body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error instanceof Error ? error.message : error));
        },
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('testkit: no TCP address');
  const port = address.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requestCount() {
      return requestCount;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          options.onStop?.();
          resolve();
        });
      }),
  };
}
