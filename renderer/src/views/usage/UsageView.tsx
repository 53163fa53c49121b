// Usage (g u): GPU-, billing- and CPU-hours per account / user / … over a window, from the cached
// accounting runs (usage.report), and an export of the same to CSV, XLSX, Parquet or JSON with its
// manifest (usage.export). Export asks the host for a save dialog first (the desktop app's native one,
// with a suggested name and the format's filter); the web host has none, so there the view falls back to a
// typed path (absolute, on the machine running the console's core) with the host's reason as the hint.
import { useState } from 'react';
import type { UsageReport } from '../../../../shared/api/methods/usage';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useBridge } from '../../hooks/bridge-context';
import { useQuery } from '../../hooks/use-query';
import { useUiStore } from '../../store/ui-store';
import { defaultExportName, dialogMemory, exportUsageFromView } from './export-flow';

type Dim = UsageReport['groupBy'][number];
const DIMS: Dim[] = ['cluster', 'account', 'user', 'partition', 'qos', 'gpuType'];
const PRESETS: Record<string, number> = { '24 hours': 1, '7 days': 7, '30 days': 30, '90 days': 90 };
const fmt = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 2 });

export function UsageView() {
  const bridge = useBridge();
  const cluster = useUiStore((s) => s.cluster);
  const [days, setDays] = useState(7);
  const [dims, setDims] = useState<Dim[]>(['account', 'user']);
  const [period, setPeriod] = useState<'' | 'day' | 'week' | 'month'>('');
  const [format, setFormat] = useState<'csv' | 'xlsx' | 'parquet' | 'json'>('csv');
  const [file, setFile] = useState('');
  // null: ask the host for a save dialog; else the reason to type a path instead.
  const [pathHint, setPathHint] = useState<string | null>(dialogMemory.get());
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  // The window ends at the current minute, so reloads within a minute ask the same question.
  const to = Math.floor(Date.now() / 60_000) * 60;
  const from = to - days * 86_400;
  const groupBy: Dim[] = period ? [...dims, period] : dims;
  const request = { clusters: cluster ? [cluster] : [], from, to, groupBy };
  const report = useQuery<UsageReport>(() => bridge.api['usage.report'](request), [bridge, cluster, days, groupBy.join(','), to]);

  const toggle = (d: Dim) => setDims((cur) => (cur.includes(d) ? cur.filter((x) => x !== d) : [...cur, d]));
  const defaultName = defaultExportName({ cluster, from, to, timeZone: report.data?.timeZone ?? 'UTC', format });
  const runExport = async () => {
    setExported(null);
    setExportError(null);
    setExporting(true);
    try {
      const outcome = await exportUsageFromView(bridge.api, { request, format, defaultName, via: pathHint === null ? 'dialog' : 'typed', typedPath: file });
      if (outcome.kind === 'written') {
        const r = outcome.result;
        setExported(`${r.path}: ${r.rows} rows, sha256 ${r.sha256} (manifest ${r.manifestPath})`);
      } else if (outcome.kind === 'needs-path') {
        if (outcome.remember) dialogMemory.set(outcome.reason);
        setPathHint(outcome.reason);
      }
    } catch (err) {
      setExportError((err as Error).message);
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="usage" data-testid="usage">
      <header className="usage-controls">
        <label>
          Last{' '}
          <select aria-label="window" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {Object.entries(PRESETS).map(([label, d]) => (
              <option key={label} value={d}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {DIMS.map((d) => (
          <label key={d}>
            <input type="checkbox" checked={dims.includes(d)} onChange={() => toggle(d)} /> {d}
          </label>
        ))}
        <label>
          by{' '}
          <select aria-label="period" value={period} onChange={(e) => setPeriod(e.target.value as typeof period)}>
            <option value="">whole window</option>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </label>
      </header>
      {report.error && !report.data ? (
        <ErrorState error={report.error} retry={report.reload} />
      ) : !report.data ? (
        <Loading label="Summing accounting runs…" />
      ) : (
        <>
          <p className="muted" data-testid="usage-totals">
            {fmt(report.data.totals.gpuHours)} GPU-hours, {fmt(report.data.totals.billingHours)} billing-hours, {report.data.totals.runs} runs of {report.data.totals.jobs} jobs
            {report.data.totals.runningRuns ? ` (${report.data.totals.runningRuns} still running, counted to now)` : ''}; {fmt(report.data.totals.preemptedGpuHours)} GPU-hours lost to preemption. Times in{' '}
            {report.data.timeZone}.
          </p>
          {report.data.rows.length === 0 ? (
            <EmptyState title="No usage in this window">Accounting is collected every 5 minutes by default.</EmptyState>
          ) : (
            <table className="usage-table" data-testid="usage-table">
              <thead>
                <tr>
                  {report.data.accountRollUp && <th>scope</th>}
                  {report.data.groupBy.map((d) => (
                    <th key={d}>{d}</th>
                  ))}
                  <th>GPU-h</th>
                  <th>billing-h</th>
                  <th>CPU-h</th>
                  <th>lost GPU-h</th>
                  <th>runs</th>
                  <th>jobs</th>
                </tr>
              </thead>
              <tbody>
                {report.data.rows.map((r) => (
                  <tr key={`${r.scope}/${r.keys.join('/')}`} data-testid={`usage-row-${r.scope}-${r.keys.join('/')}`}>
                    {report.data?.accountRollUp && <td>{r.scope === 'tree' ? 'subtree' : 'own'}</td>}
                    {r.keys.map((k, i) => (
                      <td key={i}>{k || '—'}</td>
                    ))}
                    <td className="num">{fmt(r.gpuHours)}</td>
                    <td className="num">{fmt(r.billingHours)}</td>
                    <td className="num">{fmt(r.cpuHours)}</td>
                    <td className="num">{fmt(r.preemptedGpuHours)}</td>
                    <td className="num">{r.runs}</td>
                    <td className="num">{r.jobs}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <footer className="usage-export">
        <select aria-label="format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
          <option value="csv">CSV</option>
          <option value="xlsx">XLSX</option>
          <option value="parquet">Parquet</option>
          <option value="json">JSON</option>
        </select>
        {pathHint !== null && <input aria-label="export file" placeholder={`/absolute/path/${defaultName}`} value={file} onChange={(e) => setFile(e.target.value)} size={50} autoFocus />}
        <button type="button" disabled={exporting || (pathHint !== null && file.trim() === '')} onClick={() => void runExport()}>
          {exporting ? 'Exporting…' : pathHint === null ? 'Export…' : 'Export'}
        </button>
        {pathHint !== null && (
          <span className="muted" data-testid="usage-export-hint">
            {pathHint}
          </span>
        )}
        {exported && <span data-testid="usage-exported">Wrote {exported}</span>}
        {exportError && <span role="alert">{exportError}</span>}
      </footer>
    </section>
  );
}
