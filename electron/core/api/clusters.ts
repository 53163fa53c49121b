// Clusters & settings: list the configured clusters with their connection and what the probe found,
// add / change / remove one, and the retention settings. Testing, syncing and importing live next door
// (cluster-test.ts, ssh-import.ts). Example data and snapshot files are read-only: every change is refused
// with the reason the settings view also shows.
import type { ClusterEntry, ClustersOverview, ProbeSummary, Retention, StoredClusterConfig } from '../../../shared/api/methods/clusters';
import { ApiError } from '../../../shared/api/errors';
import type { Capabilities } from '../../../shared/model/capabilities';
import type { ClusterConfig } from '../../../shared/model/cluster';
import { describeErrors, validateClusterConfig } from '../../../shared/clusters/config-validation';
import { ClustersRepo, type StoredCluster } from '../store/clusters-repo';
import { StoreError } from '../store/errors';
import { pruneOld, readRetention, saveRetention } from '../store/retention';
import { SettingsRepo } from '../store/settings-repo';
import { connectionOf, nowSeconds, type CoreContext } from './context';

export function readonlyReason(ctx: CoreContext): string | null {
  if (ctx.source === 'example') {
    return 'This is the bundled example data, recorded from the project\'s test clusters: it cannot be changed. Add your own cluster from a terminal (clusterops clusters add NAME --host HOST) and start the console again.';
  }
  if (ctx.source === 'file') return `This is a snapshot file opened read-only (${ctx.store.path}): its clusters and settings cannot be changed.`;
  if (ctx.store.readonly) return `The data directory is open read-only (${ctx.store.path}).`;
  return null;
}

export function requireWritable(ctx: CoreContext): void {
  const why = readonlyReason(ctx);
  if (why) throw new ApiError('bad-request', why);
}

export function probeSummary(caps: Capabilities): ProbeSummary {
  return {
    slurmVersion: caps.slurmVersion,
    clusterName: caps.clusterName ?? null,
    user: caps.user,
    adminLevel: caps.adminLevel,
    coordinatorOf: caps.coordinatorOf,
    accounting: caps.accounting,
    accountingError: caps.accountingError,
    timeZone: caps.timeZone,
    privateData: caps.privateData,
    json: Object.fromEntries(Object.entries(caps.json).map(([k, v]) => [k, v ?? null])),
    warnings: caps.warnings ?? [],
    probedAt: caps.probedAt,
  };
}

export function configProblems(config: unknown): string[] {
  const v = validateClusterConfig(config);
  return v.ok ? [] : v.errors.map((e) => `${e.field}: ${e.message}`);
}

function entryOf(ctx: CoreContext, c: StoredCluster): ClusterEntry {
  const repo = new ClustersRepo(ctx.store.db);
  const caps = repo.capabilities(c.id);
  const snaps = ctx.store.db.prepare('SELECT count(*) AS n, max(finished_at) AS t FROM snapshots WHERE cluster_id = ?').get(c.id) as { n: number; t: number | null };
  return {
    config: c.config as StoredClusterConfig,
    problems: configProblems(c.config),
    connection: connectionOf(ctx, c.name),
    probe: caps ? probeSummary(caps) : null,
    lastSyncAt: snaps.t,
    snapshotCount: snaps.n,
  };
}

export function clustersList(ctx: CoreContext): ClustersOverview {
  return {
    source: ctx.source,
    readonlyReason: readonlyReason(ctx),
    dataPath: ctx.store.path,
    connected: ctx.live !== null,
    clusters: new ClustersRepo(ctx.store.db).list().map((c) => entryOf(ctx, c)),
    retention: readRetention(new SettingsRepo(ctx.store.db)),
  };
}

function changed(ctx: CoreContext, names: string[]): void {
  ctx.live?.clustersChanged();
  ctx.emit('clusters.changed', { names });
}

/** Add (isNew) or change a cluster. The name is its identity: its stored history hangs on it. */
export function clustersSave(ctx: CoreContext, input: { config: unknown; isNew: boolean }): ClusterEntry {
  requireWritable(ctx);
  const v = validateClusterConfig(input.config);
  if (!v.ok) throw new ApiError('bad-request', describeErrors(v.errors));
  const repo = new ClustersRepo(ctx.store.db);
  const existing = repo.get(v.config.name);
  if (input.isNew && existing) throw new ApiError('bad-request', `a cluster named ${v.config.name} exists already: edit it, or choose another name`);
  if (!input.isNew && !existing) throw new ApiError('bad-request', `no cluster named ${v.config.name} (it may have been removed meanwhile)`);
  // The settings form has no GPU utilization fields yet: a config saved without the key keeps the stored ones.
  const config = v.config as ClusterConfig;
  if (!Object.hasOwn(input.config as object, 'utilization') && existing?.config.utilization) config.utilization = existing.config.utilization;
  try {
    repo.save(config, nowSeconds(ctx));
  } catch (err) {
    if (err instanceof StoreError) throw new ApiError('bad-request', err.message);
    throw err;
  }
  changed(ctx, [v.config.name]);
  return entryOf(ctx, repo.get(v.config.name) as StoredCluster);
}

export async function clustersRemove(ctx: CoreContext, name: string): Promise<{ removed: boolean }> {
  requireWritable(ctx);
  await ctx.pool?.remove(name);
  const removed = new ClustersRepo(ctx.store.db).remove(name);
  if (removed) changed(ctx, [name]);
  return { removed };
}

/** Save the settings and prune by them now (nothing else prunes by age while the console runs). */
export function retentionSave(ctx: CoreContext, change: Partial<Retention>): { retention: Retention; pruned: Record<string, number> } {
  requireWritable(ctx);
  try {
    const retention = saveRetention(new SettingsRepo(ctx.store.db), change, nowSeconds(ctx));
    return { retention, pruned: { ...pruneOld(ctx.store.db, nowSeconds(ctx), retention) } };
  } catch (err) {
    if (err instanceof StoreError) throw new ApiError('bad-request', err.message);
    throw err;
  }
}
