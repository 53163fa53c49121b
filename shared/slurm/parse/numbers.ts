// Numbers as Slurm prints them: plain integers, sizes with a binary unit suffix (`64G`, `500M`, `1.50T`),
// and counts with a suffix (`1K` = 1024, as Slurm's GRES count parser reads it).
import { SlurmParseError, type SlurmParser } from './errors';

const SUFFIX_POWER: Record<string, number> = { K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };

/** A non-negative integer (digits only); throws on anything else, including values beyond 2^53. */
export function parseInteger(text: string, parser: SlurmParser = 'number'): number {
  if (!/^\d{1,16}$/.test(text)) throw new SlurmParseError(parser, 'not a non-negative integer', text);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new SlurmParseError(parser, 'integer too large', text);
  return n;
}

/** A number with an optional sign and decimals (`-0.5`, `12`, `1e-05` as sshare prints tiny factors). */
export function parseDecimal(text: string, parser: SlurmParser = 'number'): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new SlurmParseError(parser, 'not a number', text);
  const n = Number(text);
  if (!Number.isFinite(n)) throw new SlurmParseError(parser, 'number out of range', text);
  return n;
}

/**
 * `value[K|M|G|T|P|E]` scaled by 1024 per step, relative to `baseSuffix` (the unit a bare number is in):
 * with base `M`, `64G` is 65536 and `512K` is 0.5. Suffixes are case-insensitive, as Slurm accepts them.
 */
export function parseScaled(text: string, baseSuffix: '' | 'K' | 'M', parser: SlurmParser = 'number'): number {
  const m = /^(\d+(?:\.\d+)?)([KMGTPEkmgtpe]?)$/.exec(text);
  if (!m) throw new SlurmParseError(parser, 'not a size or count', text);
  const value = Number(m[1]);
  const suffix = (m[2] as string).toUpperCase();
  const power = (suffix === '' ? 0 : (SUFFIX_POWER[suffix] as number)) - (baseSuffix === '' ? 0 : (SUFFIX_POWER[baseSuffix] as number));
  const scaled = suffix === '' ? value : value * 1024 ** power;
  if (!Number.isFinite(scaled) || scaled > Number.MAX_SAFE_INTEGER) throw new SlurmParseError(parser, 'value too large', text);
  return scaled;
}
