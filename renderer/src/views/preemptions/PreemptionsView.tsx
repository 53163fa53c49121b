// Preemption history: every preempted or requeued run of the chosen window (presets or from/to), with a
// timeline, what each run lost in GPU-hours, totals, requeue counts per job, and the job that most likely
// preempted it (inferred from accounting; the rule is shown). Works from the cache, follows the cluster
// filter and time travel (only what had ended by then).
import { useMemo, useState } from 'react';
import { AsOf } from '../../components/AsOf';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatDuration, formatGpuHours } from '../../format';
import { useBridge } from '../../hooks/bridge-context';
import { useQuery } from '../../hooks/use-query';
import { useAppStore } from '../../store/app-store';
import { useUiStore } from '../../store/ui-store';
import { LossTotals, RequeueCounts } from './LossTotals';
import { PreemptionTimeline } from './PreemptionTimeline';
import { decodePreemptions, type PreemptionsData } from './preemptions-data';
import { qosColours } from './qos-colours';
import { RunsTable } from './RunsTable';
import { filterRuns, type StateChoice } from './run-filter';
import { PRESETS, formatGpuSeconds, fromLocalInput, resolveWindow, toLocalInput, type WindowChoice } from './time-window';
import './preemptions.css';

function WindowPicker({ choice, window, onChange }: { choice: WindowChoice; window: { from: number; to: number }; onChange(c: WindowChoice): void }) {
  const setEdge = (edge: 'from' | 'to', value: string) => {
    const t = fromLocalInput(value);
    if (t === null) return;
    const next = { ...window, [edge]: t };
    if (next.from < next.to) onChange({ kind: 'custom', from: next.from, to: next.to });
  };
  return (
    <div className="pre-window" role="group" aria-label="time window">
      {PRESETS.map((p) => (
        <button key={p.id} type="button" aria-pressed={choice.kind === 'preset' && choice.preset === p.id} onClick={() => onChange({ kind: 'preset', preset: p.id })}>
          {p.label}
        </button>
      ))}
      <label>
        from <input type="datetime-local" aria-label="from" value={toLocalInput(window.from)} onChange={(e) => setEdge('from', e.target.value)} />
      </label>
      <label>
        to <input type="datetime-local" aria-label="to" value={toLocalInput(window.to)} onChange={(e) => setEdge('to', e.target.value)} />
      </label>
    </div>
  );
}

function Summary({ data }: { data: PreemptionsData }) {
  const preempted = data.runs.filter((r) => r.state === 'PREEMPTED');
  const gpuSeconds = data.runs.reduce((a, r) => a + r.gpuSecondsLost, 0);
  const seconds = data.runs.reduce((a, r) => a + r.lostSeconds, 0);
  const inferred = preempted.filter((r) => r.preemptor !== null).length;
  return (
    <dl className="pre-summary" data-testid="preemption-summary">
      <div>
        <dt>preempted runs</dt>
        <dd>{preempted.length}</dd>
      </div>
      <div>
        <dt>requeued runs</dt>
        <dd>{data.runs.length - preempted.length}</dd>
      </div>
      <div>
        <dt>run time lost</dt>
        <dd>{formatDuration(seconds)}</dd>
      </div>
      <div>
        <dt>GPU-hours lost</dt>
        <dd data-testid="total-gpu-hours" title={`${gpuSeconds} GPU-seconds`}>
          {formatGpuSeconds(gpuSeconds, formatGpuHours)}
        </dd>
      </div>
      <div>
        <dt>preemptor inferred</dt>
        <dd>
          {inferred} of {preempted.length}
        </dd>
      </div>
    </dl>
  );
}

