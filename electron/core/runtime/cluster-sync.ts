// Sync one cluster into the store: probe it when needed, collect the requested kinds over its one
// connection, and write each collection as one snapshot. Accounting is incremental: it asks sacct only for
// the window since the last stored one (minus a small overlap), and fetches a long gap (first sync, a
// week offline) in day-sized windows, each committed on its own, so memory stays bounded and an
// interrupted backfill resumes where it stopped. Every window asks for the runs that ended in it
// (`sacct -s <ended states>`), so each run is fetched once, by its End (sacct's plain window test misses
// jobs cancelled before they became eligible); a first sync adds the runs active now, later syncs fetch by
// id the jobs the latest queue snapshot shows running whose run is not stored as started. Pending and
// unchanged running jobs are not fetched again (the queue snapshot has them), so a sync with nothing new
// runs one sacct call that returns no run.
import type { Capabilities } from '../../../shared/model/capabilities';
import type { ClusterConfig } from '../../../shared/model/cluster';
import type { SnapshotKind } from '../../../shared/model/snapshot';
import type { AccountingRequest } from '../collect/collectors';
import { runCycle } from '../collect/cycle';
import { probeCluster } from '../collect/probe';
import { connectionRemote, sessionRemote, type Remote } from '../collect/remote';
import { ScontrolSession } from '../collect/scontrol-session';
import { ShellSession } from '../collect/shell-session';
import { systemClock, type Clock } from '../ports';
import type { ClusterConnection } from '../ssh/connection';
import type { ConnectionPool } from '../ssh/pool';
import { ClustersRepo } from '../store/clusters-repo';
import type { Store } from '../store/db';
import { RunsRepo } from '../store/runs-repo';
import { SnapshotWriter } from '../store/snapshot-writer';
import { SnapshotsRepo, type StoredSnapshot } from '../store/snapshots-repo';

export interface SyncOptions {
  kinds: readonly SnapshotKind[];
  /** Re-run the capability probe even if one is stored (done anyway after a reconnect). */
  reprobe?: boolean;
  /** How far back the first accounting sync reaches, in days (default 30). */
  initialAccountingDays?: number;
  /** Called with a line of progress for long work (backfill windows). */
  progress?: (message: string) => void;
}

export interface SyncResult {
  cluster: string;
  snapshots: StoredSnapshot[];
  capabilities: Capabilities;
  /** Kinds that failed, with Slurm's message. */
  errors: { kind: SnapshotKind; message: string }[];
}

/** Overlap between consecutive accounting windows: covers clock skew and records slurmdbd wrote late. */
export const ACCOUNTING_OVERLAP_S = 300;
/** Longest window one sacct call asks for. */
export const ACCOUNTING_CHUNK_S = 86_400;

interface ClusterSessions {
  connection: ClusterConnection;
  scontrol: ScontrolSession;
  shell: ShellSession;
}

function closeBoth(sessions: ClusterSessions): void {
  sessions.scontrol.close();
  sessions.shell.close();
}

export class ClusterSync {
  private readonly clusters: ClustersRepo;
  private readonly runs: RunsRepo;
  private readonly writer: SnapshotWriter;
  private readonly snapshots: SnapshotsRepo;
  /** The connection generation each cluster was last probed on (a reconnect may mean an upgraded Slurm). */
  private readonly probedOnConnect = new Map<string, number>();
  /** The sync running per cluster: a "sync now" and a poller cycle of one cluster never overlap. */
  private readonly running = new Map<string, Promise<unknown>>();
  /** Per cluster: the long-lived sessions and the connection they run on. */
  private readonly sessions = new Map<string, ClusterSessions>();

  constructor(
    private readonly store: Store,
    private readonly pool: ConnectionPool,
    private readonly clock: Clock = systemClock,
  ) {
    this.clusters = new ClustersRepo(store.db);
    this.runs = new RunsRepo(store.db);
    this.writer = new SnapshotWriter(store);
    this.snapshots = new SnapshotsRepo(store.db);
    // A server that refused a channel allows fewer than we thought: give the sessions' channels back at
    // once, or the commands now sent on their own channels would wait for slots the sessions hold.
    pool.onState((status) => {
      if (status.state !== 'degraded' || status.reason !== 'channels-refused') return;
      const sessions = this.sessions.get(status.cluster);
      if (sessions) closeBoth(sessions);
    });
  }

  config(name: string): ClusterConfig {
    const stored = this.clusters.get(name);
    if (!stored) this.clusters.idOf(name); // throws the not-found error that lists known clusters
    return (stored as NonNullable<typeof stored>).config;
  }

  private remote(config: ClusterConfig): { remote: Remote; connects: () => number } {
    const connection = this.pool.get(config);
    const base = connectionRemote(config.name, (argv, options) => connection.exec(argv, options));
    return {
      // The sessions keep four channels (scontrol, three shells); below 6 allowed channels (the default)
      // they would starve the other commands (actions, utilization reads), so then every command gets
      // its own channel again.
      remote: sessionRemote(base, this.sessionsFor(config.name, connection), () => connection.status().channelLimit >= 6),
      connects: () => connection.stats().connects,
    };
  }

