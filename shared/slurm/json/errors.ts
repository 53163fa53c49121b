// Errors of the `--json` normalisers. `SlurmJsonError` extends the text parsers' `SlurmParseError`, so a
// collector catches one error type whichever output format it asked for; `problem` says what kind of
// failure it was and `path` where in the document (`jobs[3].time.limit`), so a log line is actionable.
import { SlurmParseError } from '../parse/errors';

/** The commands whose `--json` output is normalised here (named like the text parsers). */
export type JsonCommand = 'squeue' | 'sinfo' | 'scontrol-node' | 'scontrol-partition' | 'scontrol-job' | 'sacct' | 'sshare' | 'sacctmgr-user';

export type JsonProblem =
  /** The text is not JSON at all (a truncated transfer, a banner or error text printed instead). */
  | 'not-json'
  /** JSON, but not an object with the command's list in it. */
  | 'shape'
  /** No usable `meta`: we cannot tell which data_parser printed it, so we will not guess. */
  | 'no-version'
  /** Slurm itself reported errors (`errors[]`) and returned nothing to normalise. */
  | 'slurm-error'
  /** One record (a job, a node, …) could not be normalised; the others were. */
  | 'record';

export class SlurmJsonError extends SlurmParseError {
  readonly problem: JsonProblem;
  /** Where in the document, as a JSONPath-like string (`jobs[3].time.limit`); `$` for the whole document. */
  readonly path: string;

  constructor(command: JsonCommand, problem: JsonProblem, message: string, path: string, input: string) {
    super(command, `${path}: ${message}`, input);
    this.problem = problem;
    this.path = path;
  }
}

/** The error for one record that could not be normalised, with its path and an excerpt of its JSON. */
export function recordError(command: JsonCommand, list: string, index: number, fieldPath: string, reason: string, record: unknown): SlurmJsonError {
  let text: string;
  try {
    text = JSON.stringify(record) ?? String(record);
  } catch {
    text = String(record);
  }
  return new SlurmJsonError(command, 'record', reason, `${list}[${index}]${fieldPath === '' ? '' : `.${fieldPath}`}`, text);
}
