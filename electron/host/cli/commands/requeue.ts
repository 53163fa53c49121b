// requeue: bulk scontrol requeue / requeuehold / release with a live preview, a confirmation, throttled
// batches and the audit log; --retry and --undo work on an earlier action from the log.
import type { ActionKind, ActionPreview, ActionRecord, JobFilter, RunOptions, Selection } from '../../../../shared/api/methods/actions';
import { ActionService, DEFAULT_RUN_OPTIONS } from '../../../core/actions/action-service';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import { EXIT, UsageError, intOption, stringList, stringOption, type Command, type CommandArgs, type ExitCode } from '../command';
import type { CliContext } from '../context';
import { formatTable, printJson } from '../output';
import { cliServices } from '../services';
import { parseTimeArg } from '../time-args';

const FILTERS = {
  state: 'states',
  user: 'users',
  account: 'accounts',
  partition: 'partitions',
  qos: 'qos',
  reason: 'reasons',
  node: 'nodes',
} as const;

function filterOf(args: CommandArgs): JobFilter | null {
  const f: JobFilter = {};
  for (const [opt, key] of Object.entries(FILTERS)) {
    const v = stringList(args, opt);
    if (v.length) f[key] = v;
  }
  const now = Math.floor(Date.now() / 1000);
  const time = (opt: string) => {
    const s = stringOption(args, opt);
    return s === undefined ? undefined : parseTimeArg(s, now, opt);
  };
  const times = { submittedFrom: time('submitted-after'), submittedTo: time('submitted-before'), startedFrom: time('started-after'), startedTo: time('started-before') };
  for (const [k, v] of Object.entries(times)) if (v !== undefined) f[k as keyof typeof times] = v;
  return Object.keys(f).length ? f : null;
}

function actionOf(args: CommandArgs): ActionKind {
  if (args.values.hold && args.values.release) throw new UsageError('--hold and --release exclude each other');
  return args.values.release ? 'release' : args.values.hold ? 'requeuehold' : 'requeue';
}

function printPreview(ctx: CliContext, p: ActionPreview): void {
  ctx.io.stdout(
    formatTable(
      ['JOBID', 'USER', 'ACCOUNT', 'STATE', 'GPUS', 'RUN', 'RESTARTS', 'WILL', 'WHY NOT'],
      p.jobs.map((j) => [j.jobId, j.user, j.account, j.state, j.gpus, j.runSeconds ? `${Math.round(j.runSeconds / 60)}m` : null, j.restarts, j.willRun ? p.action : 'skip', j.skip ? `${j.skip}: ${j.why ?? ''}` : null]),
    ),
  );
  const t = p.totals;
  ctx.io.stdout(
    `${p.cluster}: ${p.action} ${t.willRun} of ${t.selected} jobs as ${p.clusterUser} (AdminLevel ${p.adminLevel})` +
      (p.action === 'release' ? '' : `, ${t.gpusFreed} GPUs freed, ${t.gpuHoursLost} GPU-hours of run time lost`) +
      `; users: ${t.users.join(', ') || '-'}; accounts: ${t.accounts.join(', ') || '-'}` +
      (t.skipped ? `; skipped: ${Object.entries(t.bySkip).map(([k, n]) => `${n} ${k}`).join(', ')}` : '') +
      '\n',
  );
}

function printRecord(ctx: CliContext, r: ActionRecord): void {
  const sent = r.results.filter((x) => x.status !== 'skipped');
  if (sent.length) ctx.io.stdout(formatTable(['JOBID', 'RESULT', 'RETRYABLE', 'SLURM SAID'], sent.map((x) => [x.jobId, x.status, x.status === 'done' ? null : x.retryable ? 'yes' : 'no', x.message])));
  const c = r.counts;
  ctx.io.stdout(`action ${r.id} (${r.origin}${r.parentId ? ` of ${r.parentId}` : ''}) ${r.outcome ?? 'running'}: ${c.done} done, ${c.failed} failed, ${c.unknown} unknown, ${c.cancelled} cancelled, ${c.skipped} skipped\n`);
}

