// Fairshare & priority: per cluster, the account tree from the cached sshare rows and the pending jobs
// with their sprio factors, as of the time-travel moment (or latest). Follows the cluster filter; without
// one, a tab per cluster.
import { useState } from 'react';
import type { PendingPriorities, FairshareTree } from '../../../../shared/api/methods/fairshare';
import type { FleetOverview } from '../../../../shared/api/methods/fleet';
import { AsOf } from '../../components/AsOf';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useBridge } from '../../hooks/bridge-context';
import { useQuery } from '../../hooks/use-query';
import { useUiStore } from '../../store/ui-store';
import { AccountTree } from './AccountTree';
import { PendingTable } from './PendingTable';
import './fairshare.css';

function ClusterScheduler({ cluster }: { cluster: string }) {
  const bridge = useBridge();
  const at = useUiStore((s) => s.at);
  const req = { cluster, ...(at ? { at } : {}) };
  const tree = useQuery<FairshareTree>(() => bridge.api['fairshare.tree'](req), [bridge, cluster, at]);
  const pending = useQuery<PendingPriorities>(() => bridge.api['priority.pending'](req), [bridge, cluster, at]);
  return (
    <div className="fs-cluster" data-testid={`fairshare-${cluster}`}>
      <section className="fs-section">
        <header>
          <h3>Account tree</h3>
          {tree.data && <AsOf at={tree.data.collectedAt} zone={tree.data.timeZone} />}
          {tree.loading && tree.data && <span className="spinner" role="progressbar" aria-label="reloading" />}
        </header>
        {tree.error && !tree.data ? (
          <ErrorState error={tree.error} retry={tree.reload} />
        ) : !tree.data ? (
          <Loading label="Reading sshare rows…" />
        ) : tree.data.rows.length === 0 ? (
          <EmptyState title={tree.data.collectedAt === null ? 'sshare was never collected from this cluster' : 'sshare returned no associations'}>
            Fairshare is collected every 15 minutes by default; it needs <code>PriorityType=priority/multifactor</code>.
          </EmptyState>
        ) : (
          <AccountTree rows={tree.data.rows} />
        )}
      </section>
      <section className="fs-section">
        <header>
          <h3>Pending jobs by priority</h3>
          {pending.data && <AsOf at={pending.data.collectedAt} zone={pending.data.timeZone} />}
          {pending.data && <span className="muted">{pending.data.jobs.length} rows (sprio: one per job and partition)</span>}
          {pending.loading && pending.data && <span className="spinner" role="progressbar" aria-label="reloading" />}
        </header>
        {pending.error && !pending.data ? (
          <ErrorState error={pending.error} retry={pending.reload} />
        ) : !pending.data ? (
          <Loading label="Reading sprio rows…" />
        ) : !pending.data.available ? (
          <EmptyState title="sprio does not answer on this cluster">It needs the multifactor priority plugin.</EmptyState>
        ) : pending.data.jobs.length === 0 ? (
          <EmptyState title="No pending jobs with priority factors">sprio lists only pending jobs that are eligible to run.</EmptyState>
        ) : (
          <PendingTable jobs={pending.data.jobs} />
        )}
      </section>
    </div>
  );
}

export function FairshareView() {
  const bridge = useBridge();
  const at = useUiStore((s) => s.at);
  const filter = useUiStore((s) => s.cluster);
  const fleet = useQuery<FleetOverview>(() => bridge.api['fleet.overview'](at ? { at } : {}), [bridge, at]);
  const [picked, setPicked] = useState<string | null>(null);
  if (fleet.error && !fleet.data) return <ErrorState error={fleet.error} retry={fleet.reload} />;
  if (!fleet.data) return <Loading />;
  const names = fleet.data.clusters.map((c) => c.name).filter((n) => !filter || n === filter);
  if (names.length === 0) {
    return <EmptyState title={filter ? `No cluster named ${filter}` : 'No clusters yet'}>Add a cluster under Settings to see its fairshare tree.</EmptyState>;
  }
  const current = picked !== null && names.includes(picked) ? picked : (names[0] as string);
  return (
    <section className="fairshare" data-testid="fairshare">
      <header className="fs-header">
        <h2>Fairshare &amp; priority</h2>
        <div role="tablist" aria-label="clusters" className="fs-tabs">
          {names.map((n) => (
            <button key={n} type="button" role="tab" aria-selected={n === current} onClick={() => setPicked(n)}>
              {n}
            </button>
          ))}
        </div>
      </header>
      <ClusterScheduler key={current} cluster={current} />
    </section>
  );
}
