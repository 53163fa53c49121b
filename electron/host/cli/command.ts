// What a CLI command is: a path of words (`clusters add`), its options in node:util parseArgs form, a
// help text, and a run function that returns an exit code. Exit codes are the same for every command:
// 0 ok, 2 partial failure (some clusters or items failed), 1 error (nothing useful done, or bad usage),
// 3 alerts matched `alerts --fail-on`.
import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from './context';

export const EXIT = { ok: 0, error: 1, partial: 2, alerts: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  /** One line for --help; the value's name after a colon, e.g. 'NAME: the cluster to sync'. */
  help: string;
};

export interface CommandArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export interface Command {
  path: string[];
  summary: string;
  usage: string;
  /** Extra paragraphs for --help (examples, rules). */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Names of positional arguments, for --help only. */
  positionals?: string;
  run(ctx: CliContext, args: CommandArgs): Promise<ExitCode>;
}

/** A usage mistake: printed with the command's usage line, exit code 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function stringOption(args: CommandArgs, name: string): string | undefined {
  const v = args.values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new UsageError(`--${name} takes a value`);
  return v;
}

export function stringList(args: CommandArgs, name: string): string[] {
  const v = args.values[name];
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').flatMap((x) => x.split(',')).filter(Boolean);
  if (typeof v === 'string') return v.split(',').filter(Boolean);
  throw new UsageError(`--${name} takes a value`);
}

export function intOption(args: CommandArgs, name: string, range: { min: number; max: number }): number | undefined {
  const s = stringOption(args, name);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`--${name} must be a whole number from ${range.min} to ${range.max} (got ${JSON.stringify(s)})`);
  }
  return n;
}
