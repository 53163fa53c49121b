// The detail drawer of one job: its fields as the queue shows them, and every run accounting recorded
// for it (each requeue or preemption is its own run, with the GPU-hours it used).
import { useEffect, useRef, type ReactNode } from 'react';
import type { JobRuns } from '../../../../shared/api/methods/jobs';
import { AsOf } from '../../components/AsOf';
import { ErrorState, Loading } from '../../components/States';
import { formatDuration, formatGpuHours, formatTime, timeTitle } from '../../format';
import { useBridge } from '../../hooks/bridge-context';
import { useQuery } from '../../hooks/use-query';
import { useUiStore } from '../../store/ui-store';
import type { JobRow } from './jobs-data';
import { gpuLabel, slurmDuration } from './jobs-format';

function When({ t, zone }: { t: number | null; zone: string | null }) {
  if (t === null) return <span className="muted">—</span>;
  return <time title={timeTitle(t, zone)}>{formatTime(t)}</time>;
}

function Runs({ job }: { job: JobRow }) {
  const bridge = useBridge();
  const at = useUiStore((s) => s.at);
  const q = useQuery<JobRuns>(() => bridge.api['jobs.runs']({ cluster: job.cluster, jobIdRaw: job.jobIdRaw, ...(at ? { at } : {}) }), [bridge, job.cluster, job.jobIdRaw, at]);
  if (q.error && !q.data) return <ErrorState error={q.error} retry={q.reload} />;
  if (!q.data) return <Loading label="Reading accounting…" />;
  const { runs, timeZone } = q.data;
  const total = runs.reduce((s, r) => s + r.gpuHours, 0);
  return (
    <section aria-label="runs from accounting">
      <h3>
        Runs from accounting <span className="muted">({runs.length})</span> <AsOf at={q.data.accountingAt} zone={timeZone} />
      </h3>
      {runs.length === 0 ? (
        <p className="muted">
          Accounting has no run of this job yet{q.data.accountingAt === null ? ' (accounting was never synced for this cluster)' : ''}. A pending job gets its first
          run when it starts.
        </p>
      ) : (
        <table className="runs" data-testid="job-runs">
          <thead>
            <tr>
              <th>State</th>
              <th>Start</th>
              <th>End</th>
              <th className="right">Elapsed</th>
              <th>Nodes</th>
              <th>Exit</th>
              <th className="right">GPUs</th>
              <th className="right">GPU-h</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r, k) => (
              <tr key={`${r.submitTime ?? 0}-${k}`} data-testid="job-run">
                <td className={`job-state job-state-${r.state.toLowerCase()}`} title={r.stateDetail ?? ''} data-testid="run-state">
                  {r.state}
                </td>
                <td>
                  <When t={r.startTime} zone={timeZone} />
                </td>
                <td>
                  <When t={r.endTime} zone={timeZone} />
                </td>
                <td className="right" title={`${r.elapsed} s`}>
                  {formatDuration(r.elapsed)}
                </td>
                <td>{r.nodes ?? '—'}</td>
                <td>{r.exitCode ?? '—'}</td>
                <td className="right">{gpuLabel(r.gpus, Object.keys(r.gpuTypes).join(',') || null)}</td>
                <td className="right">{formatGpuHours(r.gpuHours)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={7}>all runs</td>
              <td className="right" data-testid="runs-gpu-hours">
                {formatGpuHours(total)}
              </td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

export function JobDrawer({ job, onClose, copy }: { job: JobRow; onClose(): void; copy(id: string): void }) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), [job.cluster, job.jobIdRaw]);
  const fields: [string, ReactNode][] = [
    ['Cluster', job.cluster],
    ['Name', job.name],
    ['User', job.user],
    ['Account', job.account],
    ['Partition', job.partition],
    ['QOS', job.qos],
    ['State', job.state],
    ['Reason', job.reason ?? 'None'],
    ['GPUs', gpuLabel(job.gpus, job.gpuType)],
    ['Nodes', job.nodes ? `${job.nodes} (${job.numNodes})` : `${job.numNodes} requested`],
    ['Submitted', <When key="s" t={job.submitTime} zone={job.timeZone} />],
    ['Started', <When key="t" t={job.startTime} zone={job.timeZone} />],
    ['Time limit', slurmDuration(job.timeLimit)],
    ['Restarts', String(job.restarts)],
    ['Priority', job.priority === null ? '— (from history)' : job.priority.toLocaleString()],
  ];
  return (
    <aside
      className="job-drawer"
      role="dialog"
      aria-label={`job ${job.jobId} on ${job.cluster}`}
      data-testid="job-drawer"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header>
        <h2>
          Job <span className="job-id">{job.jobId}</span>
        </h2>
        <button type="button" onClick={() => copy(job.jobId)}>
          Copy job id
        </button>
        <span className="spacer" />
        <button type="button" ref={closeButton} onClick={onClose} aria-label="close job details" title="close (Esc)">
          ✕
        </button>
      </header>
      <dl className="job-fields">
        {fields.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <Runs job={job} />
    </aside>
  );
}
