// Totals of what preemption and requeues cost (by account, QOS, partition, day) and requeue counts per job.
import type { PreemptionHistory, RequeueCount } from '../../../../shared/api/methods/preemptions';
import { formatDuration, formatGpuHours } from '../../format';
import { formatGpuSeconds } from './time-window';

type Total = PreemptionHistory['totals']['byAccount'][number];

function TotalTable({ title, rows, testId }: { title: string; rows: readonly Total[]; testId: string }) {
  return (
    <section className="pre-total" data-testid={testId}>
      <h3>{title}</h3>
      <table>
        <thead>
          <tr>
            <th>{title.replace('by ', '')}</th>
            <th className="num">runs</th>
            <th className="num">run time</th>
            <th className="num">GPU-h lost</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.key}>
              <td>{t.key || '—'}</td>
              <td className="num">{t.runs}</td>
              <td className="num">{formatDuration(t.lostSeconds)}</td>
              <td className="num" title={`${t.gpuSecondsLost} GPU-seconds`}>
                {formatGpuSeconds(t.gpuSecondsLost, formatGpuHours)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function LossTotals({ totals }: { totals: PreemptionHistory['totals'] }) {
  return (
    <div className="pre-totals">
      <TotalTable title="by account" rows={totals.byAccount} testId="totals-account" />
      <TotalTable title="by QOS" rows={totals.byQos} testId="totals-qos" />
      <TotalTable title="by partition" rows={totals.byPartition} testId="totals-partition" />
      <TotalTable title="by day" rows={totals.byDay} testId="totals-day" />
    </div>
  );
}

export function RequeueCounts({ requeues }: { requeues: readonly RequeueCount[] }) {
  return (
    <section className="pre-total pre-requeues" data-testid="requeue-counts">
      <h3>Requeues per job</h3>
      <table>
        <thead>
          <tr>
            <th>cluster</th>
            <th>job</th>
            <th className="num">preempted</th>
            <th className="num">requeued</th>
            <th className="num" title="sacct Restarts (Slurm 24.11+); — where the version does not record it">Slurm restarts</th>
            <th className="num">GPU-h lost</th>
          </tr>
        </thead>
        <tbody>
          {requeues.map((r) => (
            <tr key={`${r.cluster}/${r.jobIdRaw}`}>
              <td>{r.cluster}</td>
              <td className="mono">{r.jobId}</td>
              <td className="num">{r.preempted}</td>
              <td className="num">{r.requeued}</td>
              <td className="num">{r.restarts ?? '—'}</td>
              <td className="num">{formatGpuSeconds(r.gpuSecondsLost, formatGpuHours)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
