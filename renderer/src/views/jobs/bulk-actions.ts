// The bulk action flow of the Jobs view (requeue / requeue-hold / release of the selected jobs), as pure
// state: the selection split by cluster (one preview, one confirmation and one run per cluster), the
// confirmation rule (above `confirmNameAbove` jobs the cluster name must be typed), and the phases
// preview → running → results with progress events matched to the run this dialog started.
import type { ActionKind, ActionPreview, ActionProgress, ActionRecord, JobPreview, JobResult, RunOptions } from '../../../../shared/api/methods/actions';
import type { SelectedJob } from '../../store/selection-store';

export interface ActionChoice {
  kind: ActionKind;
  label: string;
  /** What the confirm button says: "Requeue 3 jobs on alpha". */
  verb: string;
  /** Past tense for a job the action was applied to. */
  done: string;
  help: string;
}

export const ACTION_CHOICES: readonly ActionChoice[] = [
  { kind: 'requeue', label: 'Requeue', verb: 'Requeue', done: 'requeued', help: 'Stop running jobs and put them back in the queue. The run time of their current run is lost.' },
  {
    kind: 'requeuehold',
    label: 'Requeue and hold',
    verb: 'Requeue and hold',
    done: 'requeued and held',
    help: 'Requeue, then keep the jobs held until released. "Undo hold" releases exactly the jobs this held.',
  },
  { kind: 'release', label: 'Release', verb: 'Release', done: 'released', help: 'Release held jobs so the scheduler may start them again. Nothing running is touched.' },
];

export function choiceOf(kind: ActionKind): ActionChoice {
  return ACTION_CHOICES.find((c) => c.kind === kind) ?? (ACTION_CHOICES[0] as ActionChoice);
}

/** The selected jobs of one cluster, as ids the actions API accepts. */
export interface ClusterPart {
  cluster: string;
  jobIds: string[];
  /** Rows selected in the table (a pending array record counts once). */
  count: number;
}

/**
 * The id sent for a selected row: as shown, except that a pending array record's throttle goes (Slurm
 * prints `123_[5-9%2]`; the task range is `123_[5-9]`, which the API expands into its tasks).
 */
export function actionIdOf(jobId: string): string {
  return jobId.replace(/^(\d+_\[[^\]%]*)%\d+\]$/, '$1]');
}

/** One part per cluster, clusters by name, ids in selection order without repeats. */
export function splitByCluster(jobs: readonly SelectedJob[]): ClusterPart[] {
  const by = new Map<string, { ids: Set<string>; count: number }>();
  for (const j of jobs) {
    let p = by.get(j.cluster);
    if (!p) by.set(j.cluster, (p = { ids: new Set(), count: 0 }));
    p.ids.add(actionIdOf(j.jobId));
    p.count++;
  }
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([cluster, p]) => ({ cluster, jobIds: [...p.ids], count: p.count }));
}

/** More jobs to act on than the preview's threshold: the cluster name has to be typed. */
export function needsTypedName(preview: ActionPreview): boolean {
  return preview.totals.willRun > preview.confirmNameAbove;
}

/** Confirm is possible when something will be acted on and, for a large run, the name is typed exactly. */
export function canConfirm(preview: ActionPreview, typed: string): boolean {
  if (preview.totals.willRun === 0) return false;
  return !needsTypedName(preview) || typed === preview.cluster;
}

/** The will-run ids of a preview: the run acts on no other job (see actions.run `confirmed`). */
export function confirmedIds(preview: ActionPreview): string[] {
  return preview.jobs.filter((j) => j.willRun).map((j) => j.jobId);
}

/** Skipped jobs first (they are what a reviewer must read), then the ones that will be acted on. */
export function reviewOrder(jobs: readonly JobPreview[]): JobPreview[] {
  return [...jobs.filter((j) => !j.willRun), ...jobs.filter((j) => j.willRun)];
}

export function verdictText(j: JobPreview, action: ActionKind): string {
  if (j.willRun) return `will be ${choiceOf(action).done}`;
  return j.why ?? j.skip ?? 'skipped';
}

