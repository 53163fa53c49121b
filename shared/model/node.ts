// A compute node as the console models it, whatever Slurm version or command it was read from.

/** Slurm's base node states (the part before any `+FLAG`). */
export type NodeBaseState = 'IDLE' | 'MIXED' | 'ALLOCATED' | 'DOWN' | 'ERROR' | 'FUTURE' | 'UNKNOWN';

/**
 * State flags, upper case as Slurm spells them (`DRAIN`, `DRAINING` is not a flag: it is DRAIN on a node
 * that still runs jobs), plus `NOT_RESPONDING` for the `*` suffix. Unknown flags are kept as they come.
 */
export type NodeFlag =
  | 'DRAIN'
  | 'COMPLETING'
  | 'NOT_RESPONDING'
  | 'FAIL'
  | 'MAINTENANCE'
  | 'RESERVED'
  | 'REBOOT_REQUESTED'
  | 'REBOOT_ISSUED'
  | 'POWERED_DOWN'
  | 'POWERING_DOWN'
  | 'POWERING_UP'
  | 'POWER_DOWN'
  | 'CLOUD'
  | 'PLANNED'
  | 'INVALID_REG'
  | 'DYNAMIC_NORM'
  | 'BLOCKED'
  | (string & {});

/** GPUs of one type on one node (type null when the cluster declares untyped `gpu:N`). */
export interface NodeGpus {
  type: string | null;
  total: number;
  used: number;
  /** Indices in use (`IDX:0-1,3`), when Slurm reports them. */
  usedIndices: number[] | null;
}

export interface SlurmNode {
  name: string;
  state: NodeBaseState;
  flags: NodeFlag[];
  /** Why the node is drained/down, as the admin or slurmctld wrote it. */
  reason: string | null;
  reasonUser: string | null;
  /** Epoch seconds. */
  reasonTime: number | null;
  partitions: string[];
  cpus: { total: number; allocated: number };
  memoryMiB: { total: number; allocated: number };
  gpus: NodeGpus[];
  features: string[];
  /** Other GRES (not GPUs) in Slurm's own notation. */
  otherGres: string | null;
}

/** States in which unallocated GPUs on the node cannot take work (they count as "unavailable"). */
const NO_WORK_FLAGS = new Set<string>(['DRAIN', 'FAIL', 'NOT_RESPONDING', 'MAINTENANCE', 'INVALID_REG', 'REBOOT_ISSUED', 'POWERED_DOWN', 'POWERING_DOWN', 'POWER_DOWN']);

export function nodeCanTakeWork(node: Pick<SlurmNode, 'state' | 'flags'>): boolean {
  if (node.state === 'DOWN' || node.state === 'ERROR' || node.state === 'FUTURE' || node.state === 'UNKNOWN') return false;
  return !node.flags.some((f) => NO_WORK_FLAGS.has(f));
}

/** The short label an admin expects: `drained`, `draining`, `down*`, `mixed`, … (as sinfo %T prints). */
export function nodeStateLabel(node: Pick<SlurmNode, 'state' | 'flags'>): string {
  const drain = node.flags.includes('DRAIN');
  const busy = node.state === 'ALLOCATED' || node.state === 'MIXED' || node.flags.includes('COMPLETING');
  let label = node.state.toLowerCase();
  if (drain && node.state !== 'DOWN') label = busy ? 'draining' : 'drained';
  if (node.flags.includes('FAIL')) label = busy ? 'failing' : 'fail';
  if (node.flags.includes('MAINTENANCE')) label = 'maint';
  if (node.flags.includes('NOT_RESPONDING')) label += '*';
  return label;
}

export function nodeGpuTotals(node: Pick<SlurmNode, 'gpus'>): { total: number; used: number } {
  return node.gpus.reduce((a, g) => ({ total: a.total + g.total, used: a.used + g.used }), { total: 0, used: 0 });
}
