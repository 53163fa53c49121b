// TRES lists as sacct prints them in JSON: `[{type: "gres", name: "gpu:h100", id: 1002, count: 4}, …]`.
// Each entry becomes `type/name=count` in Slurm's base unit (mem and bb in MiB, fs/ic in bytes: the same
// units the JSON counts are in) and the string goes through the one TRES parser, so GPU types, `other`
// TRES and the gres/gpu total come out exactly as from sacct's AllocTRES text. Counts Slurm could not
// fill in (null in 22.05, negative NO_VAL/INFINITE markers such as `energy: -2` later) are left out,
// as sacct's text leaves them out.
import { z } from 'zod';
import type { Tres } from '../../model/tres';
import { parseTres } from '../parse/tres';
import { FieldError } from './values';

export const tresEntry = z.object({
  type: z.string(),
  name: z.string().nullable().optional(),
  count: z.number().nullable().optional(),
});
export const tresList = z.array(tresEntry).nullable().optional();
export type TresList = z.infer<typeof tresList>;

/** Allocations repeat a lot (the same job shapes over and over): parse each TRES string once. */
const CACHE_LIMIT = 10_000;
const cache = new Map<string, Tres>();

function cachedTres(text: string): Tres {
  let t = cache.get(text);
  if (t === undefined) {
    t = parseTres(text);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, t);
  }
  return { ...t, gpuByType: { ...t.gpuByType }, other: { ...t.other } };
}

export function tresFromList(list: TresList, field: string): Tres {
  const parts: string[] = [];
  for (const e of list ?? []) {
    if (typeof e.count !== 'number' || e.count < 0) continue;
    if (!Number.isSafeInteger(e.count)) throw new FieldError(field, `TRES ${e.type} count not an integer: ${e.count}`);
    const name = e.name ? `${e.type}/${e.name}` : e.type;
    parts.push(`${name}=${e.count}`);
  }
  try {
    return cachedTres(parts.join(','));
  } catch (err) {
    throw new FieldError(field, err instanceof Error ? err.message : String(err));
  }
}
