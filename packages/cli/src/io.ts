/** Where the CLI writes, so tests can run it in-process and read what an official would see. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

/** The process's own streams. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

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
