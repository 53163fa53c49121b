// Clusters & settings: the configured clusters (connection, probe results, test, sync now, edit,
// remove), adding one by hand or from an SSH client config, retention, and the data directory. Example
// data and snapshot files are read-only: the view says so and disables every change.
import { useCallback, useEffect, useState } from 'react';
import type { ClustersOverview } from '../../../../shared/api/methods/clusters';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useBridge } from '../../hooks/bridge-context';
import { useQuery } from '../../hooks/use-query';
import { useUiStore } from '../../store/ui-store';
import { ClusterForm } from './ClusterForm';
import { draftOf, EMPTY_DRAFT } from './cluster-form-model';
import { ClusterRow } from './ClusterRow';
import { AlertThresholdsForm } from './AlertThresholdsForm';
import { RetentionForm } from './RetentionForm';
import { SshImport } from './SshImport';
import './settings.css';

type Editing = { kind: 'new' } | { kind: 'edit'; name: string } | null;

export function SettingsView() {
  const bridge = useBridge();
  const cluster = useUiStore((s) => s.cluster);
  const q = useQuery<ClustersOverview>(() => bridge.api['clusters.list']({}), [bridge]);
  const [editing, setEditing] = useState<Editing>(null);
  const { reload } = q;

  // Connection states and cluster changes (from another window, the poller) show without a reload click.
  useEffect(
    () =>
      bridge.on((event) => {
        if (event === 'connection' || event === 'clusters.changed') reload();
      }),
    [bridge, reload],
  );
  const done = useCallback(() => {
    setEditing(null);
    reload();
  }, [reload]);

  if (q.error && !q.data) return <ErrorState error={q.error} retry={reload} />;
  if (!q.data) return <Loading label="Loading clusters…" />;
  const o = q.data;
  const shown = o.clusters.filter((c) => !cluster || c.config.name === cluster);
  const editEntry = editing?.kind === 'edit' ? o.clusters.find((c) => c.config.name === editing.name) : undefined;

  return (
    <section className="settings" data-testid="settings">
      <header className="settings-head">
        <h2>Clusters &amp; settings</h2>
        <span className="muted" data-testid="data-path">
          {o.source === 'live' ? 'data directory' : o.source === 'example' ? 'example snapshot' : 'snapshot file'}: <code>{o.dataPath}</code>
        </span>
      </header>
      {o.readonlyReason && (
        <p className="readonly-note" role="note" data-testid="readonly-note">
          {o.readonlyReason}
        </p>
      )}

      <section className="settings-section" aria-label="clusters">
        <div className="section-head">
          <h2>Clusters</h2>
          {cluster && <span className="muted">showing {cluster} only (cluster filter)</span>}
          <span className="spacer" />
          <button type="button" className="primary" onClick={() => setEditing({ kind: 'new' })} disabled={o.readonlyReason !== null || editing !== null} title={o.readonlyReason ?? 'add a cluster by hand'}>
            Add cluster
          </button>
        </div>
        {editing?.kind === 'new' && <ClusterForm key="new" initial={EMPTY_DRAFT} isNew onDone={done} onCancel={() => setEditing(null)} />}
        {editEntry && <ClusterForm key={`edit-${editEntry.config.name}`} initial={draftOf(editEntry.config)} isNew={false} onDone={done} onCancel={() => setEditing(null)} />}
        {o.clusters.length === 0 && editing === null && (
          <EmptyState title="No clusters configured">Add one with the button above, or import hosts from your SSH client config below.</EmptyState>
        )}
        {shown.map((c) => (
          <ClusterRow key={c.config.name} entry={c} overview={o} onEdit={() => setEditing({ kind: 'edit', name: c.config.name })} onChanged={reload} />
        ))}
      </section>

      {o.readonlyReason === null && <SshImport disabled={o.readonlyReason} onImported={reload} />}

      <section className="settings-section" aria-label="retention and storage">
        <h2>Retention</h2>
        <RetentionForm retention={o.retention} disabled={o.readonlyReason} onSaved={reload} />
      </section>

      <section className="settings-section" aria-label="alert thresholds">
        <h2>Alert thresholds</h2>
        <AlertThresholdsForm clusters={o.clusters.map((c) => c.config.name)} disabled={o.readonlyReason} />
      </section>
    </section>
  );
}