function exitOf(records: readonly ActionRecord[]): ExitCode {
  const bad = records.reduce((n, r) => n + r.counts.failed + r.counts.unknown + r.counts.cancelled, 0);
  const done = records.reduce((n, r) => n + r.counts.done, 0);
  if (bad === 0) return EXIT.ok;
  return done > 0 ? EXIT.partial : EXIT.error;
}

async function confirm(ctx: CliContext, args: CommandArgs, p: ActionPreview): Promise<boolean> {
  if (args.values.yes) return true;
  if (!ctx.io.readLine) throw new UsageError('no terminal to confirm on: check the preview with --dry-run, then run again with --yes');
  if (p.totals.willRun > p.confirmNameAbove) {
    const typed = await ctx.io.readLine(`${p.action} ${p.totals.willRun} jobs on ${p.cluster}: type the cluster name to go ahead: `);
    return typed?.trim() === p.cluster;
  }
  const answer = await ctx.io.readLine(`${p.action} ${p.totals.willRun} jobs on ${p.cluster}? [y/N] `);
  return /^y(es)?$/i.test(answer?.trim() ?? '');
}

function clustersFor(ctx: CliContext, wanted: string[], explicit: boolean): string[] {
  const repo = new ClustersRepo(ctx.store().db);
  for (const n of wanted) repo.idOf(n);
  if (wanted.length) {
    if (explicit && wanted.length > 1) throw new UsageError('job ids belong to one cluster: give one --cluster with --job');
    return wanted;
  }
  const all = repo.list().filter((c) => c.config.enabled).map((c) => c.name);
  if (all.length === 0) throw new UsageError("no clusters configured: add one with 'clusterops clusters add'");
  if (explicit && all.length > 1) throw new UsageError(`job ids belong to one cluster: say which with --cluster (${all.join(', ')})`);
  return all;
}

