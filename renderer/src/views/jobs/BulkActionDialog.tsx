// Bulk requeue / requeue-hold / release of the jobs selected in the Jobs view: a live preview with every
// job's verdict (and why not), the totals, and the confirmation (the cluster name typed above the
// preview's threshold); then the run with its progress and a Cancel, and each job's result with Slurm's
// own message, "Retry failed" and "Undo hold". One cluster at a time: a selection across clusters is
// previewed, confirmed and run cluster by cluster, each with its own confirmation.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import type { ActionPreview, ActionProgress, ActionRecord, JobResult, RunOptions } from '../../../../shared/api/methods/actions';
import { Modal } from '../../components/Modal';
import { formatDuration, formatGpuHours, formatNumber, formatTime } from '../../format';
import { useBridge } from '../../hooks/bridge-context';
import type { Bridge } from '../../bridge/bridge';
import type { SelectedJob } from '../../store/selection-store';
import {
  ACTION_CHOICES,
  canConfirm,
  choiceOf,
  clusterRecords,
  confirmedIds,
  countOf,
  currentPart,
  flowReducer,
  followUp,
  heldByRecord,
  initialFlow,
  needsTypedName,
  nextPart,
  parseRunOptions,
  progressText,
  retryableResults,
  reviewOrder,
  shownRecord,
  splitByCluster,
  verdictText,
  type FlowState,
} from './bulk-actions';
import './bulk-actions.css';

/** Rows of the verdict and result tables drawn at most (the audit log keeps them all). */
const TABLE_ROWS = 1000;
const STATUSES: JobResult['status'][] = ['done', 'failed', 'unknown', 'cancelled', 'skipped'];
const STATUS_WORDS: Record<JobResult['status'], string> = { done: 'done', failed: 'failed', unknown: 'outcome unknown', cancelled: 'not sent (cancelled)', skipped: 'skipped' };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/**
 * The record of an action whose answer did not arrive (the connection to the host dropped mid-run): the
 * audit log has it, finished or still running.
 */
async function recordFromLog(bridge: Bridge, cluster: string, actionId: number): Promise<ActionRecord | null> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const list = await bridge.api['actions.list']({ cluster, limit: 50 });
    const r = list.find((x) => x.id === actionId);
    if (!r || r.finishedAt !== null || attempt === 29) return r ?? null;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return null;
}

function ClusterSteps({ state }: { state: FlowState }) {
  if (state.parts.length < 2) return null;
  return (
    <div className="bulk-clusters">
      <p id="bulk-clusters-note">
        The selection spans {state.parts.length} clusters. Each cluster is previewed, confirmed and run on its own, one after the other; nothing runs on a cluster you have not
        confirmed.
      </p>
      <ol className="bulk-steps" aria-label="clusters">
        {state.parts.map((p, i) => (
          <li key={p.cluster} className={`bulk-step bulk-step-${state.status[i]}`} aria-current={i === state.index ? 'step' : undefined} data-testid={`bulk-step-${p.cluster}`}>
            <strong>{p.cluster}</strong> · {plural(p.count, 'job')} · {state.status[i] === 'current' ? 'now' : state.status[i]}
          </li>
        ))}
      </ol>
    </div>
  );
}