  /** The cluster's long-lived sessions on its current connection (a new connection, new sessions). */
  private sessionsFor(name: string, connection: ClusterConnection): ClusterSessions {
    const known = this.sessions.get(name);
    if (known && known.connection === connection) return known;
    if (known) closeBoth(known);
    const open = (argv: readonly string[], env: Record<string, string>) => connection.execStream(argv, { env });
    const options = { now: () => this.clock.now() };
    const sessions = { connection, scontrol: new ScontrolSession(open, options), shell: new ShellSession(open, options) };
    this.sessions.set(name, sessions);
    return sessions;
  }

  /** Close every session (their channels; the connections stay the pool's). */
  closeSessions(): void {
    for (const sessions of this.sessions.values()) closeBoth(sessions);
    this.sessions.clear();
  }

  /**
   * The stored capabilities, probed again when this process has not probed over the current connection
   * (first use, or after a reconnect: the cluster may have been upgraded meanwhile) or when forced.
   */
  async capabilities(config: ClusterConfig, force = false): Promise<Capabilities> {
    const { remote, connects } = this.remote(config);
    const id = this.clusters.idOf(config.name);
    const stored = this.clusters.capabilities(id);
    const current = connects();
    if (stored && !force && current > 0 && this.probedOnConnect.get(config.name) === current) return stored;
    const caps = await probeCluster(remote, config.user, () => this.clock.now());
    this.clusters.saveCapabilities(id, caps);
    this.probedOnConnect.set(config.name, connects());
    return caps;
  }

  /** Collect and store; waits for a sync of the same cluster that is still running. */
  sync(name: string, options: SyncOptions): Promise<SyncResult> {
    const previous = this.running.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.syncNow(name, options));
    this.running.set(name, next);
    const clear = () => {
      if (this.running.get(name) === next) this.running.delete(name);
    };
    next.then(clear, clear);
    return next;
  }

  private async syncNow(name: string, options: SyncOptions): Promise<SyncResult> {
    const config = this.config(name);
    const caps = await this.capabilities(config, options.reprobe === true);
    const { remote } = this.remote(config);
    const snapshots: StoredSnapshot[] = [];
    const errors: SyncResult['errors'] = [];
    const nowS = () => Math.floor(this.clock.now() / 1000);
    const kinds = [...new Set(options.kinds)];
    let accountingWindow: AccountingRequest | undefined;

    if (kinds.includes('accounting')) {
      const until = nowS();
      const id = this.clusters.idOf(name);
      const w = this.runs.watermark(id);
      // Runs are asked for by when they ended, each window once; a first sync (no watermark yet) also asks
      // for the runs active now, later syncs by id for the jobs the queue shows started and unseen.
      const first = w.windowUntil === null;
      let since = w.windowUntil === null ? until - (options.initialAccountingDays ?? 30) * 86_400 : Math.min(until, w.windowUntil - ACCOUNTING_OVERLAP_S);
      // Backfill a long gap window by window, each its own snapshot.
      while (until - since > ACCOUNTING_CHUNK_S) {
        const end = since + ACCOUNTING_CHUNK_S;
        options.progress?.(`${name}: accounting ${new Date(since * 1000).toISOString()} … ${new Date(end * 1000).toISOString()}`);
        const part = await runCycle(remote, caps, { kinds: ['accounting'], accountingWindow: { since, until: end } }, () => this.clock.now());
        if (part.errors?.length) {
          errors.push(...part.errors);
          // Stop the backfill at the first failed window: the next sync starts again from it.
          since = -1;
          break;
        }
        snapshots.push(this.writer.write(part));
        since = end - ACCOUNTING_OVERLAP_S;
      }
      if (since >= 0) {
        const queue = first ? undefined : this.snapshots.latest(id, 'queue');
        const jobs = queue ? this.runs.runningNotStored(id, queue.id) : [];
        accountingWindow = { since, until, ...(first ? { active: true } : {}), ...(jobs.length ? { jobs } : {}) };
      }
    }

    const cycleKinds = kinds.filter((k) => k !== 'accounting' || accountingWindow !== undefined);
    if (cycleKinds.length) {
      const collection = await runCycle(remote, caps, { kinds: cycleKinds, ...(accountingWindow ? { accountingWindow } : {}) }, () => this.clock.now());
      if (collection.errors?.length) errors.push(...collection.errors);
      const collectedSomething = cycleKinds.some((k) => (collection as unknown as Record<string, unknown>)[k] !== undefined);
      // A cycle where every kind failed is not a snapshot: the previous one stays the latest.
      if (collectedSomething) snapshots.push(this.writer.write(collection));
    }
    return { cluster: name, snapshots, capabilities: caps, errors };
  }
}
