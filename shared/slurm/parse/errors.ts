// The one error type every Slurm text parser throws. It carries which parser failed, a short excerpt of the
// offending input (never the whole command output: a sacct dump can be hundreds of megabytes) and, for line
// oriented outputs, the line number, so a collector can log it and skip or fail the snapshot knowingly.

export type SlurmParser =
  | 'hostlist'
  | 'tres'
  | 'gres'
  | 'duration'
  | 'time'
  | 'exitcode'
  | 'job-id'
  | 'node-state'
  | 'job-state'
  | 'number'
  | 'squeue'
  | 'sinfo'
  | 'scontrol-node'
  | 'scontrol-partition'
  | 'scontrol-job'
  | 'scontrol-reservation'
  | 'scontrol-config'
  | 'sacct'
  | 'sshare'
  | 'sprio'
  | 'sdiag'
  | 'sacctmgr-user'
  | 'sreport';

const EXCERPT_MAX = 120;

/** Shorten `input` to a printable excerpt: control characters made visible, long input cut in the middle. */
export function excerpt(input: string, max = EXCERPT_MAX): string {
  let visible = '';
  for (const c of input.length > max * 4 ? input.slice(0, max * 2) + input.slice(-max * 2) : input) {
    const code = c.charCodeAt(0);
    visible += code >= 0x20 && code !== 0x7f ? c : c === '\t' ? '\\t' : c === '\n' ? '\\n' : `\\x${code.toString(16).padStart(2, '0')}`;
  }
  if (visible.length <= max) return visible;
  const half = Math.floor((max - 3) / 2);
  return `${visible.slice(0, half)}...${visible.slice(visible.length - half)}`;
}

export class SlurmParseError extends Error {
  override readonly name = 'SlurmParseError';
  readonly parser: SlurmParser;
  /** What is wrong, without the parser name and excerpt. */
  readonly reason: string;
  /** Excerpt of the input that failed (see `excerpt`). */
  readonly input: string;
  /** 1-based line of a multi-line output, when known. */
  readonly line: number | null;

  constructor(parser: SlurmParser, message: string, input: string, line: number | null = null) {
    const shown = excerpt(input);
    super(`${parser}: ${message}${line !== null ? ` (line ${line})` : ''}: "${shown}"`);
    this.parser = parser;
    this.reason = message;
    this.input = shown;
    this.line = line;
  }
}

/** Re-throw a primitive's error with the line and field that contained the value. */
export function inField(err: unknown, parser: SlurmParser, field: string, line: number | null): never {
  if (err instanceof SlurmParseError) {
    throw new SlurmParseError(parser, `field ${field}: ${err.parser}: ${err.reason}`, err.input, line);
  }
  throw err;
}
