import type { CliIo } from '../../src/index.js';

/** A CliIo that records what a command prints, with the given environment and standard input. */
export function capture(env: CliIo['env'] = {}, stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    ...(stdin !== undefined ? { readStdin: async () => stdin } : {}),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}
