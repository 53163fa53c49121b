// status: per cluster, what the cache says now and how old it is. Reads only the cache: works offline.
import type { ClusterStatusCounts } from '../../../../shared/fleet/cluster-status';
import { clusterStates } from '../../../core/api/fleet';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import type { Capabilities } from '../../../../shared/model/capabilities';
import { EXIT, type Command } from '../command';
import { age, formatTable, printJson } from '../output';

export interface ClusterStatus extends ClusterStatusCounts {
  name: string;
  slurmVersion: string | null;
  /** Epoch seconds of the newest snapshot, null if never synced. */
  lastSyncAt: number | null;
  /** When the node and queue data shown were collected. */
  nodesAt: number | null;
  queueAt: number | null;
  lastErrors: { kind: string; message: string }[];
  /** What the probe found: the user's rights, accounting, --json support, time zone, warnings. */
  capabilities: Capabilities | null;
}

export const statusCommand: Command = {
  path: ['status'],
  summary: 'GPUs allocated / idle / unavailable, jobs and node states per cluster, from the cache',
  usage: 'status [--cluster NAME]... [--json]',
  details:
    'allocated: GPUs in use by jobs; unavailable: unallocated GPUs on nodes that cannot take work (down, drained\n' +
    'or draining, failing, not responding, invalid, maintenance); idle: the other unallocated GPUs.\n' +
    'Pending jobs count every task of a pending array; pendingGpus is the GPUs they request.',
  options: { cluster: { type: 'string', multiple: true, help: 'NAME: only this cluster' } },
  async run(ctx, args) {
    const wanted = (args.values.cluster as string[] | undefined) ?? [];
    const clusters = new ClustersRepo(ctx.store().db);
    for (const n of wanted) clusters.idOf(n);
    const result: ClusterStatus[] = clusterStates(ctx.store(), { clusters: wanted }).map((s) => ({
      name: s.card.name,
      slurmVersion: s.card.slurmVersion,
      lastSyncAt: s.card.lastSyncAt,
      nodesAt: s.card.nodesAt,
      queueAt: s.card.queueAt,
      lastErrors: s.card.lastErrors,
      capabilities: s.capabilities,
      ...s.card.counts,
    }));
    if (ctx.json) {
      printJson(ctx, result);
      return EXIT.ok;
    }
    if (result.length === 0) {
      ctx.io.stdout("No clusters configured. Add one with 'clusterops clusters add'.\n");
      return EXIT.ok;
    }
    const now = Math.floor(Date.now() / 1000);
    ctx.io.stdout(
      formatTable(
        ['CLUSTER', 'SLURM', 'AS OF', 'GPUS', 'ALLOC', 'IDLE', 'UNAVAIL', 'RUN', 'PEND', 'PEND GPUS', 'NODES'],
        result.map((s) => [
          s.name,
          s.slurmVersion,
          age(now, s.lastSyncAt),
          s.gpus.total,
          s.gpus.allocated,
          s.gpus.idle,
          s.gpus.unavailable,
          s.jobs.running,
          s.jobs.pending,
          s.pendingGpus,
          Object.entries(s.nodes.byState)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => `${v} ${k}`)
            .join(', ') || null,
        ]),
      ),
    );
    for (const s of result) {
      const c = s.capabilities;
      if (c) {
        const rights = c.adminLevel !== 'None' ? c.adminLevel : c.coordinatorOf.length ? `coordinator of ${c.coordinatorOf.join(', ')}` : 'plain user';
        ctx.io.stdout(`${s.name}: ${c.user} is ${rights}; accounting ${c.accounting ? 'answers' : 'unavailable'}; times in ${c.timeZone}${c.privateData.length ? `; PrivateData=${c.privateData.join(',')}` : ''}\n`);
        for (const w of c.warnings ?? []) ctx.io.stdout(`${s.name}: note: ${w}\n`);
      }
      for (const e of s.lastErrors) ctx.io.stdout(`${s.name}: last sync could not collect ${e.kind}: ${e.message}\n`);
    }
    return EXIT.ok;
  },
};
