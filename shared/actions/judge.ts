// The preview's verdict for one job: will the action be applied, or why not. Mirrors slurmctld's own
// checks (job_mgr.c: requeue needs a batch job that is not pending or completing, with requeue allowed;
// permission = owner, coordinator of the job's account, or AdminLevel Operator/Administrator; a job held
// by an administrator can only be released by an Operator/Administrator), so the preview says in advance
// what Slurm would refuse, and the run's parsed outcome can be compared with it.
import type { ActionKind, JobPreview, SkipReason } from '../api/methods/actions';
import { jobGpuCount } from '../fleet/cluster-status';
import type { AdminLevel } from '../model/capabilities';
import type { QueuedJob } from '../model/job';

export interface Actor {
  user: string;
  adminLevel: AdminLevel;
  coordinatorOf: readonly string[];
}

/** States in which a job is no longer running but still in slurmctld's memory (until MinJobAge). */
const FINISHED = new Set(['COMPLETED', 'CANCELLED', 'FAILED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'OUT_OF_MEMORY', 'SPECIAL_EXIT']);
const ACTIVE = new Set(['RUNNING', 'SUSPENDED', 'STOPPED', 'CONFIGURING', 'SIGNALING', 'RESIZING', 'STAGE_OUT']);

export function isOperator(actor: Actor): boolean {
  return actor.adminLevel === 'Operator' || actor.adminLevel === 'Administrator';
}

export function mayAct(actor: Actor, job: Pick<QueuedJob, 'user' | 'account'>): boolean {
  return isOperator(actor) || job.user === actor.user || actor.coordinatorOf.some((a) => a.toLowerCase() === job.account.toLowerCase());
}

/** A pending job that will not start until released: user/admin hold or requeued-held. */
export function isHeld(job: Pick<QueuedJob, 'state' | 'reason'>): boolean {
  if (job.state !== 'PENDING' && job.state !== 'REQUEUE_HOLD' && job.state !== 'SPECIAL_EXIT') return false;
  // squeue prints `job requeued in held state`, scontrol `job_requeued_in_held_state`: compare without
  // spaces and underscores. JobHoldMaxRequeue: held after MaxBatchRequeue requeues.
  const r = (job.reason ?? '').toLowerCase().replace(/[\s_]+/g, '');
  return r.startsWith('jobheld') || r.includes('requeuedinheldstate') || r.includes('requeuedheld') || r === 'jobholdmaxrequeue';
}

export function isAdminHold(job: Pick<QueuedJob, 'reason'>): boolean {
  return (job.reason ?? '').toLowerCase() === 'jobheldadmin';
}

function skip(reason: SkipReason, why: string): { skip: SkipReason; why: string } {
  return { skip: reason, why };
}

function verdict(job: QueuedJob, action: ActionKind, actor: Actor): { skip: SkipReason; why: string } | null {
  if (action === 'release') {
    if (job.state === 'COMPLETING') return skip('completing', 'still completing after its requeue: try again in a moment');
    if (!isHeld(job)) return skip('not-held', `${job.state.toLowerCase()}${job.reason ? ` (${job.reason})` : ''}, not held`);
    if (isAdminHold(job) && !isOperator(actor)) return skip('admin-hold', 'held by an administrator: only an Operator or Administrator may release it');
  } else {
    if (!job.batch) return skip('not-batch', 'not a batch job (salloc/srun): Slurm requeues only batch jobs');
    if (isHeld(job)) return skip('held', `already pending and held${job.reason ? ` (${job.reason})` : ''}`);
    if (job.state === 'PENDING') return skip('pending', `already pending${job.reason ? ` (${job.reason})` : ''}`);
    if (job.state === 'COMPLETING') return skip('completing', 'completing: Slurm refuses until it has finished');
    if (FINISHED.has(job.state) && !job.requeueable) return skip('finished-not-requeueable', `${job.state.toLowerCase()} and submitted with --no-requeue`);
    if (!job.requeueable) return skip('not-requeueable', 'submitted with --no-requeue (Slurm: requested operation is presently disabled)');
    if (!ACTIVE.has(job.state) && !FINISHED.has(job.state)) return skip('pending', `in state ${job.state}`);
  }
  if (!mayAct(actor, job)) {
    return skip('no-permission', `${job.user}'s job in account ${job.account}: ${actor.user} is not its owner, not a coordinator of ${job.account}, and AdminLevel is ${actor.adminLevel}`);
  }
  return null;
}

/** The preview line of one requested id: `job` is what the live check found (null: vanished). */
export function judgeJob(requested: string, job: QueuedJob | null, action: ActionKind, actor: Actor, nowS: number): JobPreview {
  if (job === null) {
    return {
      jobId: requested,
      jobIdRaw: null,
      requested,
      user: null,
      account: null,
      partition: null,
      state: null,
      reason: null,
      gpus: 0,
      runSeconds: 0,
      restarts: null,
      willRun: false,
      skip: 'vanished',
      why: 'not in the queue any more (finished and purged, or never existed)',
    };
  }
  const v = verdict(job, action, actor);
  const running = ACTIVE.has(job.state) && job.startTime !== null;
  return {
    jobId: job.jobId,
    jobIdRaw: job.jobIdRaw,
    requested,
    user: job.user,
    account: job.account,
    partition: job.partition,
    state: job.state,
    reason: job.reason,
    gpus: jobGpuCount(job),
    runSeconds: running ? Math.max(0, nowS - (job.startTime as number)) : 0,
    restarts: job.restarts,
    willRun: v === null,
    skip: v?.skip ?? null,
    why: v?.why ?? null,
  };
}