/** Batch size and pause as typed; null when out of the API's bounds. */
export function parseRunOptions(batchSize: string, pauseSeconds: string): RunOptions | null {
  const b = Number(batchSize);
  const p = Number(pauseSeconds);
  if (!Number.isInteger(b) || b < 1 || b > 1000) return null;
  if (!Number.isFinite(p) || p < 0 || p > 600 || pauseSeconds.trim() === '') return null;
  return { batchSize: b, pauseMs: Math.round(p * 1000) };
}

const RETRY_STATUSES = new Set<JobResult['status']>(['failed', 'unknown', 'cancelled']);

/** The jobs actions.retry would re-run: failed for a retryable reason, unknown outcome, or never sent. */
export function retryableResults(record: ActionRecord): JobResult[] {
  return record.results.filter((r) => r.retryable && RETRY_STATUSES.has(r.status));
}

/** The jobs an undo releases: those a requeuehold held (0 for any other action). */
export function heldByRecord(record: ActionRecord): number {
  return record.action === 'requeuehold' ? record.results.filter((r) => r.status === 'done').length : 0;
}

export function countOf(record: ActionRecord, status: JobResult['status']): number {
  return record.counts[status] ?? 0;
}

export function progressText(p: ActionProgress | null): string {
  if (!p) return 'Checking the jobs live before anything is sent…';
  if (p.total === 0) return 'Nothing to send.';
  const sent = p.done + p.failed;
  return `Batch ${p.batch} of ${p.batches}: ${sent} of ${p.total} jobs answered, ${p.done} done, ${p.failed} not done`;
}

// ---------------------------------------------------------------------------------------------------------
// The flow.

export type Origin = 'run' | 'retry' | 'undo';

export type Phase =
  | { kind: 'preview'; status: 'loading' | 'ready' | 'error'; preview: ActionPreview | null; error: string | null }
  | {
      kind: 'running';
      origin: Origin;
      /** Which action the progress events of this run name (an undo is a release). */
      expect: { cluster: string; action: ActionKind };
      /** Learnt from the run's first progress event (batch 0). */
      actionId: number | null;
      progress: ActionProgress | null;
      cancelRequested: boolean;
      cancelSent: boolean;
    }
  | { kind: 'results'; shown: number; error: string | null };

export type ClusterStatus = 'waiting' | 'current' | 'done' | 'skipped';

export interface FlowState {
  parts: ClusterPart[];
  index: number;
  action: ActionKind;
  phase: Phase;
  /** Every action this dialog ran (runs, retries, undos), oldest first. */
  records: ActionRecord[];
  status: ClusterStatus[];
}

export type FlowEvent =
  | { type: 'choose'; action: ActionKind }
  | { type: 'preview-loading' }
  | { type: 'preview-loaded'; preview: ActionPreview }
  | { type: 'preview-failed'; error: string }
  | { type: 'run-started'; origin: Origin; cluster: string; action: ActionKind }
  | { type: 'progress'; progress: ActionProgress }
  | { type: 'cancel-requested' }
  | { type: 'cancel-sent' }
  | { type: 'run-finished'; record: ActionRecord }
  | { type: 'run-failed'; error: string; record: ActionRecord | null }
  | { type: 'show'; actionId: number }
  | { type: 'next' }
  | { type: 'skip' };

export function initialFlow(parts: ClusterPart[], action: ActionKind = 'requeue'): FlowState {
  return {
    parts,
    index: 0,
    action,
    phase: { kind: 'preview', status: 'loading', preview: null, error: null },
    records: [],
    status: parts.map((_, i) => (i === 0 ? 'current' : 'waiting')),
  };
}

export function currentPart(s: FlowState): ClusterPart | null {
  return s.parts[s.index] ?? null;
}

/** The cluster after the current one, if any. */
export function nextPart(s: FlowState): ClusterPart | null {
  return s.parts[s.index + 1] ?? null;
}

function withRecord(records: ActionRecord[], record: ActionRecord): ActionRecord[] {
  return [...records.filter((r) => r.id !== record.id), record];
}

function advance(s: FlowState, finished: ClusterStatus): FlowState {
  const status = s.status.map((x, i) => (i === s.index ? finished : i === s.index + 1 ? 'current' : x));
  if (s.index + 1 >= s.parts.length) return { ...s, status };
  return { ...s, status, index: s.index + 1, phase: { kind: 'preview', status: 'loading', preview: null, error: null } };
}

