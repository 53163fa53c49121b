// Every preempted or requeued run, newest first, in a virtualized table (only the visible rows are in the
// DOM): what ran, when it was ended, what it lost, and the job that most likely preempted it — always
// marked "inferred", with the evidence (shared nodes, seconds apart, the tier or QOS reason).
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { PreemptedRun } from '../../../../shared/api/methods/preemptions';
import { formatDuration, formatGpuHours, formatTime, timeTitle } from '../../format';
import { formatGpuSeconds } from './time-window';

const ROW = 30;
const HEADERS = ['cluster', 'job', 'user', 'account', 'partition', 'QOS', 'GPUs', 'started', 'ended at', 'run time lost', 'GPU-h lost', 'likely preempted by'];

function Preemptor({ run }: { run: PreemptedRun }) {
  if (run.state !== 'PREEMPTED') return <span className="muted">requeued by an admin or the owner</span>;
  const p = run.preemptor;
  if (!p) return <span className="muted">no run fits the rule</span>;
  const gap = p.secondsAfter >= 0 ? `+${p.secondsAfter} s` : `−${-p.secondsAfter} s`;
  return (
    <span className="pre-inferred" title={`${p.why}\nshared nodes: ${p.sharedNodes.join(', ')}\nstarted ${new Date(p.startTime * 1000).toISOString()}`} data-testid="inferred-preemptor">
      <span className="badge badge-inferred">inferred</span> job <strong>{p.jobId}</strong> ({p.user}, {p.partition}, QOS {p.qos}) started {gap} on {p.sharedNodes.join(', ')}
    </span>
  );
}

export function RunsTable({ runs, zones }: { runs: readonly PreemptedRun[]; zones: Map<string, string> }) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: runs.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10 });
  return (
    <div className="pre-table" role="table" aria-label="preempted and requeued runs" aria-rowcount={runs.length + 1}>
      <div className="pre-row pre-head" role="row">
        {HEADERS.map((h) => (
          <span key={h} role="columnheader">
            {h}
          </span>
        ))}
      </div>
      <div className="pre-scroll" ref={scroller}>
        <div style={{ height: `${v.getTotalSize()}px`, position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const r = runs[item.index] as PreemptedRun;
            const zone = zones.get(r.cluster) ?? null;
            return (
              <div
                key={`${r.cluster}/${r.jobIdRaw}/${r.submitTime ?? 0}/${r.endTime}`}
                className={`pre-row state-${r.state.toLowerCase()}`}
                role="row"
                data-testid={`run-${r.cluster}-${r.jobId}`}
                style={{ transform: `translateY(${item.start}px)`, height: `${ROW}px` }}
              >
                <span>{r.cluster}</span>
                <span className="mono" title={r.name}>
                  {r.jobId}
                </span>
                <span>{r.user}</span>
                <span>{r.account}</span>
                <span>{r.partition}</span>
                <span>{r.qos}</span>
                <span className="num" title={r.gpuTypes || undefined}>
                  {r.gpus}
                </span>
                <span title={r.startTime === null ? undefined : timeTitle(r.startTime, zone)}>{r.startTime === null ? '—' : formatTime(r.startTime)}</span>
                <span title={timeTitle(r.endTime, zone)}>{formatTime(r.endTime)}</span>
                <span className="num">{formatDuration(r.lostSeconds)}</span>
                <span className="num" data-testid="gpu-hours-lost" title={`${r.gpuSecondsLost} GPU-seconds`}>
                  {formatGpuSeconds(r.gpuSecondsLost, formatGpuHours)}
                </span>
                <span className="pre-cause">
                  <Preemptor run={r} />
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
