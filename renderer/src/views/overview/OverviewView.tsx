// Fleet overview: one card per cluster (GPUs allocated / idle / unavailable, pending GPU demand, jobs,
// nodes by state, open alerts, connection, last sync) and the fleet's totals. A card links to the other views
// filtered to that cluster.
import { useEffect } from 'react';
import type { ClusterCard, FleetOverview } from '../../../../shared/api/methods/fleet';
import { AsOf } from '../../components/AsOf';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatNumber } from '../../format';
import { useBridge } from '../../hooks/bridge-context';
import { useQuery } from '../../hooks/use-query';
import { useUiStore } from '../../store/ui-store';

function GpuBar({ gpus }: { gpus: ClusterCard['counts']['gpus'] }) {
  if (gpus.total === 0) return <div className="gpu-bar gpu-bar-none">no GPUs</div>;
  const pct = (n: number) => `${(100 * n) / gpus.total}%`;
  return (
    <div className="gpu-bar" role="img" aria-label={`${gpus.allocated} allocated, ${gpus.idle} idle, ${gpus.unavailable} unavailable of ${gpus.total} GPUs`}>
      <span className="seg seg-alloc" style={{ width: pct(gpus.allocated) }} />
      <span className="seg seg-idle" style={{ width: pct(gpus.idle) }} />
      <span className="seg seg-unavail" style={{ width: pct(gpus.unavailable) }} />
    </div>
  );
}

function Counts({ c }: { c: ClusterCard['counts'] }) {
  return (
    <dl className="counts">
      <div>
        <dt>GPUs allocated</dt>
        <dd data-testid="gpus-allocated">{formatNumber(c.gpus.allocated)}</dd>
      </div>
      <div>
        <dt>idle</dt>
        <dd data-testid="gpus-idle" className={c.gpus.idle > 0 && c.pendingGpus > 0 ? 'warn' : ''}>
          {formatNumber(c.gpus.idle)}
        </dd>
      </div>
      <div>
        <dt>unavailable</dt>
        <dd data-testid="gpus-unavailable" className={c.gpus.unavailable > 0 ? 'bad' : ''}>
          {formatNumber(c.gpus.unavailable)}
        </dd>
      </div>
      <div>
        <dt>total</dt>
        <dd data-testid="gpus-total">{formatNumber(c.gpus.total)}</dd>
      </div>
      <div>
        <dt>GPUs wanted by pending jobs</dt>
        <dd data-testid="pending-gpus">{formatNumber(c.pendingGpus)}</dd>
      </div>
      <div>
        <dt>jobs running / pending</dt>
        <dd data-testid="jobs">
          {formatNumber(c.jobs.running)} / {formatNumber(c.jobs.pending)}
        </dd>
      </div>
    </dl>
  );
}

function NodeStates({ byState }: { byState: Record<string, number> }) {
  const entries = Object.entries(byState).sort(([a], [b]) => a.localeCompare(b));
  return (
    <ul className="node-states" aria-label="nodes by state">
      {entries.map(([state, n]) => (
        <li key={state} className={`node-state state-${state.replace(/\W/g, '')}`}>
          {n} {state}
        </li>
      ))}
    </ul>
  );
}

/** Active alerts (open + acknowledged): opens the Alerts view, filtered to the cluster when there is one. */
function AlertBadge({ count, cluster }: { count: number; cluster: string | null }) {
  const navigate = useUiStore((s) => s.navigate);
  return (
    <button
      type="button"
      className={`alert-badge${count > 0 ? ' has-alerts' : ''}`}
      data-testid="alert-badge"
      title={cluster ? `alerts of ${cluster}` : 'alerts of every cluster'}
      onClick={() => navigate('alerts', { cluster })}
    >
      {count} open alert{count === 1 ? '' : 's'}
    </button>
  );
}

function ClusterCardView({ card }: { card: ClusterCard }) {
  const navigate = useUiStore((s) => s.navigate);
  const offline = card.connection !== null && (card.connection.state === 'offline' || card.connection.state === 'closed');
  return (
    <article className={`cluster-card${offline ? ' offline' : ''}`} data-testid={`cluster-${card.name}`} aria-label={`cluster ${card.name}`}>
      <header>
        <h2>{card.name}</h2>
        <span className="muted">Slurm {card.slurmVersion ?? '?'}</span>
        {card.connection && (
          <span className={`conn conn-${card.connection.state}`} title={card.connection.message ?? ''}>
            {card.connection.state}
          </span>
        )}
        <AsOf at={card.lastSyncAt} zone={card.timeZone} offline={offline} />
        <AlertBadge count={card.openAlerts} cluster={card.name} />
      </header>
      <GpuBar gpus={card.counts.gpus} />
      <Counts c={card.counts} />
      <NodeStates byState={card.counts.nodes.byState} />
      {card.lastErrors.length > 0 && (
        <ul className="card-errors">
          {card.lastErrors.map((e) => (
            <li key={e.kind}>
              {e.kind}: {e.message}
            </li>
          ))}
        </ul>
      )}
      <nav className="card-links" aria-label={`views of ${card.name}`}>
        {['heatmap', 'jobs', 'preemptions', 'fairshare'].map((v) => (
          <button key={v} type="button" onClick={() => navigate(v, { cluster: card.name })}>
            {v}
          </button>
        ))}
      </nav>
    </article>
  );
}

export function OverviewView() {
  const bridge = useBridge();
  const at = useUiStore((s) => s.at);
  const q = useQuery<FleetOverview>(() => bridge.api['fleet.overview'](at ? { at } : {}), [bridge, at]);
  const { reload } = q;
  // Alert counts change after a snapshot's evaluation and on acknowledge / snooze.
  useEffect(() => bridge.on((event) => void (event === 'alerts.changed' && at === null && reload())), [bridge, at, reload]);
  if (q.error && !q.data) return <ErrorState error={q.error} retry={q.reload} />;
  if (!q.data) return <Loading />;
  const { clusters, totals } = q.data;
  if (clusters.length === 0) {
    return (
      <EmptyState title="No clusters yet">
        Add a cluster under Settings, or from a terminal: <code>clusterops clusters add NAME --host HOST</code>.
      </EmptyState>
    );
  }
  return (
    <section className="overview" data-testid="overview">
      <div className="fleet-total" data-testid="fleet-total">
        <h2>Fleet</h2>
        <AlertBadge count={clusters.reduce((n, c) => n + c.openAlerts, 0)} cluster={null} />
        <GpuBar gpus={totals.gpus} />
        <Counts c={totals} />
      </div>
      <div className="cards">
        {clusters.map((c) => (
          <ClusterCardView key={c.name} card={c} />
        ))}
      </div>
    </section>
  );
}
