// Bulk requeue / requeuehold / release for one cluster: preview (live check + verdicts + totals), run in
// batches with every job's outcome in the audit log, retry of the retryable failures, undo of a
// requeuehold. Every path that sends a command first re-checks the jobs live, so a preview shown a minute
// ago never decides on its own what is sent.
import os from 'node:os';
import { expandJobIds } from '../../../shared/actions/job-id-list';
import { judgeJob, type Actor } from '../../../shared/actions/judge';
import { CONFIRM_NAME_ABOVE, previewTotals } from '../../../shared/actions/preview-totals';
import type { ActionKind, ActionOrigin, ActionPreview, ActionProgress, ActionRecord, JobPreview, JobResult, RunOptions, Selection } from '../../../shared/api/methods/actions';
import { JOB_ID_ARG, SlurmArgumentError } from '../../../shared/slurm/parse/job-id';
import { connectionRemote, type Remote } from '../collect/remote';
import { systemClock, type Clock } from '../ports';
import type { ClusterSync } from '../runtime/cluster-sync';
import type { ConnectionPool } from '../ssh/pool';
import { AuditRepo, type NewAction } from '../store/audit-repo';
import { ClustersRepo } from '../store/clusters-repo';
import type { Store } from '../store/db';
import { ActionError } from './action-error';
import { runBatches, type BatchItem } from './batch-runner';
import { cachedQueue, idsFromFilter } from './filter-selection';
import { liveCheck } from './live-check';

export const DEFAULT_RUN_OPTIONS: RunOptions = { batchSize: 50, pauseMs: 2000 };

export interface ActionServiceOptions {
  store: Store;
  sync: ClusterSync;
  pool: ConnectionPool;
  /** Who sits at this console (recorded next to the cluster user). Default: the OS user. */
  localUser?: string;
  clock?: Clock;
  onProgress?: (progress: ActionProgress) => void;
}

interface Checked {
  remote: Remote;
  actor: Actor;
  preview: ActionPreview;
}

function localUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** The id scontrol gets for a job the preview accepted. */
function commandId(j: JobPreview): string | null {
  if (JOB_ID_ARG.test(j.jobId)) return j.jobId;
  return JOB_ID_ARG.test(j.requested) ? j.requested : null;
}

export class ActionService {
  private readonly audit: AuditRepo;
  private readonly clock: Clock;
  private readonly localUser: string;
  private readonly running = new Map<number, AbortController>();

  constructor(private readonly options: ActionServiceOptions) {
    this.audit = new AuditRepo(options.store.db);
    this.clock = options.clock ?? systemClock;
    this.localUser = options.localUser ?? localUserName();
  }

