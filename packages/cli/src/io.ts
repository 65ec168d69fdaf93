/** Where the CLI writes, so tests can run it in-process and read what an official would see. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** All of standard input (for `--pin-stdin`). */
  readStdin?: () => Promise<string>;
  /** Asks for a secret on the terminal without echoing it; absent when there is no terminal. */
  promptSecret?: (question: string) => Promise<string>;
  /** Standard error is a terminal: progress lines are written there only then (default false). */
  stderrIsTTY?: boolean;
}

/** The process's own streams. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  ...(process.stdin.isTTY ? { promptSecret } : {}),
  stderrIsTTY: process.stderr.isTTY === true,
};

/** Reads a line from the terminal with echo off (the PIN is never shown). */
function promptSecret(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let value = '';
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (ch: string) => {
      for (const c of ch) {
        if (c === '\r' || c === '\n') {
          done();
          resolve(value);
          return;
        }
        if (c === '\u0003') {
          done();
          reject(new UsageError('cancelled'));
          return;
        }
        if (c === '\u007f') value = value.slice(0, -1);
        else value += c;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

/** Languages the CLI speaks. */
export type Lang = 'vi' | 'en';

/** A message in both languages, picked at print time. */
export type Bilingual = { vi: string; en: string };

/** `--lang`, else `KYSO_LANG`, else Vietnamese. */
export function pickLang(flag: string | undefined, env: CliIo['env']): Lang {
  const wanted = flag ?? env.KYSO_LANG ?? 'vi';
  if (wanted !== 'vi' && wanted !== 'en') throw new UsageError(`--lang must be vi or en, not ${wanted}`);
  return wanted;
}

/** Wrong arguments: exit code 2 with the message on stderr. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes of every kyso command. */
export const EXIT = { ok: 0, failed: 1, unusable: 2 } as const;