export function PreemptionsView() {
  const bridge = useBridge();
  const at = useUiStore((s) => s.at);
  const cluster = useUiStore((s) => s.cluster);
  const now = useAppStore((s) => s.info?.now ?? null);
  const [choice, setChoice] = useState<WindowChoice>({ kind: 'preset', preset: '7d' });
  const [stateChoice, setStateChoice] = useState<StateChoice>('all');
  const [text, setText] = useState('');
  const base = at ?? now ?? Math.floor(Date.now() / 1000);
  const win = resolveWindow(choice, base);
  const { from, to } = win;
  const q = useQuery<PreemptionsData>(
    () => bridge.api['preemptions.list']({ from, to, ...(cluster ? { clusters: [cluster] } : {}), ...(at ? { at } : {}) }).then(decodePreemptions),
    [bridge, from, to, cluster, at],
  );
  const colours = useMemo(() => qosColours(q.data?.runs.map((r) => r.qos) ?? []), [q.data]);
  const shown = useMemo(() => filterRuns(q.data?.runs ?? [], stateChoice, text), [q.data, stateChoice, text]);
  const zones = useMemo(() => new Map(q.data?.clusters.map((c) => [c.name, c.timeZone]) ?? []), [q.data]);

  let body;
  if (q.error && !q.data) body = <ErrorState error={q.error} retry={q.reload} />;
  else if (!q.data) body = <Loading label="Reading the preemption history…" />;
  else if (q.data.clusters.length === 0) {
    body = <EmptyState title="No clusters yet">Add a cluster under Settings; its accounting (sacct -D) feeds this view.</EmptyState>;
  } else {
    const d = q.data;
    body = (
      <>
        <div className="pre-asof">
          {d.clusters.map((c) => (
            <span key={c.name} data-testid={`asof-${c.name}`}>
              {c.name}: accounting <AsOf at={c.accountingAt} zone={c.timeZone} />
              {!c.partitionTiersKnown && <span className="muted"> · partition tiers unknown</span>}
            </span>
          ))}
        </div>
        <Summary data={d} />
        {d.runs.length === 0 ? (
          <EmptyState title="No preempted or requeued runs in this window">Pick a longer window, or another cluster.</EmptyState>
        ) : (
          <>
            <div className="pre-filter" role="search">
              <select aria-label="state" value={stateChoice} onChange={(e) => setStateChoice(e.target.value as StateChoice)}>
                <option value="all">preempted and requeued</option>
                <option value="PREEMPTED">preempted only</option>
                <option value="REQUEUED">requeued only</option>
              </select>
              <input type="search" aria-label="filter runs" placeholder="job, user, account, partition, QOS, node…" value={text} onChange={(e) => setText(e.target.value)} />
              <span className="muted" data-testid="shown-count">
                {shown.length} of {d.runs.length} runs shown
              </span>
            </div>
            <PreemptionTimeline runs={shown} lanes={d.clusters.map((c) => c.name)} from={d.from} to={d.to} colours={colours} />
            <ul className="pre-legend" aria-label="QOS colours">
              {[...colours].map(([qos, colour]) => (
                <li key={qos}>
                  <span className="swatch" style={{ background: colour }} /> {qos}
                </li>
              ))}
              <li className="muted">filled: preempted · outlined: requeued · tick: when it was ended</li>
            </ul>
            <RunsTable runs={shown} zones={zones} />
            <p className="pre-rule muted" data-testid="inference-rule">
              <span className="badge badge-inferred">inferred</span> {d.rule.text}
            </p>
            <h3 className="pre-subhead">Totals for the whole window</h3>
            <LossTotals totals={d.totals} />
            <RequeueCounts requeues={d.requeues} />
          </>
        )}
      </>
    );
  }

  return (
    <section className="preemptions" data-testid="preemptions" aria-busy={q.loading}>
      <header className="pre-header">
        <h2>Preemption history</h2>
        <WindowPicker choice={choice} window={win} onChange={setChoice} />
        {q.loading && q.data && <span className="spinner" role="progressbar" aria-label="reloading" />}
      </header>
      {q.error && q.data && (
        <p role="alert" className="app-error">
          {q.error}
        </p>
      )}
      {body}
    </section>
  );
}