export const requeueCommand: Command = {
  path: ['requeue'],
  summary: 'requeue (or --hold, or --release) jobs in bulk: live preview, confirmation, batches, audit log',
  usage:
    'requeue [--cluster NAME]... (--job ID... | filters) [--hold | --release] [--dry-run] [--yes] [--batch N] [--pause-ms MS] [--json]\n' +
    '       clusterops requeue --retry ACTION_ID [--yes] | --undo ACTION_ID [--yes]',
  details:
    'Job ids: 123, 123_4 (array task), 123_[1-5,9] (tasks); anything else is refused before anything is sent.\n' +
    'Filters (over the cached queue; values ORed, options ANDed): --state --user --account --partition --qos\n' +
    '--reason --node, --submitted-after/--submitted-before/--started-after/--started-before TIME.\n' +
    'Every job is checked live just before the preview and again before the run. Without --yes the preview\n' +
    'is printed and you are asked; above 20 jobs you type the cluster name. --retry re-runs only the jobs of\n' +
    'an action that failed for a retryable reason (never one whose requeue took effect); --undo releases\n' +
    "exactly the jobs a requeuehold held. 'clusterops audit' shows the log.",
  options: {
    cluster: { type: 'string', multiple: true, help: 'NAME: the cluster (repeatable for filters)' },
    job: { type: 'string', multiple: true, help: 'ID: job id(s), comma- or space-separated' },
    ...Object.fromEntries(Object.keys(FILTERS).map((k) => [k, { type: 'string' as const, multiple: true, help: `${k.toUpperCase()}: filter` }])),
    'submitted-after': { type: 'string', help: 'TIME: submitted at or after' },
    'submitted-before': { type: 'string', help: 'TIME: submitted at or before' },
    'started-after': { type: 'string', help: 'TIME: started at or after' },
    'started-before': { type: 'string', help: 'TIME: started at or before' },
    hold: { type: 'boolean', help: 'scontrol requeuehold: requeue and hold' },
    release: { type: 'boolean', help: 'scontrol release: release held jobs' },
    'dry-run': { type: 'boolean', help: 'print the preview only' },
    yes: { type: 'boolean', help: 'do not ask' },
    batch: { type: 'string', help: `N: ids per scontrol call (default ${DEFAULT_RUN_OPTIONS.batchSize})` },
    'pause-ms': { type: 'string', help: `MS: pause between batches (default ${DEFAULT_RUN_OPTIONS.pauseMs})` },
    retry: { type: 'string', help: 'ACTION_ID: retry the retryable failures of an action' },
    undo: { type: 'string', help: 'ACTION_ID: release the jobs a requeuehold held' },
  },
  async run(ctx, args) {
    const options: RunOptions = {
      batchSize: intOption(args, 'batch', { min: 1, max: 1000 }) ?? DEFAULT_RUN_OPTIONS.batchSize,
      pauseMs: intOption(args, 'pause-ms', { min: 0, max: 600_000 }) ?? DEFAULT_RUN_OPTIONS.pauseMs,
    };
    const retryOf = intOption(args, 'retry', { min: 1, max: Number.MAX_SAFE_INTEGER });
    const undoOf = intOption(args, 'undo', { min: 1, max: Number.MAX_SAFE_INTEGER });
    const ids = stringList(args, 'job');
    const filter = filterOf(args);
    const modes = [retryOf !== undefined, undoOf !== undefined, ids.length > 0, filter !== null].filter(Boolean).length;
    if (modes !== 1) throw new UsageError('give exactly one of --job, filters, --retry, --undo');

    const services = cliServices(ctx);
    const abort = new AbortController();
    const onSigint = () => {
      ctx.progress('cancelling after the current batch…');
      abort.abort();
    };
    process.once('SIGINT', onSigint);
    const service = new ActionService({
      store: ctx.store(),
      sync: services.sync,
      pool: services.pool,
      onProgress: (p) => {
        if (p.batch > 0) ctx.progress(`${p.cluster}: ${p.action} batch ${p.batch}/${p.batches}: ${p.done} done, ${p.failed} not done of ${p.total}`);
      },
    });
    try {
      if (retryOf !== undefined || undoOf !== undefined) {
        const id = (retryOf ?? undoOf) as number;
        const earlier = service.get(id);
        if (!args.values.yes) {
          if (!ctx.io.readLine) throw new UsageError('no terminal to confirm on: run again with --yes');
          const a = await ctx.io.readLine(`${retryOf !== undefined ? 'retry the retryable failures of' : 'release the jobs held by'} action ${id} (${earlier.action} on ${earlier.cluster})? [y/N] `);
          if (!/^y(es)?$/i.test(a?.trim() ?? '')) return EXIT.error;
        }
        const record = retryOf !== undefined ? await service.retry(id, options, abort.signal) : await service.undo(id, options, abort.signal);
        if (ctx.json) printJson(ctx, record);
        else {
          printPreview(ctx, record.preview);
          printRecord(ctx, record);
        }
        return exitOf([record]);
      }
      const action = actionOf(args);
      const selection: Selection = ids.length ? { jobIds: ids } : { filter: filter as JobFilter };
      const names = clustersFor(ctx, stringList(args, 'cluster'), ids.length > 0);
      // Refuse bad ids before connecting anywhere.
      for (const n of names) service.resolveSelection(n, selection);
      const out: { preview: ActionPreview; action: ActionRecord | null }[] = [];
      let declined = false;
      for (const cluster of names) {
        const preview = await service.preview(cluster, action, selection);
        if (!ctx.json) printPreview(ctx, preview);
        if (args.values['dry-run'] || preview.totals.willRun === 0) {
          out.push({ preview, action: null });
          continue;
        }
        if (!(await confirm(ctx, args, preview))) {
          declined = true;
          ctx.io.stderr(`${cluster}: not confirmed, nothing sent\n`);
          out.push({ preview, action: null });
          continue;
        }
        const confirmed = preview.jobs.filter((j) => j.willRun).map((j) => j.jobId);
        const record = await service.run(cluster, action, selection, options, abort.signal, confirmed);
        if (!ctx.json) printRecord(ctx, record);
        out.push({ preview, action: record });
      }
      if (ctx.json) printJson(ctx, out);
      // Declined at the prompt: nothing was done that was asked for.
      if (declined) return EXIT.error;
      return exitOf(out.flatMap((o) => (o.action ? [o.action] : [])));
    } finally {
      process.removeListener('SIGINT', onSigint);
      await services.close();
    }
  },
};
