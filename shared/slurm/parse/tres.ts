// TRES strings: `cpu=8,mem=64G,node=1,billing=40,gres/gpu=4,gres/gpu:a100=4` (sacct AllocTRES/ReqTRES,
// squeue tres-alloc, scontrol TRES=) into the model's `Tres`; and the per-node / per-job GRES request
// forms (`gres:gpu:a100:2` from 22.05 squeue, `gres/gpu:h100:4` from 24.11, `gpu:2`, `gpu`).
import { emptyTres, type Tres } from '../../model/tres';
import { SlurmParseError } from './errors';
import { parseScaled } from './numbers';

/**
 * Slurm prints `mem` and burst buffers (`bb/...`) in MiB with a unit suffix (`mem=64G`, `mem=500M`), and
 * `fs/...` and `ic/...` in bytes with a suffix; every other TRES is a plain count.
 */
function tresValue(name: string, raw: string): number {
  const type = name.includes('/') ? name.slice(0, name.indexOf('/')) : name;
  if (name === 'mem' || type === 'bb') return Math.round(parseScaled(raw, 'M', 'tres'));
  if (type === 'fs' || type === 'ic') return Math.round(parseScaled(raw, '', 'tres'));
  return parseScaled(raw, '', 'tres');
}

const TRES_NAME = /^[A-Za-z][A-Za-z0-9_-]*(\/[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?)?$/;

/**
 * Parse a TRES string into a `Tres`. An empty string or `(null)` (pending jobs, steps) is an empty `Tres`.
 * `gpu` is `gres/gpu` when present, else the sum of the typed `gres/gpu:<type>` counts (clusters that track
 * only typed GPUs). A repeated TRES name is an error, not a silent overwrite.
 */
export function parseTres(text: string): Tres {
  const tres = emptyTres();
  const s = text.trim();
  if (s === '' || s === '(null)' || s === 'N/A') return tres;
  const seen = new Set<string>();
  let untypedGpu: number | null = null;
  let typedGpu = 0;
  for (const item of s.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new SlurmParseError('tres', `"${item}" is not name=value`, text);
    const name = item.slice(0, eq);
    const raw = item.slice(eq + 1);
    if (!TRES_NAME.test(name)) throw new SlurmParseError('tres', `bad TRES name "${name}"`, text);
    if (seen.has(name)) throw new SlurmParseError('tres', `TRES "${name}" given twice`, text);
    seen.add(name);
    const value = tresValue(name, raw);
    if (name === 'cpu') tres.cpu = value;
    else if (name === 'mem') tres.memMiB = value;
    else if (name === 'node') tres.node = value;
    else if (name === 'billing') tres.billing = value;
    else if (name === 'gres/gpu') untypedGpu = value;
    else if (name.startsWith('gres/gpu:')) {
      tres.gpuByType[name.slice('gres/gpu:'.length)] = value;
      typedGpu += value;
    } else tres.other[name] = value;
  }
  tres.gpu = untypedGpu ?? typedGpu;
  return tres;
}

/** A GRES request as squeue/scontrol print tres_per_node / tres_per_job. */
export interface GresRequest {
  /** All GPUs requested, typed or not. */
  gpus: number;
  /** Typed GPU requests, e.g. `{ a100: 2 }`. */
  gpuByType: Record<string, number>;
  /** The one GPU type asked for, null when untyped or several types. */
  gpuType: string | null;
  /** Other GRES by name (`shard`, `mps`, `gpu` excluded), typed ones as `name:type`. */
  other: Record<string, number>;
}

/**
 * Parse `gres:gpu:a100:2`, `gres/gpu:h100:4`, `gres/gpu=2`, `gpu:2`, `gpu:a100`, `gres:gpu:2,gres:shard:4`.
 * A missing count means 1 (as `--gres=gpu` does); a middle part made only of digits is a count, as in Slurm.
 * Empty, `(null)` and `N/A` give an empty request.
 */
export function parseGresRequest(text: string): GresRequest {
  const req: GresRequest = { gpus: 0, gpuByType: {}, gpuType: null, other: {} };
  const s = text.trim();
  if (s === '' || s === '(null)' || s === 'N/A') return req;
  let untyped = false;
  for (const item of s.split(',')) {
    let rest = item;
    if (rest.startsWith('gres:') || rest.startsWith('gres/')) rest = rest.slice(5);
    let countText = '1';
    const eq = rest.indexOf('=');
    if (eq !== -1) {
      countText = rest.slice(eq + 1);
      rest = rest.slice(0, eq);
    }
    const parts = rest.split(':');
    if (eq === -1 && parts.length > 1 && /^\d+(\.\d+)?[KMGTkmgt]?$/.test(parts[parts.length - 1] as string)) countText = parts.pop() as string;
    if (parts.length > 2 || parts.some((p) => !/^[A-Za-z0-9_.-]+$/.test(p))) throw new SlurmParseError('tres', `bad GRES request "${item}"`, text);
    const [name, type] = parts as [string, string | undefined];
    const count = parseScaled(countText, '', 'tres');
    if (!Number.isInteger(count)) throw new SlurmParseError('tres', `fractional GRES count in "${item}"`, text);
    if (name === 'gpu') {
      req.gpus += count;
      if (type === undefined) untyped = true;
      else req.gpuByType[type] = (req.gpuByType[type] ?? 0) + count;
    } else {
      const key = type === undefined ? name : `${name}:${type}`;
      req.other[key] = (req.other[key] ?? 0) + count;
    }
  }
  const types = Object.keys(req.gpuByType);
  req.gpuType = types.length === 1 && !untyped ? (types[0] as string) : null;
  return req;
}
