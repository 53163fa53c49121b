// The part every `--json` document shares: it must parse, say which generation printed it (`meta`), and
// may carry Slurm's own `errors` and `warnings`. A normaliser asks for its list (`jobs`, `nodes`, …);
// when Slurm reported errors and gave no list, that is Slurm's failure (slurmdbd down, permission denied)
// and is thrown with Slurm's own words, not mistaken for an empty queue.
import { z } from 'zod';
import { SlurmJsonError, type JsonCommand } from './errors';
import { detectJsonVersion, type JsonVersion } from './version';

export interface Envelope {
  doc: Record<string, unknown>;
  version: JsonVersion;
  /** Slurm's errors (when there was also data) and warnings, and the version note, as plain text. */
  warnings: string[];
  /** Slurm's `errors[]` as plain text (v0.0.38 `{error, errno}`, v0.0.39+ `{description, error, …}`). */
  slurmErrors: string[];
}

const messageSchema = z.union([
  z.string(),
  z.object({ description: z.string().optional(), error: z.string().optional(), source: z.string().optional(), error_number: z.number().optional(), errno: z.number().optional() }).partial(),
]);
const messages = z.array(messageSchema).optional().catch(undefined);

function messageText(m: z.infer<typeof messageSchema>): string {
  if (typeof m === 'string') return m;
  const text = m.description || m.error || 'unspecified error';
  const num = m.error_number ?? m.errno;
  const extra = [m.source ? `source ${m.source}` : null, num !== undefined && num !== 0 ? `error ${num}` : null].filter((x) => x !== null);
  return extra.length > 0 ? `${text} (${extra.join(', ')})` : text;
}

/** Parse the text of a `--json` output; throws `SlurmJsonError` with an excerpt when it is not JSON. */
export function parseEnvelope(text: string, command: JsonCommand): Envelope {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new SlurmJsonError(command, 'not-json', `not JSON (${why})`, '$', text);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new SlurmJsonError(command, 'shape', 'not a JSON object', '$', text.slice(0, 200));
  }
  const record = doc as Record<string, unknown>;
  const version = detectJsonVersion(record, command);
  const slurmErrors = (messages.parse(record.errors) ?? []).map(messageText);
  const slurmWarnings = (messages.parse(record.warnings) ?? []).map(messageText);
  const warnings = [...(version.note ? [version.note] : []), ...slurmWarnings.map((w) => `Slurm warning: ${w}`)];
  return { doc: record, version, warnings, slurmErrors };
}

/**
 * The document's main list at `path` (`['jobs']`, `['shares', 'shares']`). Slurm errors with a missing or
 * empty list are Slurm's failure (thrown: an unreachable slurmdbd must not read as "no jobs"); with
 * records, the errors become warnings (Slurm returned what it could). Missing without errors, or not a
 * list, is a shape error.
 */
export function mainList(env: Envelope, command: JsonCommand, path: readonly string[]): unknown[] {
  let node: unknown = env.doc;
  for (const key of path) node = typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  const where = `$.${path.join('.')}`;
  if (Array.isArray(node) && (node.length > 0 || env.slurmErrors.length === 0)) {
    env.warnings.push(...env.slurmErrors.map((e) => `Slurm error: ${e}`));
    return node;
  }
  if (env.slurmErrors.length > 0) {
    throw new SlurmJsonError(command, 'slurm-error', `Slurm reported: ${env.slurmErrors.join('; ')}`, where, JSON.stringify(env.doc.errors));
  }
  if (node === undefined) throw new SlurmJsonError(command, 'shape', `no "${path.join('.')}" list (is this ${command} output?)`, where, Object.keys(env.doc).join(','));
  throw new SlurmJsonError(command, 'shape', `"${path.join('.')}" is not a list`, where, JSON.stringify(node)?.slice(0, 200) ?? '');
}
