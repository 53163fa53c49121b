// preemptions: runs ended by preemption (and, with --requeued, by an admin or owner requeue), with the
// run time and GPU-hours they lost. From the cached accounting runs (sacct -D).
import type { AccountingRun } from '../../../../shared/model/run';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import { RunsRepo } from '../../../core/store/runs-repo';
import { EXIT, stringList, stringOption, type Command } from '../command';
import { formatTable, printJson } from '../output';
import { parseTimeArg } from '../time-args';

/** Wall-clock seconds the run held its allocation before it was ended. */
function lostSeconds(run: AccountingRun): number {
  if (run.elapsed > 0) return run.elapsed;
  return run.startTime !== null && run.endTime !== null ? Math.max(0, run.endTime - run.startTime) : 0;
}

export const preemptionsCommand: Command = {
  path: ['preemptions'],
  summary: 'preempted runs with the run time and GPU-hours they lost, from the cache',
  usage: 'preemptions [--since TIME] [--cluster N]... [--requeued] [--json]',
  details: 'TIME: 2026-11-01, an ISO time, epoch seconds, or a span back from now such as 7d or 36h (default 7d).',
  options: {
    since: { type: 'string', help: 'TIME: runs ended at or after this (default 7d)' },
    cluster: { type: 'string', multiple: true, help: 'NAME: only this cluster' },
    requeued: { type: 'boolean', help: 'also runs ended by scontrol requeue (state REQUEUED)' },
  },
  async run(ctx, args) {
    const now = Math.floor(Date.now() / 1000);
    const since = parseTimeArg(stringOption(args, 'since') ?? '7d', now, 'since');
    const db = ctx.store().db;
    const clusters = new ClustersRepo(db);
    const runsRepo = new RunsRepo(db);
    const only = stringList(args, 'cluster');
    for (const n of only) clusters.idOf(n);
    const states = args.values.requeued ? ['PREEMPTED', 'REQUEUED'] : ['PREEMPTED'];
    const rows = clusters
      .list()
      .filter((c) => only.length === 0 || only.includes(c.name))
      .flatMap((c) =>
        runsRepo
          .inWindow(c.id, since, now + 1, { states })
          .filter((r) => r.endTime !== null && r.endTime >= since)
          .map((run) => {
            const seconds = lostSeconds(run);
            return { cluster: c.name, run, lostSeconds: seconds, gpuHoursLost: (run.allocTres.gpu * seconds) / 3600 };
          }),
      )
      .sort((a, b) => (b.run.endTime ?? 0) - (a.run.endTime ?? 0));
    if (ctx.json) {
      printJson(ctx, rows.map((r) => ({ cluster: r.cluster, ...r.run, lostSeconds: r.lostSeconds, gpuHoursLost: r.gpuHoursLost })));
      return EXIT.ok;
    }
    const iso = (t: number | null) => (t === null ? null : new Date(t * 1000).toISOString().replace('.000Z', 'Z'));
    ctx.io.stdout(
      formatTable(
        ['CLUSTER', 'JOBID', 'USER', 'ACCOUNT', 'PARTITION', 'QOS', 'STATE', 'GPUS', 'STARTED', 'ENDED', 'LOST (h)', 'GPU-H LOST'],
        rows.map(({ cluster, run, lostSeconds: s, gpuHoursLost }) => [
          cluster,
          run.jobId,
          run.user,
          run.account,
          run.partition,
          run.qos,
          run.state,
          run.allocTres.gpu,
          iso(run.startTime),
          iso(run.endTime),
          Number((s / 3600).toFixed(2)),
          Number(gpuHoursLost.toFixed(2)),
        ]),
      ),
    );
    const total = rows.reduce((a, r) => a + r.gpuHoursLost, 0);
    ctx.io.stdout(`${rows.length} runs, ${total.toFixed(2)} GPU-hours lost since ${iso(since)}\n`);
    return EXIT.ok;
  },
};