function Totals({ preview }: { preview: ActionPreview }) {
  const t = preview.totals;
  const loses = preview.action !== 'release';
  const skips = Object.entries(t.bySkip).sort(([, a], [, b]) => b - a);
  const dd = (id: string, value: ReactNode) => <dd data-testid={`total-${id}`}>{value}</dd>;
  return (
    <dl className="counts bulk-totals" data-testid="bulk-totals">
      <div>
        <dt>jobs selected</dt>
        {dd('selected', formatNumber(t.selected))}
      </div>
      <div>
        <dt>will be {choiceOf(preview.action).done}</dt>
        {dd('will-run', formatNumber(t.willRun))}
      </div>
      <div>
        <dt>skipped</dt>
        {dd('skipped', formatNumber(t.skipped))}
      </div>
      <div>
        <dt>GPUs freed</dt>
        {dd('gpus-freed', loses ? formatNumber(t.gpusFreed) : '0 (release frees none)')}
      </div>
      <div>
        <dt>run time lost</dt>
        {dd('gpu-hours', loses ? formatGpuHours(t.gpuHoursLost) : '0 GPU-h (release loses none)')}
      </div>
      <div>
        <dt>users affected</dt>
        {dd('users', t.users.length ? t.users.join(', ') : 'none')}
      </div>
      <div>
        <dt>accounts affected</dt>
        {dd('accounts', t.accounts.length ? t.accounts.join(', ') : 'none')}
      </div>
      {skips.length > 0 && (
        <div className="bulk-skips">
          <dt>skipped because</dt>
          {dd('by-skip', skips.map(([k, n]) => `${k} ${n}`).join(' · '))}
        </div>
      )}
    </dl>
  );
}