  private nowS(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** The ids a selection stands for; explicit ids are checked and expanded, bad input refused whole. */
  resolveSelection(cluster: string, selection: Selection): string[] {
    try {
      if (selection.jobIds !== undefined) return expandJobIds(selection.jobIds);
      if (selection.filter !== undefined) return idsFromFilter(cachedQueue(this.options.store, cluster).jobs, selection.filter);
    } catch (err) {
      if (err instanceof SlurmArgumentError) throw new ActionError('bad-selection', `${err.message}: nothing was sent`);
      throw err;
    }
    throw new ActionError('bad-selection', 'give job ids or a filter');
  }

  private async check(cluster: string, action: ActionKind, ids: readonly string[], previous?: ActionRecord): Promise<Checked> {
    const config = this.options.sync.config(cluster);
    const caps = await this.options.sync.capabilities(config);
    const connection = this.options.pool.get(config);
    const remote = connectionRemote(cluster, (argv, o) => connection.exec(argv, o));
    const actor: Actor = { user: caps.user, adminLevel: caps.adminLevel, coordinatorOf: caps.coordinatorOf };
    const timeZone = new ClustersRepo(this.options.store.db).timeZone(new ClustersRepo(this.options.store.db).idOf(cluster));
    const targets = ids.length ? await liveCheck(remote, ids, timeZone) : [];
    const now = this.nowS();
    const jobs = targets.map((t) => {
      const p = judgeJob(t.requested, t.job, action, actor, now);
      return previous ? this.notTwice(p, previous) : p;
    });
    return {
      remote,
      actor,
      preview: {
        cluster,
        action,
        clusterUser: caps.user,
        adminLevel: caps.adminLevel,
        coordinatorOf: caps.coordinatorOf,
        checkedAt: now,
        jobs,
        totals: previewTotals(jobs, action),
        confirmNameAbove: CONFIRM_NAME_ABOVE,
      },
    };
  }

  /**
   * A retry never applies an action twice: a requeue whose restart count went up since the earlier
   * preview did happen (the answer was lost, or Slurm acted after reporting an error).
   */
  private notTwice(p: JobPreview, previous: ActionRecord): JobPreview {
    if (previous.action === 'release' || p.restarts === null) return p;
    const before = previous.preview.jobs.find((j) => j.jobId === p.jobId || j.requested === p.requested);
    if (!before || before.restarts === null || p.restarts <= before.restarts) return p;
    return { ...p, willRun: false, skip: 'already-done', why: `Restarts went from ${before.restarts} to ${p.restarts}: an earlier attempt took effect` };
  }

  async preview(cluster: string, action: ActionKind, selection: Selection): Promise<ActionPreview> {
    return (await this.check(cluster, action, this.resolveSelection(cluster, selection))).preview;
  }

  /**
   * Check live again and run. `confirmed` (the will-run ids of the preview the user agreed to) limits the
   * run to those: a job the earlier preview skipped but that now qualifies is skipped as not confirmed.
   */
  async run(cluster: string, action: ActionKind, selection: Selection, options: RunOptions = DEFAULT_RUN_OPTIONS, signal?: AbortSignal, confirmed?: readonly string[]): Promise<ActionRecord> {
    const ids = this.resolveSelection(cluster, selection);
    const checked = await this.check(cluster, action, ids);
    if (confirmed) {
      const ok = new Set(confirmed);
      const jobs = checked.preview.jobs.map((j): JobPreview =>
        j.willRun && !ok.has(j.jobId) ? { ...j, willRun: false, skip: 'not-confirmed', why: 'not acted on: the preview that was confirmed did not include it (its state changed since)' } : j,
      );
      checked.preview = { ...checked.preview, jobs, totals: previewTotals(jobs, action) };
    }
    return this.execute(checked, { origin: 'run', parentId: null, selection }, options, signal);
  }

  /** Re-run only the jobs of an action that failed for a retryable reason (or whose outcome is unknown). */
  async retry(actionId: number, options: RunOptions = DEFAULT_RUN_OPTIONS, signal?: AbortSignal): Promise<ActionRecord> {
    const previous = this.audit.get(actionId);
    if (previous.finishedAt === null) throw new ActionError('already-running', `action ${actionId} is still running`);
    const ids = previous.results.filter((r) => r.retryable && (r.status === 'failed' || r.status === 'unknown' || r.status === 'cancelled')).map((r) => r.jobId);
    if (ids.length === 0) throw new ActionError('nothing-to-do', `action ${actionId} has no job that failed for a retryable reason`);
    const checked = await this.check(previous.cluster, previous.action, ids, previous);
    return this.execute(checked, { origin: 'retry', parentId: actionId, selection: { retryOf: actionId } }, options, signal);
  }

  /** Undo a requeuehold: release exactly the jobs it held (those still held; the others are reported). */
  async undo(actionId: number, options: RunOptions = DEFAULT_RUN_OPTIONS, signal?: AbortSignal): Promise<ActionRecord> {
    const previous = this.audit.get(actionId);
    if (previous.action !== 'requeuehold') throw new ActionError('not-undoable', `action ${actionId} is a ${previous.action}: only a requeuehold can be undone (by releasing the jobs it held)`);
    if (previous.finishedAt === null) throw new ActionError('already-running', `action ${actionId} is still running`);
    const ids = previous.results.filter((r) => r.status === 'done').map((r) => r.jobId);
    if (ids.length === 0) throw new ActionError('nothing-to-do', `action ${actionId} held no job`);
    const checked = await this.check(previous.cluster, 'release', ids);
    return this.execute(checked, { origin: 'undo', parentId: actionId, selection: { undoOf: actionId } }, options, signal);
  }

  cancel(actionId: number): boolean {
    const c = this.running.get(actionId);
    if (!c) return false;
    c.abort();
    return true;
  }

  list(options: { cluster?: string; limit?: number } = {}): ActionRecord[] {
    return this.audit.list(options);
  }

  get(actionId: number): ActionRecord {
    return this.audit.get(actionId);
  }

  private async execute(
    checked: Checked,
    how: { origin: ActionOrigin; parentId: number | null; selection: NewAction['selection'] },
    options: RunOptions,
    signal?: AbortSignal,
  ): Promise<ActionRecord> {
    const { preview, remote } = checked;
    const id = this.audit.begin({
      cluster: preview.cluster,
      action: preview.action,
      origin: how.origin,
      parentId: how.parentId,
      localUser: this.localUser,
      clusterUser: preview.clusterUser,
      adminLevel: preview.adminLevel,
      startedAt: preview.checkedAt,
      selection: how.selection,
      preview,
      options,
    });
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.running.set(id, controller);
    try {
      const items: BatchItem[] = [];
      const skipped: JobResult[] = [];
      for (const j of preview.jobs) {
        const cid = j.willRun ? commandId(j) : null;
        if (cid !== null) items.push({ jobId: cid, jobIdRaw: j.jobIdRaw });
        else skipped.push({ jobId: j.jobId, jobIdRaw: j.jobIdRaw, status: 'skipped', retryable: false, message: j.why ?? 'no id Slurm accepts', exitCode: null, batch: 0, at: preview.checkedAt });
      }
      if (skipped.length) this.audit.appendResults(id, skipped);
      const totals = { done: 0, failed: 0 };
      this.progress(id, preview, 0, Math.ceil(items.length / options.batchSize), totals, items.length);
      const outcome = await runBatches(remote, preview.action, items, {
        batchSize: options.batchSize,
        pauseMs: options.pauseMs,
        signal: controller.signal,
        now: () => this.nowS(),
        onBatch: (results, batch, batches) => {
          this.audit.appendResults(id, results);
          for (const r of results) {
            if (r.status === 'done') totals.done++;
            else totals.failed++;
          }
          this.progress(id, preview, batch, batches, totals, items.length);
        },
      });
      this.audit.end(id, this.nowS(), outcome);
    } catch (err) {
      this.audit.end(id, this.nowS(), 'failed', (err as Error).message);
      throw err;
    } finally {
      this.running.delete(id);
      signal?.removeEventListener('abort', onAbort);
    }
    return this.audit.get(id);
  }

  private progress(actionId: number, preview: ActionPreview, batch: number, batches: number, t: { done: number; failed: number }, total: number): void {
    this.options.onProgress?.({ actionId, cluster: preview.cluster, action: preview.action, batch, batches, done: t.done, failed: t.failed, total });
  }
}