export function flowReducer(s: FlowState, e: FlowEvent): FlowState {
  const p = s.phase;
  switch (e.type) {
    case 'choose':
      if (p.kind !== 'preview' || e.action === s.action) return s;
      return { ...s, action: e.action, phase: { kind: 'preview', status: 'loading', preview: null, error: null } };
    case 'preview-loading':
      return p.kind === 'preview' ? { ...s, phase: { kind: 'preview', status: 'loading', preview: p.preview, error: null } } : s;
    case 'preview-loaded':
      // A late answer for another action or cluster (the user changed the choice meanwhile) is dropped.
      if (p.kind !== 'preview' || e.preview.action !== s.action || e.preview.cluster !== currentPart(s)?.cluster) return s;
      return { ...s, phase: { kind: 'preview', status: 'ready', preview: e.preview, error: null } };
    case 'preview-failed':
      return p.kind === 'preview' ? { ...s, phase: { kind: 'preview', status: 'error', preview: null, error: e.error } } : s;
    case 'run-started':
      if (p.kind === 'running') return s;
      return {
        ...s,
        phase: { kind: 'running', origin: e.origin, expect: { cluster: e.cluster, action: e.action }, actionId: null, progress: null, cancelRequested: false, cancelSent: false },
      };
    case 'progress': {
      if (p.kind !== 'running') return s;
      const g = e.progress;
      if (p.actionId === null) {
        // Adopt the first action that starts for this cluster and action and is not one of ours already.
        if (g.batch !== 0 || g.cluster !== p.expect.cluster || g.action !== p.expect.action || s.records.some((r) => r.id === g.actionId)) return s;
        return { ...s, phase: { ...p, actionId: g.actionId, progress: g } };
      }
      return g.actionId === p.actionId ? { ...s, phase: { ...p, progress: g } } : s;
    }
    case 'cancel-requested':
      return p.kind === 'running' && !p.cancelRequested ? { ...s, phase: { ...p, cancelRequested: true } } : s;
    case 'cancel-sent':
      return p.kind === 'running' ? { ...s, phase: { ...p, cancelSent: true } } : s;
    case 'run-finished':
      return { ...s, records: withRecord(s.records, e.record), status: s.status.map((x, i) => (i === s.index ? 'done' : x)), phase: { kind: 'results', shown: e.record.id, error: null } };
    case 'run-failed': {
      if (e.record) {
        return { ...s, records: withRecord(s.records, e.record), status: s.status.map((x, i) => (i === s.index ? 'done' : x)), phase: { kind: 'results', shown: e.record.id, error: e.error } };
      }
      // Nothing was recorded (refused before it began): back to the preview of a fresh check, or to the
      // results of earlier actions when a retry / undo was refused.
      const last = s.records.filter((r) => r.cluster === currentPart(s)?.cluster).at(-1);
      if (p.kind === 'running' && p.origin !== 'run' && last) return { ...s, phase: { kind: 'results', shown: last.id, error: e.error } };
      return { ...s, phase: { kind: 'preview', status: 'error', preview: null, error: e.error } };
    }
    case 'show':
      return p.kind === 'results' && s.records.some((r) => r.id === e.actionId) ? { ...s, phase: { ...p, shown: e.actionId } } : s;
    case 'next':
      return p.kind === 'results' ? advance(s, 'done') : s;
    case 'skip':
      return p.kind === 'preview' ? advance(s, 'skipped') : s;
  }
}

/** The record the results phase shows. */
export function shownRecord(s: FlowState): ActionRecord | null {
  return s.phase.kind === 'results' ? (s.records.find((r) => r.id === (s.phase as { shown: number }).shown) ?? null) : null;
}

/** A later action of this dialog that retried / undid this one (so its buttons are not offered twice). */
export function followUp(s: FlowState, record: ActionRecord, origin: 'retry' | 'undo'): ActionRecord | null {
  return s.records.find((r) => r.parentId === record.id && r.origin === origin) ?? null;
}

/** The records of the current cluster, oldest first. */
export function clusterRecords(s: FlowState): ActionRecord[] {
  const c = currentPart(s)?.cluster;
  return s.records.filter((r) => r.cluster === c);
}