function PreviewTable({ preview }: { preview: ActionPreview }) {
  const rows = useMemo(() => reviewOrder(preview.jobs), [preview]);
  const loses = preview.action !== 'release';
  return (
    <div className="bulk-table-wrap">
      <table className="runs bulk-table" aria-label={`verdict for each job on ${preview.cluster}`}>
        <thead>
          <tr>
            <th>job</th>
            <th>user</th>
            <th>account</th>
            <th>partition</th>
            <th>state</th>
            <th className="right">GPUs</th>
            <th className="right">{loses ? 'run time lost' : 'run time'}</th>
            <th>verdict</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, TABLE_ROWS).map((j) => (
            <tr key={`${j.requested}|${j.jobId}`} className={j.willRun ? 'bulk-will' : 'bulk-skip'} data-testid="preview-row" data-job={j.jobId} data-will-run={j.willRun}>
              <td className="job-id">{j.jobId}</td>
              <td>{j.user ?? '—'}</td>
              <td>{j.account ?? '—'}</td>
              <td>{j.partition ?? '—'}</td>
              <td>
                {j.state ?? 'gone'}
                {j.reason && j.reason !== 'None' ? <span className="muted"> ({j.reason})</span> : null}
              </td>
              <td className="right">{j.gpus}</td>
              <td className="right">{j.runSeconds > 0 ? formatDuration(j.runSeconds) : '—'}</td>
              <td className="bulk-verdict" data-testid="verdict">
                {j.willRun ? <span className="bulk-ok">{verdictText(j, preview.action)}</span> : <span>{verdictText(j, preview.action)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > TABLE_ROWS && (
        <p className="muted">
          The first {formatNumber(TABLE_ROWS)} of {formatNumber(rows.length)} jobs are listed (skipped ones first); the totals count every job.
        </p>
      )}
    </div>
  );
}

function ResultsTable({ record }: { record: ActionRecord }) {
  // Failures first: they are what needs attention.
  const rows = useMemo(() => {
    const rank = (s: JobResult['status']) => ['failed', 'unknown', 'cancelled', 'done', 'skipped'].indexOf(s);
    return [...record.results].sort((a, b) => rank(a.status) - rank(b.status));
  }, [record]);
  return (
    <div className="bulk-table-wrap">
      <table className="runs bulk-table" aria-label={`result for each job of action ${record.id}`}>
        <thead>
          <tr>
            <th>job</th>
            <th>result</th>
            <th>Slurm's message</th>
            <th className="right">exit</th>
            <th className="right">batch</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, TABLE_ROWS).map((r) => (
            <tr key={r.jobId} className={`bulk-result-${r.status}`} data-testid="result-row" data-job={r.jobId} data-status={r.status}>
              <td className="job-id">{r.jobId}</td>
              <td>
                {STATUS_WORDS[r.status]}
                {r.retryable && r.status !== 'done' ? <span className="muted"> · retryable</span> : null}
              </td>
              <td className="bulk-message" data-testid="result-message">
                {r.message ?? (r.status === 'done' ? <span className="muted">accepted (scontrol printed nothing for it)</span> : '—')}
              </td>
              <td className="right">{r.exitCode ?? '—'}</td>
              <td className="right">{r.batch || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > TABLE_ROWS && <p className="muted">The first {formatNumber(TABLE_ROWS)} of {formatNumber(rows.length)} results are listed; the audit log has every one.</p>}
    </div>
  );
}

function recordTitle(r: ActionRecord): string {
  const what = choiceOf(r.action).label.toLowerCase();
  const how = r.origin === 'retry' ? `retry of #${r.parentId}` : r.origin === 'undo' ? `undo of #${r.parentId}` : 'run';
  return `#${r.id} ${what} on ${r.cluster} (${how})`;
}

function outcomeText(r: ActionRecord): string {
  if (r.outcome === null) return 'still running (see the audit log)';
  const at = r.finishedAt !== null ? ` at ${formatTime(r.finishedAt)}` : '';
  return `${r.outcome === 'completed' ? 'completed' : r.outcome === 'cancelled' ? 'cancelled mid-way' : 'stopped by an error'}${at}`;
}

export function BulkActionDialog({ jobs, timeTravel, onClose }: { jobs: readonly SelectedJob[]; timeTravel: boolean; onClose: () => void }) {
  const bridge = useBridge();
  const [state, dispatch] = useReducer(flowReducer, jobs, (j) => initialFlow(splitByCluster(j)));
  const [typed, setTyped] = useState('');
  const [batchSize, setBatchSize] = useState('50');
  const [pauseSeconds, setPauseSeconds] = useState('2');
  const [refresh, setRefresh] = useState<string | null>(null);
  const alive = useRef(true);
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  });
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const part = currentPart(state);
  const next = nextPart(state);
  const phase = state.phase;
  const options = parseRunOptions(batchSize, pauseSeconds);

  useEffect(
    () =>
      bridge.on((event, payload) => {
        if (event === 'actions.progress') dispatch({ type: 'progress', progress: payload as ActionProgress });
      }),
    [bridge],
  );

  // The live preview of the current cluster and action, whenever one is asked for.
  const loading = phase.kind === 'preview' && phase.status === 'loading';
  useEffect(() => {
    if (!loading || !part) return undefined;
    let current = true;
    bridge.api['actions.preview']({ cluster: part.cluster, action: state.action, selection: { jobIds: part.jobIds } }).then(
      (preview) => current && dispatch({ type: 'preview-loaded', preview }),
      (err: unknown) => current && dispatch({ type: 'preview-failed', error: message(err) }),
    );
    return () => {
      current = false;
    };
  }, [bridge, loading, part, state.action]);

  // A new preview is a new confirmation: the typed name does not carry over.
  const preview = phase.kind === 'preview' ? phase.preview : null;
  useEffect(() => setTyped(''), [preview]);

  // Cancel reaches the core once the run's id is known (its first progress event).
  useEffect(() => {
    if (phase.kind !== 'running' || !phase.cancelRequested || phase.cancelSent || phase.actionId === null) return;
    dispatch({ type: 'cancel-sent' });
    bridge.api['actions.cancel']({ actionId: phase.actionId }).catch(() => undefined);
  }, [bridge, phase]);

  const start = useCallback(
    async (origin: 'run' | 'retry' | 'undo', expect: { cluster: string; action: ActionPreview['action'] }, call: () => Promise<ActionRecord>) => {
      dispatch({ type: 'run-started', origin, ...expect });
      try {
        const record = await call();
        if (!alive.current) return;
        dispatch({ type: 'run-finished', record });
      } catch (err) {
        const p = latest.current.phase;
        const id = p.kind === 'running' ? p.actionId : null;
        const record = id !== null ? await recordFromLog(bridge, expect.cluster, id).catch(() => null) : null;
        if (alive.current) dispatch({ type: 'run-failed', error: message(err), record });
        return;
      }
      // The table shows the cache: sync this cluster now so it shows the jobs as the action left them.
      setRefresh(`Refreshing ${expect.cluster}'s data…`);
      bridge.api['clusters.syncNow']({ name: expect.cluster }).then(
        (r) => alive.current && setRefresh(r.errors.length ? `${expect.cluster} refreshed, with errors: ${r.errors.map((e) => e.message).join('; ')}` : `${expect.cluster}'s jobs table refreshed.`),
        (err: unknown) => alive.current && setRefresh(`Could not refresh ${expect.cluster}: ${message(err)}`),
      );
    },
    [bridge],
  );

  const confirm = () => {
    if (!preview || !options || !canConfirm(preview, typed) || !part) return;
    const confirmed = confirmedIds(preview);
    void start('run', { cluster: part.cluster, action: preview.action }, () =>
      bridge.api['actions.run']({ cluster: part.cluster, action: preview.action, selection: { jobIds: part.jobIds }, options, confirmed }),
    );
  };

  const runOptions: RunOptions | undefined = options ?? undefined;
  const retry = (r: ActionRecord) => void start('retry', { cluster: r.cluster, action: r.action }, () => bridge.api['actions.retry']({ actionId: r.id, ...(runOptions ? { options: runOptions } : {}) }));
  const undo = (r: ActionRecord) => void start('undo', { cluster: r.cluster, action: 'release' }, () => bridge.api['actions.undo']({ actionId: r.id, ...(runOptions ? { options: runOptions } : {}) }));

  const onEscape = () => {
    if (phase.kind === 'running') dispatch({ type: 'cancel-requested' });
    else onClose();
  };

  const choice = choiceOf(state.action);
  const title = part ? `${choice.label} on ${part.cluster}: ${plural(part.count, 'selected job')}` : 'Nothing selected';

  return (
    <Modal title={title} onEscape={onEscape} className="bulk-dialog" testId="bulk-dialog" describedBy={state.parts.length > 1 ? 'bulk-clusters-note' : undefined}>
      <ClusterSteps state={state} />
      {timeTravel && (
        <p className="bulk-note" role="note">
          You selected these jobs while looking at the past (time travel). The preview checks each of them as it is on the cluster now.
        </p>
      )}

      {phase.kind === 'preview' && part && (
        <>
          <fieldset className="bulk-choice">
            <legend>Action</legend>
            {ACTION_CHOICES.map((c) => (
              <label key={c.kind} title={c.help}>
                <input type="radio" name="bulk-action" value={c.kind} checked={state.action === c.kind} onChange={() => dispatch({ type: 'choose', action: c.kind })} />
                {c.label}
              </label>
            ))}
            <p className="muted bulk-help">{choice.help}</p>
          </fieldset>

          {phase.status === 'loading' && (
            <p role="status" className="muted" data-testid="bulk-preview-loading">
              <span className="spinner" /> Checking {plural(part.jobIds.length, 'job')} live on {part.cluster} (squeue) and what your account may do…
            </p>
          )}
          {phase.status === 'error' && (
            <div role="alert" className="bad">
              <p>The preview failed: {phase.error}</p>
              <button type="button" onClick={() => dispatch({ type: 'preview-loading' })}>
                Try again
              </button>
            </div>
          )}
          {phase.status === 'ready' && preview && (
            <section className="bulk-preview" data-testid="bulk-preview" aria-label="preview">
              <p className="bulk-checked">
                Checked live at {formatTime(preview.checkedAt)} as <strong>{preview.clusterUser}</strong> (AdminLevel {preview.adminLevel}
                {preview.coordinatorOf.length ? `; coordinator of ${preview.coordinatorOf.join(', ')}` : ''}). The run checks again just before it sends anything and acts only
                on jobs listed here as “will be {choice.done}”.{' '}
                <button type="button" onClick={() => dispatch({ type: 'preview-loading' })}>
                  Check again
                </button>
              </p>
              <Totals preview={preview} />
              <PreviewTable preview={preview} />
              <details className="bulk-options">
                <summary>
                  Batches: {options ? `${plural(options.batchSize, 'job')} per scontrol call, ${formatNumber(options.pauseMs / 1000, options.pauseMs % 1000 ? 1 : 0)} s apart` : 'invalid settings'}
                </summary>
                <label>
                  jobs per batch
                  <input type="number" min={1} max={1000} value={batchSize} onChange={(e) => setBatchSize(e.target.value)} aria-label="jobs per batch" />
                </label>
                <label>
                  pause between batches (s)
                  <input type="number" min={0} max={600} step="0.5" value={pauseSeconds} onChange={(e) => setPauseSeconds(e.target.value)} aria-label="pause between batches in seconds" />
                </label>
                {!options && (
                  <p className="bad" role="alert">
                    Batch size 1–1000 jobs, pause 0–600 s.
                  </p>
                )}
              </details>
              {preview.totals.willRun === 0 ? (
                <p className="bulk-nothing" role="status" data-testid="bulk-nothing">
                  Nothing on {preview.cluster} will be {choice.done}: every selected job is skipped (see why above).
                </p>
              ) : (
                <div className="bulk-confirm">
                  <p>
                    {choice.verb} <strong>{plural(preview.totals.willRun, 'job')}</strong> of{' '}
                    {preview.totals.users.length === 1 ? `user ${preview.totals.users[0]}` : plural(preview.totals.users.length, 'user')} in{' '}
                    {preview.totals.accounts.length === 1 ? `account ${preview.totals.accounts[0]}` : plural(preview.totals.accounts.length, 'account')} on <strong>{preview.cluster}</strong>
                    {preview.action !== 'release' && preview.totals.gpuHoursLost > 0 ? `, losing ${formatGpuHours(preview.totals.gpuHoursLost)} of run time` : ''}.
                  </p>
                  {needsTypedName(preview) && (
                    <label className="bulk-typename">
                      <span id="bulk-typename-help">
                        More than {preview.confirmNameAbove} jobs: type the cluster name <strong className="job-id">{preview.cluster}</strong> to confirm.
                      </span>
                      <input
                        type="text"
                        value={typed}
                        onChange={(e) => setTyped(e.target.value)}
                        aria-label="cluster name to confirm"
                        aria-describedby="bulk-typename-help"
                        aria-invalid={typed !== '' && typed !== preview.cluster}
                        autoComplete="off"
                        spellCheck={false}
                        data-autofocus
                        data-testid="bulk-typename"
                      />
                    </label>
                  )}
                </div>
              )}
            </section>
          )}

          <div className="modal-actions">
            {next && (
              <button type="button" onClick={() => dispatch({ type: 'skip' })}>
                Skip {part.cluster}, go to {next.cluster}
              </button>
            )}
            <span className="spacer" />
            <button type="button" onClick={onClose}>
              {state.records.length ? 'Close' : 'Cancel'}
            </button>
            {phase.status === 'ready' && preview && preview.totals.willRun > 0 && (
              <button type="button" className="danger-primary" data-testid="bulk-confirm" disabled={!canConfirm(preview, typed) || !options} onClick={confirm}>
                {choice.verb} {plural(preview.totals.willRun, 'job')} on {preview.cluster}
              </button>
            )}
          </div>
        </>
      )}

      {phase.kind === 'running' && (
        <section className="bulk-running" aria-label="progress" data-testid="bulk-running">
          <div
            className="bulk-progress"
            role="progressbar"
            aria-label={`${phase.origin === 'undo' ? 'release' : phase.expect.action} on ${phase.expect.cluster}`}
            aria-valuemin={0}
            aria-valuemax={phase.progress?.total ?? 0}
            aria-valuenow={phase.progress ? phase.progress.done + phase.progress.failed : 0}
            data-testid="bulk-progress"
          >
            <div
              className="bulk-progress-bar"
              style={{ width: `${phase.progress && phase.progress.total ? Math.round((100 * (phase.progress.done + phase.progress.failed)) / phase.progress.total) : 0}%` }}
            />
          </div>
          <p role="status" data-testid="bulk-progress-text">
            <span className="spinner" /> {progressText(phase.progress)}
          </p>
          {phase.cancelRequested && (
            <p className="muted" role="status">
              Cancelling: the batch already sent finishes; no further batch is sent.
            </p>
          )}
          <div className="modal-actions">
            <button type="button" className="danger-primary" onClick={() => dispatch({ type: 'cancel-requested' })} disabled={phase.cancelRequested} data-autofocus>
              Cancel run
            </button>
          </div>
        </section>
      )}

      {phase.kind === 'results' && (
        <Results
          state={state}
          error={phase.error}
          refresh={refresh}
          onShow={(id) => dispatch({ type: 'show', actionId: id })}
          onRetry={retry}
          onUndo={undo}
          onNext={next ? () => dispatch({ type: 'next' }) : null}
          nextLabel={next ? `Next: ${next.cluster} (${plural(next.count, 'job')})` : null}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function Results(props: {
  state: FlowState;
  error: string | null;
  refresh: string | null;
  onShow: (id: number) => void;
  onRetry: (r: ActionRecord) => void;
  onUndo: (r: ActionRecord) => void;
  onNext: (() => void) | null;
  nextLabel: string | null;
  onClose: () => void;
}) {
  const { state, error } = props;
  const record = shownRecord(state);
  const history = clusterRecords(state);
  if (!record) return null;
  const retryable = retryableResults(record).length;
  const held = heldByRecord(record);
  const retried = followUp(state, record, 'retry');
  const undone = followUp(state, record, 'undo');
  return (
    <section className="bulk-results" data-testid="bulk-results" data-action-id={record.id} aria-label="results">
      <h3>
        {recordTitle(record)}: <span data-testid="bulk-outcome">{outcomeText(record)}</span>
      </h3>
      {error && (
        <p className="bad" role="alert">
          {error}
        </p>
      )}
      <dl className="counts bulk-counts">
        {STATUSES.map((s) => (
          <div key={s}>
            <dt>{STATUS_WORDS[s]}</dt>
            <dd data-testid={`result-count-${s}`} className={s === 'failed' || s === 'unknown' ? (countOf(record, s) ? 'bad' : '') : ''}>
              {formatNumber(countOf(record, s))}
            </dd>
          </div>
        ))}
      </dl>
      <ResultsTable record={record} />
      {history.length > 1 && (
        <div className="bulk-history" role="group" aria-label="actions in this dialog">
          {history.map((r) => (
            <button key={r.id} type="button" aria-pressed={r.id === record.id} onClick={() => props.onShow(r.id)}>
              {recordTitle(r)}: {countOf(r, 'done')} done, {countOf(r, 'failed') + countOf(r, 'unknown') + countOf(r, 'cancelled')} not done
            </button>
          ))}
        </div>
      )}
      <p className="muted">Every action, with each job's answer from Slurm, is in the audit log (clusterops audit).</p>
      {props.refresh && (
        <p className="muted" role="status" data-testid="bulk-refresh">
          {props.refresh}
        </p>
      )}
      <div className="modal-actions">
        {retryable > 0 &&
          (retried ? (
            <span className="muted">Failed jobs retried as #{retried.id}.</span>
          ) : (
            <button type="button" onClick={() => props.onRetry(record)} title="Re-run only the jobs that failed for a retryable reason or were never sent; each is checked live first, so none is acted on twice.">
              Retry failed ({formatNumber(retryable)})
            </button>
          ))}
        {held > 0 &&
          (undone ? (
            <span className="muted">Hold undone as #{undone.id}.</span>
          ) : (
            <button type="button" onClick={() => props.onUndo(record)} title="Release exactly the jobs this action held (those still held).">
              Undo hold (release {formatNumber(held)})
            </button>
          ))}
        <span className="spacer" />
        {props.onNext && (
          <button type="button" className="primary" onClick={props.onNext} data-autofocus>
            {props.nextLabel}
          </button>
        )}
        <button type="button" onClick={props.onClose} data-autofocus={props.onNext ? undefined : true}>
          Close
        </button>
      </div>
    </section>
  );
}
