// Which JSON generation printed a document, from its `meta`:
//   22.05 (openapi v0.0.38):  meta.plugin.type = "openapi/v0.0.38" (sacct: "openapi/dbv0.0.38"),
//                             meta.Slurm.version = {major: 22, minor: 5, micro: 8} (numbers), meta.Slurm.release
//   23.02+ (data_parser):     meta.plugin.data_parser = "data_parser/v0.0.42" (`plugin.type` empty from the
//                             CLI, "openapi/slurmctld" from slurmrestd), meta.slurm.version with numbers
//                             as strings ("24", "11", "5"), meta.slurm.release = "24.11.5"
// The parser version decides the shape (`--json=v0.0.40` on 24.11 prints v0.0.40); the release is the
// fallback when no parser is named. A version newer or older than every family we know is read with the
// nearest family, and the result says so, because a new Slurm mostly adds fields.
import { z } from 'zod';
import { SlurmJsonError, type JsonCommand } from './errors';
import { familyByParser, familyByRelease, nearestFamily, type Family } from './families';

export interface JsonVersion {
  family: Family;
  /** `exact`: the parser version is a known family. `nearest`: it is not, the closest family is used.
   * `release`: no parser was named; the release's default parser was assumed. */
  match: 'exact' | 'nearest' | 'release';
  /** The parser as printed (`data_parser/v0.0.42`, `openapi/v0.0.38`), null when absent. */
  parser: string | null;
  /** The parser's minor number (42), null when absent. */
  parserNumber: number | null;
  /** `24.11.5`, null when the document does not say. */
  slurmRelease: string | null;
  /** Set when `match` is not `exact`: which family was used instead, in words. */
  note: string | null;
}

const versionPart = z.union([z.number(), z.string()]).optional();
const slurmInfo = z
  .object({
    version: z.object({ major: versionPart, minor: versionPart, micro: versionPart }).partial().optional(),
    release: z.string().optional(),
  })
  .optional();

const metaSchema = z.object({
  plugin: z.object({ type: z.string().optional(), name: z.string().optional(), data_parser: z.string().optional() }).partial().optional(),
  slurm: slurmInfo,
  Slurm: slurmInfo,
});

const PARSER_NAME = /(?:^|\/)(?:db)?v0\.0\.(\d{1,3})$/;

function parserNumber(name: string | undefined): number | null {
  if (name === undefined || name === '') return null;
  const m = PARSER_NAME.exec(name.trim());
  return m ? Number(m[1]) : null;
}

function toInt(v: number | string | undefined): number | null {
  if (v === undefined) return null;
  const n = typeof v === 'number' ? v : /^\d{1,4}$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
}

/**
 * Detect the JSON generation of a parsed `--json` document. Throws `SlurmJsonError` (`no-version`) when
 * `meta` names neither a parser nor a release: guessing the shape of unknown output is how wrong values
 * get into a cache.
 */
export function detectJsonVersion(doc: unknown, command: JsonCommand): JsonVersion {
  const fail = (why: string): never => {
    throw new SlurmJsonError(command, 'no-version', why, '$.meta', JSON.stringify((doc as { meta?: unknown } | null)?.meta ?? null) ?? '');
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('document is not a JSON object');
  const parsed = metaSchema.safeParse((doc as { meta?: unknown }).meta);
  if (!parsed.success) return fail(`meta is missing or malformed (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  const meta = parsed.data;
  const slurm = meta.slurm ?? meta.Slurm;
  const major = toInt(slurm?.version?.major);
  const minor = toInt(slurm?.version?.minor);
  const micro = toInt(slurm?.version?.micro);
  const releaseText = slurm?.release ?? (major !== null && minor !== null ? `${major}.${String(minor).padStart(2, '0')}${micro !== null ? `.${micro}` : ''}` : null);

  const parserName = meta.plugin?.data_parser || meta.plugin?.type || null;
  const number = parserNumber(meta.plugin?.data_parser) ?? parserNumber(meta.plugin?.type);
  if (number !== null) {
    const exact = familyByParser(number);
    if (exact) return { family: exact, match: 'exact', parser: parserName, parserNumber: number, slurmRelease: releaseText, note: null };
    const near = nearestFamily(number);
    return {
      family: near,
      match: 'nearest',
      parser: parserName,
      parserNumber: number,
      slurmRelease: releaseText,
      note: `${parserName} is not a known JSON family; read as ${near.id} (Slurm ${near.release}), the nearest known`,
    };
  }
  if (major !== null && minor !== null) {
    const byRelease = familyByRelease(major, minor);
    const family = byRelease ?? nearestFamily(releaseParser(major, minor));
    return {
      family,
      match: 'release',
      parser: parserName,
      parserNumber: null,
      slurmRelease: releaseText,
      note: `meta names no JSON parser; assumed ${family.id}, ${byRelease ? 'the default of' : 'the nearest known to'} Slurm ${releaseText ?? `${major}.${minor}`}`,
    };
  }
  return fail('meta names neither a data_parser/openapi version nor a Slurm release');
}

/**
 * The parser number a release would print, following Slurm's cadence (22.05 → 38, 23.02 → 39, 23.11 → 40,
 * then one per release: 24.05 → 41, 24.11 → 42, …), used only to pick the nearest family.
 */
function releaseParser(major: number, minor: number): number {
  if (major < 23) return 38;
  if (major === 23) return minor >= 11 ? 40 : 39;
  return 41 + (major - 24) * 2 + (minor >= 11 ? 1 : 0);
}
