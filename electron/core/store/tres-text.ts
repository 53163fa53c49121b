// How the store keeps TRES it does not split into columns: Slurm's own notation with plain numbers
// (`cpu=8,mem=65536,node=1,billing=40,gres/gpu=4,gres/gpu:a100=4,energy=12`, mem in MiB, fs/ic in bytes, as
// bare numbers mean to Slurm's parser), so it reads back through the one TRES parser in shared/slurm and a
// person can read it in `sqlite3`.
import type { Tres } from '../../../shared/model/tres';
import { parseTres } from '../../../shared/slurm/parse/tres';
import { StoreError } from './errors';

function num(name: string, value: number): string {
  // Slurm's parser reads neither NaN, negatives nor exponent notation, which String() uses from 1e21 up
  // and below 1e-6 (checked on the number: this runs for every TRES of every stored run).
  if (!(value === 0 || (value >= 1e-6 && value < 1e21))) throw new StoreError('bad-value', `TRES ${name}=${String(value)} cannot be stored`);
  return `${name}=${value}`;
}

function isEmpty(o: Record<string, number>): boolean {
  for (const _ in o) return false;
  return true;
}

/** `gres/gpu:<type>=N,...`, sorted by type; '' when none. */
export function formatGpuTypes(byType: Record<string, number>): string {
  if (isEmpty(byType)) return ''; // most runs: no per-type GPUs or no GPUs; skip the allocations
  return Object.keys(byType)
    .sort()
    .map((t) => num(`gres/gpu:${t}`, byType[t] as number))
    .join(',');
}

/** Every TRES that is not cpu, mem, node, billing or a GPU, sorted by name; '' when none. */
export function formatOtherTres(other: Record<string, number>): string {
  if (isEmpty(other)) return '';
  return Object.keys(other)
    .sort()
    .map((n) => num(n, other[n] as number))
    .join(',');
}

/** A whole `Tres`. Zero counts of cpu/mem/node/billing/gpu are left out (they read back as 0). */
export function formatTres(t: Tres): string {
  const parts: string[] = [];
  if (t.cpu !== 0) parts.push(num('cpu', t.cpu));
  if (t.memMiB !== 0) parts.push(num('mem', t.memMiB));
  if (t.node !== 0) parts.push(num('node', t.node));
  if (t.billing !== 0) parts.push(num('billing', t.billing));
  if (t.gpu !== 0 || Object.keys(t.gpuByType).length > 0) parts.push(num('gres/gpu', t.gpu));
  const types = formatGpuTypes(t.gpuByType);
  if (types) parts.push(types);
  const other = formatOtherTres(t.other);
  if (other) parts.push(other);
  return parts.join(',');
}

/**
 * formatGpuTypes + formatOtherTres and formatTres of Tres objects a parser shares between runs (the sacct
 * parser's `shared` mode), cached by object identity: a million runs hold a few hundred distinct TRES.
 * Only for objects nobody changes (the shared ones are frozen).
 */
export class TresFormatCache {
  private readonly parts = new Map<Tres, readonly [string, string]>();
  private readonly whole = new Map<Tres, string>();

  /** [formatGpuTypes(t.gpuByType), formatOtherTres(t.other)]. */
  gpuTypesAndOther(t: Tres): readonly [string, string] {
    let hit = this.parts.get(t);
    if (hit === undefined) {
      hit = [formatGpuTypes(t.gpuByType), formatOtherTres(t.other)];
      if (this.parts.size >= 20_000) this.parts.clear();
      this.parts.set(t, hit);
    }
    return hit;
  }

  /** formatTres(t). */
  tres(t: Tres): string {
    let hit = this.whole.get(t);
    if (hit === undefined) {
      hit = formatTres(t);
      if (this.whole.size >= 20_000) this.whole.clear();
      this.whole.set(t, hit);
    }
    return hit;
  }
}

/** Read back what formatTres (or formatGpuTypes / formatOtherTres) wrote. */
export function readTres(text: string | null): Tres {
  try {
    return parseTres(text ?? '');
  } catch (err) {
    throw new StoreError('bad-value', `stored TRES "${text}" is unreadable: ${(err as Error).message}`, { cause: err });
  }
}
