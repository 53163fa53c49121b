// jobs: every cluster's queue from the cache, filtered.
import { jobGpuCount, taskCount } from '../../../../shared/fleet/cluster-status';
import type { QueuedJob } from '../../../../shared/model/job';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import { JobsRepo } from '../../../core/store/jobs-repo';
import { SnapshotsRepo } from '../../../core/store/snapshots-repo';
import { EXIT, stringList, stringOption, type Command } from '../command';
import { age, formatTable, printJson } from '../output';

export const jobsCommand: Command = {
  path: ['jobs'],
  summary: 'jobs in the queue of every cluster, from the cache (filters combine with AND; lists with OR)',
  usage: 'jobs [--cluster N]... [--state S,...] [--user U,...] [--account A,...] [--partition P,...] [--qos Q,...] [--reason R,...] [--gpu-type T,...] [--text WORD] [--json]',
  options: {
    cluster: { type: 'string', multiple: true, help: 'NAME: only this cluster' },
    state: { type: 'string', multiple: true, help: 'STATE: RUNNING, PENDING, …' },
    user: { type: 'string', multiple: true, help: 'USER' },
    account: { type: 'string', multiple: true, help: 'ACCOUNT' },
    partition: { type: 'string', multiple: true, help: 'PARTITION' },
    qos: { type: 'string', multiple: true, help: 'QOS' },
    reason: { type: 'string', multiple: true, help: 'REASON: pending reason, e.g. Resources' },
    'gpu-type': { type: 'string', multiple: true, help: 'TYPE: GPU type the job holds or asks for' },
    text: { type: 'string', help: 'WORD: in the job id, name, user, account or node list' },
  },
  async run(ctx, args) {
    const db = ctx.store().db;
    const clusters = new ClustersRepo(db);
    const snapshots = new SnapshotsRepo(db);
    const jobsRepo = new JobsRepo(db);
    const only = stringList(args, 'cluster');
    for (const n of only) clusters.idOf(n);
    const set = (name: string) => new Set(stringList(args, name).map((s) => s.toLowerCase()));
    const [states, users, accounts, partitions, qos, reasons, gpuTypes] = ['state', 'user', 'account', 'partition', 'qos', 'reason', 'gpu-type'].map(set) as Set<string>[];
    const text = stringOption(args, 'text')?.toLowerCase();
    const match = (s: Set<string>, v: string | null) => s.size === 0 || (v !== null && s.has(v.toLowerCase()));
    const keep = (j: QueuedJob) =>
      match(states as Set<string>, j.state) &&
      match(users as Set<string>, j.user) &&
      match(accounts as Set<string>, j.account) &&
      match(partitions as Set<string>, j.partition) &&
      match(qos as Set<string>, j.qos) &&
      match(reasons as Set<string>, j.reason) &&
      ((gpuTypes as Set<string>).size === 0 || [j.gpuType, ...Object.keys((j.tresAlloc ?? j.tresReq).gpuByType)].some((t) => t !== null && (gpuTypes as Set<string>).has(t.toLowerCase()))) &&
      (!text || [j.jobId, j.name, j.user, j.account, j.nodesExpr ?? ''].some((f) => f.toLowerCase().includes(text)));

    const rows: { cluster: string; asOf: number; job: QueuedJob }[] = [];
    for (const c of clusters.list()) {
      if (only.length && !only.includes(c.name)) continue;
      const snap = snapshots.latest(c.id, 'queue');
      if (!snap) continue;
      for (const job of jobsRepo.current(snap.id)) if (keep(job)) rows.push({ cluster: c.name, asOf: snap.finishedAt, job });
    }
    if (ctx.json) {
      printJson(ctx, rows.map((r) => ({ cluster: r.cluster, asOf: r.asOf, ...r.job })));
      return EXIT.ok;
    }
    const now = Math.floor(Date.now() / 1000);
    const asOf = [...new Map(rows.map((r) => [r.cluster, r.asOf])).entries()].map(([c, t]) => `${c} as of ${age(now, t)}`).join(', ');
    ctx.io.stdout(
      formatTable(
        ['CLUSTER', 'JOBID', 'USER', 'ACCOUNT', 'PARTITION', 'QOS', 'STATE', 'REASON', 'GPUS', 'TIME', 'NODES', 'NAME'],
        rows.map(({ cluster, job: j }) => [
          cluster,
          j.jobId,
          j.user,
          j.account,
          j.partition,
          j.qos,
          j.state,
          j.reason,
          jobGpuCount(j) * taskCount(j),
          j.state === 'PENDING' ? `waiting ${age(now, j.submitTime).replace(' ago', '')}` : j.startTime ? `running ${age(now, j.startTime).replace(' ago', '')}` : null,
          j.nodesExpr,
          j.name,
        ]),
      ),
    );
    ctx.io.stdout(`${rows.length} jobs${asOf ? ` (${asOf})` : ''}\n`);
    return EXIT.ok;
  },
};
