// "Test" and "sync now" for one cluster. A test connects and probes: a saved, unchanged configuration goes
// through the pool (its one connection; the probe result is stored and shown), an edited or new one
// through a throwaway connection that is closed afterwards and stores nothing. Either way the answer is
// what was found or the exact error, with the stage it happened at. Unknown host keys reach the page
// through the host-key broker, as during polling.
import { ApiError } from '../../../shared/api/errors';
import type { SyncNowResult, TestResult } from '../../../shared/api/methods/clusters';
import type { ClusterConfig } from '../../../shared/model/cluster';
import { describeErrors, validateClusterConfig } from '../../../shared/clusters/config-validation';
import { probeCluster } from '../collect/probe';
import { CommandFailed, connectionRemote } from '../collect/remote';
import { ClusterConnection } from '../ssh/connection';
import { SshError } from '../ssh/errors';
import { ClustersRepo } from '../store/clusters-repo';
import { SNAPSHOT_KINDS } from '../store/snapshots-repo';
import { probeSummary } from './clusters';
import type { CoreContext } from './context';

function noConnections(): ApiError {
  return new ApiError('bad-request', 'this console keeps no connections (example data or a snapshot file): it cannot test or sync clusters');
}

/** Key order does not make two configurations different. */
export function sameConfig(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)).map(([k, x]) => [k, canon(x)])) : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

function failure(stage: 'connect' | 'probe', err: unknown, ms: number): TestResult {
  if (err instanceof SshError) return { ok: false, ms, stage, reason: err.reason, message: err.message };
  if (err instanceof CommandFailed) return { ok: false, ms, stage, reason: 'command-failed', message: err.message };
  const e = err as Error & { kind?: string };
  return { ok: false, ms, stage, reason: e.kind ?? e.name ?? 'error', message: e.message ?? String(err) };
}

export async function clusterTest(ctx: CoreContext, input: unknown): Promise<TestResult> {
  const { live, pool, sync } = ctx;
  if (!live || !pool || !sync) throw noConnections();
  const v = validateClusterConfig(input);
  if (!v.ok) throw new ApiError('bad-request', describeErrors(v.errors));
  const config = v.config as ClusterConfig;
  const started = ctx.clock.now();
  const ms = () => ctx.clock.now() - started;
  const stored = new ClustersRepo(ctx.store.db).get(config.name);

  if (stored && sameConfig(stored.config, config)) {
    const connection = pool.get(stored.config);
    try {
      await connection.connect(); // also leaves an offline state (a rejected key, a wrong password) to try again
    } catch (err) {
      return failure('connect', err, ms());
    }
    try {
      const probe = probeSummary(await sync.capabilities(stored.config, true));
      return { ok: true, ms: ms(), probe };
    } catch (err) {
      return failure('probe', err, ms());
    }
  }

  const connection = new ClusterConnection(config, { ...live.connectionOptions, autoReconnect: false });
  try {
    try {
      await connection.connect();
    } catch (err) {
      return failure('connect', err, ms());
    }
    try {
      const remote = connectionRemote(config.name, (argv, options) => connection.exec(argv, options));
      const probe = probeSummary(await probeCluster(remote, config.user, () => ctx.clock.now()));
      return { ok: true, ms: ms(), probe };
    } catch (err) {
      return failure('probe', err, ms());
    }
  } finally {
    await connection.close(1_000);
  }
}

/** Collect everything now (accounting incrementally), as one poll cycle of every schedule would. */
export async function clusterSyncNow(ctx: CoreContext, name: string): Promise<SyncNowResult> {
  const { pool, sync } = ctx;
  if (!pool || !sync) throw noConnections();
  const started = ctx.clock.now();
  const config = sync.config(name);
  // An explicit request retries at once, even from a permanent failure (the user may have fixed it).
  await pool.get(config).connect().catch(() => undefined);
  let result;
  try {
    result = await sync.sync(name, { kinds: SNAPSHOT_KINDS });
  } catch (err) {
    throw new ApiError('unavailable', `sync ${name}: ${(err as Error).message}`);
  }
  for (const s of result.snapshots) ctx.emit('snapshot', { cluster: s.cluster, snapshotId: s.id, finishedAt: s.finishedAt, kinds: s.kinds });
  const last = result.snapshots.at(-1);
  return {
    cluster: name,
    ms: ctx.clock.now() - started,
    snapshots: result.snapshots.length,
    lastSyncAt: last?.finishedAt ?? null,
    errors: result.errors,
  };
}
