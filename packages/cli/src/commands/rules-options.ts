import { parseArgs } from 'node:util';
import { parseIsoDate, vietnamDate } from '@kyso/lifecycle-rules';
import { UsageError } from '../io.js';

/**
 * The options of the `kyso rules` subcommands, declared and checked once: the place, date, output
 * and language every subcommand takes, whether draft regulations apply, and the values a
 * subcommand accepts from a fixed list.
 */

/** The options every `kyso rules` subcommand takes: `--province`, `--at`, `--json`, `--lang`. */
export const RULES_OPTIONS = {
  province: { type: 'string' },
  at: { type: 'string' },
  json: { type: 'boolean', default: false },
  lang: { type: 'string' },
} as const;

/** The options of the subcommands that read the rules in force: those and `--drafts` (drafts apply too). */
export const RULES_IN_FORCE_OPTIONS = {
  ...RULES_OPTIONS,
  drafts: { type: 'boolean', default: false },
} as const;

/** The arguments of a subcommand that takes positionals and no options but {@link RULES_OPTIONS}. */
export function parseRulesArgs(args: readonly string[]) {
  return parseArgs({ args: [...args], allowPositionals: true, options: RULES_OPTIONS });
}

/** The date the rules are read for: `--at`, checked, else today in Vietnam. */
export function ruleDate(at: string | undefined): string {
  return parseIsoDate(at ?? vietnamDate(new Date()), '--at');
}

/** `--province` as the library's option: absent when not given (the national rules alone). */
export function provinceOption(province: string | undefined): { province?: string } {
  return province ? { province } : {};
}

/** Where and when the rules are read, and whether drafts apply, as the rules library takes it. */
export interface RuleScope {
  at: string;
  province?: string;
  includeDrafts: boolean;
}

/** The {@link RuleScope} of `--at`, `--province` and `--drafts`. */
export function ruleScope(values: {
  at?: string | undefined;
  province?: string | undefined;
  drafts: boolean;
}): RuleScope {
  return { at: ruleDate(values.at), ...provinceOption(values.province), includeDrafts: values.drafts };
}

/** `values`, each checked to be among `allowed`; else a usage error naming `what` and what is accepted. */
export function oneOf<T extends string>(values: readonly string[], allowed: readonly T[], what: string): T[] {
  for (const v of values)
    if (!(allowed as readonly string[]).includes(v))
      throw new UsageError(`${what} must be among ${allowed.join(', ')}, not "${v}"`);
  return values as T[];
}
