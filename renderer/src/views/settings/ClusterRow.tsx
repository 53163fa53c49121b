// One configured cluster: how it is reached, its connection, what the probe found, and its actions
// (test, sync now, edit, remove). Actions that need a connection or a writable store are disabled with
// the reason in their tooltip.
import { useCallback } from 'react';
import type { ClusterEntry, ClustersOverview, SyncNowResult, TestResult } from '../../../../shared/api/methods/clusters';
import { AsOf } from '../../components/AsOf';
import { useBridge } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import { ProbeFacts, TestOutcome } from './ProbeResult';

function reach(e: ClusterEntry): string {
  const c = e.config;
  const via = c.jump.length ? ` via ${c.jump.map((j) => `${j.user}@${j.host}:${j.port}`).join(' → ')}` : '';
  const auth = c.auth.kind === 'key' ? `key ${c.auth.identityFile}${c.auth.hasPassphrase ? ' (passphrase)' : ''}` : c.auth.kind === 'password' ? 'password' : `ssh-agent${c.auth.socket ? ` ${c.auth.socket}` : ''}`;
  return `${c.user}@${c.host}:${c.port}${via} · ${auth}`;
}

function SyncOutcome({ r }: { r: SyncNowResult }) {
  return (
    <div className={`test-outcome ${r.errors.length ? 'bad' : 'ok'}`} role="status" data-testid="sync-outcome">
      Synced in {(r.ms / 1000).toFixed(1)} s: {r.snapshots} snapshot{r.snapshots === 1 ? '' : 's'} stored
      {r.errors.length > 0 && (
        <ul>
          {r.errors.map((e) => (
            <li key={e.kind}>
              {e.kind}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ClusterRow({ entry, overview, onEdit, onChanged }: { entry: ClusterEntry; overview: ClustersOverview; onEdit(): void; onChanged(): void }) {
  const bridge = useBridge();
  const name = entry.config.name;
  const test = useAction(useCallback(() => bridge.api['clusters.test']({ config: entry.config }) as Promise<TestResult>, [bridge, entry.config]));
  const sync = useAction(
    useCallback(async () => {
      const r = await bridge.api['clusters.syncNow']({ name });
      onChanged();
      return r;
    }, [bridge, name, onChanged]),
  );
  const remove = useAction(
    useCallback(async () => {
      const r = await bridge.api['clusters.remove']({ name });
      onChanged();
      return r;
    }, [bridge, name, onChanged]),
  );
  const conn = entry.connection;
  const offline = conn !== null && (conn.state === 'offline' || conn.state === 'closed');
  const noConn = overview.connected ? undefined : 'this console keeps no connections (example data or a snapshot file)';
  const readonly = overview.readonlyReason ?? undefined;

  return (
    <article className="cluster-row" data-testid={`settings-cluster-${name}`} aria-label={`cluster ${name}`}>
      <header>
        <h3>{name}</h3>
        {!entry.config.enabled && <span className="badge">polling off</span>}
        <span className={`conn conn-${conn?.state ?? 'none'}`} data-testid="conn-state" title={conn?.message ?? ''}>
          {conn ? conn.state : overview.connected ? 'not connected yet' : 'no connection (cached data)'}
        </span>
        <AsOf at={entry.lastSyncAt} zone={entry.probe?.timeZone ?? null} offline={offline} />
        <span className="muted">
          {entry.snapshotCount} snapshot{entry.snapshotCount === 1 ? '' : 's'}
        </span>
      </header>
      <p className="reach">{reach(entry)}</p>
      <p className="muted">
        polls queue + nodes every {entry.config.poll.queue} s, accounting every {entry.config.poll.accounting} s, fairshare every {entry.config.poll.fairshare} s
        {entry.config.knownHostsFiles.length ? ` · extra known_hosts: ${entry.config.knownHostsFiles.join(', ')}` : ''}
      </p>
      {conn?.message && (offline || conn.state === 'degraded') && (
        <p className="conn-message" role="status">
          {conn.message}
          {conn.retryAt ? ` (next try ${new Date(conn.retryAt).toLocaleTimeString()})` : ''}
        </p>
      )}
      {entry.problems.length > 0 && <p className="bad">This stored configuration needs fixing: {entry.problems.join('; ')}</p>}
      {entry.probe ? <ProbeFacts probe={entry.probe} /> : <p className="muted">Not probed yet: use Test.</p>}
      <div className="row-actions">
        <button type="button" onClick={() => void test.run()} disabled={test.busy || noConn !== undefined} title={noConn ?? 'connect and probe now'}>
          {test.busy ? <span className="spinner" /> : null} {test.busy ? 'Testing…' : 'Test'}
        </button>
        <button type="button" onClick={() => void sync.run()} disabled={sync.busy || noConn !== undefined} title={noConn ?? 'collect everything now'}>
          {sync.busy ? <span className="spinner" /> : null} {sync.busy ? 'Syncing…' : 'Sync now'}
        </button>
        <button type="button" onClick={onEdit} disabled={readonly !== undefined} title={readonly ?? 'change how this cluster is reached'}>
          Edit
        </button>
        <button
          type="button"
          className="danger"
          disabled={remove.busy || readonly !== undefined}
          title={readonly ?? 'remove the cluster and its cached history'}
          onClick={() => {
            if (window.confirm(`Remove ${name} and all its cached history (${entry.snapshotCount} snapshots)? This cannot be undone.`)) void remove.run();
          }}
        >
          Remove
        </button>
      </div>
      {test.result && <TestOutcome result={test.result} />}
      {sync.result && <SyncOutcome r={sync.result} />}
      {(test.error ?? sync.error ?? remove.error) && (
        <p className="bad" role="alert">
          {test.error ?? sync.error ?? remove.error}
        </p>
      )}
    </article>
  );
}
