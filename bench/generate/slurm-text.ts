// Values printed the way Slurm prints them in `-P` text output, so generated outputs exercise the same
// code paths as real ones (checked against sacct of the test bed's 22.05 and 24.11 clusters).

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

let cachedDay = -1;
let cachedDate = '';
/** `2026-11-26T11:53:42` (Slurm's default TIME_FORMAT, no zone). The generator's clock is UTC. */
export function slurmTime(epoch: number): string {
  // Formatting through Date is the generator's hottest spot; the date part changes once a day.
  const day = Math.floor(epoch / 86400);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * 86400_000).toISOString().slice(0, 10);
  }
  const s = epoch - day * 86400;
  return `${cachedDate}T${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
}

/** `D-HH:MM:SS` when a day or more, else `HH:MM:SS` (Elapsed, Timelimit). */
export function slurmDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const hms = `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  return d > 0 ? `${d}-${hms}` : hms;
}

/** Memory as sacct prints it in TRES: `500G` when a whole number of GiB, else `8000M`. */
export function slurmMem(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}G` : `${mib}M`;
}

/** A TRES string in sacct's order: alphabetical by TRES name (`gres/gpu:a100` sorts before `gres/gpu`). */
export function slurmTres(t: { billing?: number; cpu?: number; gpuType?: string | null; gpus?: number; memMiB?: number; node?: number }): string {
  const parts: string[] = [];
  if (t.billing !== undefined) parts.push(`billing=${t.billing}`);
  if (t.cpu !== undefined) parts.push(`cpu=${t.cpu}`);
  if (t.gpus) {
    if (t.gpuType) parts.push(`gres/gpu:${t.gpuType}=${t.gpus}`);
    parts.push(`gres/gpu=${t.gpus}`);
  }
  if (t.memMiB !== undefined) parts.push(`mem=${slurmMem(t.memMiB)}`);
  if (t.node !== undefined) parts.push(`node=${t.node}`);
  return parts.join(',');
}

/**
 * Compress node names into a hostlist expression: `gpu-h100-[001-004,007],cpu-012`. Names must share a
 * prefix and a zero-padded numeric suffix to be merged, as Slurm's hostlist_ranged_string does.
 */
export function compressHostlist(names: string[]): string {
  const groups = new Map<string, { width: number; nums: number[] }>();
  const order: string[] = [];
  for (const name of names) {
    const m = /^(.*?)(\d+)$/.exec(name);
    const key = m ? `${m[1]}#${(m[2] as string).length}` : `${name}#literal`;
    let g = groups.get(key);
    if (!g) {
      g = { width: m ? (m[2] as string).length : -1, nums: [] };
      groups.set(key, g);
      order.push(key);
    }
    if (m) g.nums.push(Number(m[2]));
  }
  const out: string[] = [];
  for (const key of order) {
    const g = groups.get(key) as { width: number; nums: number[] };
    const prefix = key.slice(0, key.lastIndexOf('#'));
    if (g.width < 0) {
      out.push(prefix);
      continue;
    }
    const nums = [...new Set(g.nums)].sort((a, b) => a - b);
    const fmt = (n: number) => String(n).padStart(g.width, '0');
    if (nums.length === 1) {
      out.push(`${prefix}${fmt(nums[0] as number)}`);
      continue;
    }
    const ranges: string[] = [];
    let lo = nums[0] as number;
    let prev = lo;
    for (let i = 1; i <= nums.length; i++) {
      const n = nums[i];
      if (n !== undefined && n === prev + 1) {
        prev = n;
        continue;
      }
      ranges.push(lo === prev ? fmt(lo) : `${fmt(lo)}-${fmt(prev)}`);
      if (n !== undefined) lo = prev = n;
    }
    out.push(`${prefix}[${ranges.join(',')}]`);
  }
  return out.join(',');
}
