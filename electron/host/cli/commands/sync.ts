// sync: collect from clusters into the cache, once or (--watch) on each cluster's schedule.
import type { SnapshotKind } from '../../../../shared/model/snapshot';
import { Poller } from '../../../core/runtime/poller';
import type { SyncResult } from '../../../core/runtime/cluster-sync';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import { SNAPSHOT_KINDS } from '../../../core/store/snapshots-repo';
import { EXIT, UsageError, intOption, stringList, type Command } from '../command';
import type { CliContext } from '../context';
import { printJson } from '../output';
import { cliServices } from '../services';

function summarize(result: SyncResult, ms: number): string {
  const kinds = [...new Set(result.snapshots.flatMap((s) => s.kinds))];
  const failed = result.errors.map((e) => `${e.kind}: ${e.message}`);
  const ids = result.snapshots.map((s) => s.id);
  return `${result.cluster}: ${ids.length ? `snapshot ${ids.length > 1 ? `${ids[0]}…${ids.at(-1)}` : ids[0]}` : 'no snapshot'} (${kinds.join(', ') || 'nothing'}) in ${(ms / 1000).toFixed(1)} s${failed.length ? `\n  failed: ${failed.join('\n  failed: ')}` : ''}`;
}

/** Evaluate alerts after a sync that stored nodes or queue; lines like `opened gpus-out-of-service: 8 GPUs …`. */
async function evaluateAlerts(services: ReturnType<typeof cliServices>, result: SyncResult): Promise<string[]> {
  if (!result.snapshots.some((s) => s.kinds.includes('nodes') || s.kinds.includes('queue'))) return [];
  try {
    const r = await services.alerts.evaluate(result.cluster);
    return r.events.map((e) => `${e.kind} ${e.rule}: ${e.state.title}`);
  } catch (err) {
    return [`evaluation failed: ${(err as Error).message}`];
  }
}

function clusterNames(ctx: CliContext, wanted: string[]): string[] {
  const repo = new ClustersRepo(ctx.store().db);
  if (wanted.length) {
    for (const n of wanted) repo.idOf(n); // not-found error names the known clusters
    return wanted;
  }
  const all = repo.list().filter((c) => c.config.enabled).map((c) => c.name);
  if (all.length === 0) throw new UsageError("no clusters configured: add one with 'clusterops clusters add'");
  return all;
}

export const syncCommand: Command = {
  path: ['sync'],
  summary: 'collect from clusters into the local cache (once, or --watch on each cluster\'s schedule)',
  usage: 'sync [--cluster NAME]... [--kinds K,...] [--accept-host-key SHA256:...]... [--watch]',
  details:
    `Kinds: ${SNAPSHOT_KINDS.join(', ')} (default: all).\n` +
    'Clusters are collected concurrently; one failing cluster does not stop the others.\n' +
    'An unknown host key is refused unless its fingerprint is given with --accept-host-key or accepted at the\n' +
    'terminal; a changed host key is always refused.',
  options: {
    cluster: { type: 'string', multiple: true, help: 'NAME: only this cluster (repeatable)' },
    kinds: { type: 'string', help: 'K,...: what to collect' },
    'accept-host-key': { type: 'string', multiple: true, help: 'FP: trust and pin a host key with this SHA256 fingerprint' },
    watch: { type: 'boolean', help: 'keep polling until interrupted' },
    'initial-days': { type: 'string', help: 'DAYS: how far back the first accounting sync reaches (default 30)' },
  },
  async run(ctx, args) {
    const kinds = (stringList(args, 'kinds').length ? stringList(args, 'kinds') : [...SNAPSHOT_KINDS]) as SnapshotKind[];
    for (const k of kinds) if (!SNAPSHOT_KINDS.includes(k)) throw new UsageError(`unknown kind ${JSON.stringify(k)} (known: ${SNAPSHOT_KINDS.join(', ')})`);
    const initialDays = intOption(args, 'initial-days', { min: 0, max: 3650 });
    const names = clusterNames(ctx, stringList(args, 'cluster'));
    const services = cliServices(ctx, { acceptHostKeys: stringList(args, 'accept-host-key') });
    try {
      if (args.values.watch) return await watch(ctx, services, names);
      const outcomes = await Promise.all(
        names.map(async (name) => {
          const started = Date.now();
          try {
            const result = await services.sync.sync(name, { kinds, ...(initialDays !== undefined ? { initialAccountingDays: initialDays } : {}), progress: (m) => ctx.progress(m) });
            const alerts = await evaluateAlerts(services, result);
            return { name, ok: result.errors.length === 0, result, ms: Date.now() - started, error: null as string | null, alerts };
          } catch (err) {
            return { name, ok: false, result: null, ms: Date.now() - started, error: (err as Error).message, alerts: [] as string[] };
          }
        }),
      );
      if (ctx.json) {
        printJson(
          ctx,
          outcomes.map((o) => ({
            cluster: o.name,
            ok: o.ok,
            error: o.error,
            snapshots: o.result?.snapshots.map((s) => ({ id: s.id, kinds: s.kinds, status: s.status })) ?? [],
            failedKinds: o.result?.errors ?? [],
            alertEvents: o.alerts,
            seconds: o.ms / 1000,
          })),
        );
      } else {
        for (const o of outcomes) {
          if (o.result) ctx.io.stdout(`${summarize(o.result, o.ms)}\n${o.alerts.map((a) => `  alert ${a}\n`).join('')}`);
          else ctx.io.stdout(`${o.name}: failed: ${o.error}\n`);
        }
      }
      const okCount = outcomes.filter((o) => o.ok).length;
      const anySnapshot = outcomes.some((o) => o.result && o.result.snapshots.length > 0);
      if (okCount === outcomes.length) return EXIT.ok;
      return anySnapshot ? EXIT.partial : EXIT.error;
    } finally {
      await services.close();
    }
  },
};

async function watch(ctx: CliContext, services: ReturnType<typeof cliServices>, names: string[]): Promise<0> {
  const repo = new ClustersRepo(ctx.store().db);
  const poller = new Poller(services.sync, {
    cycle: (r, ms) => {
      ctx.progress(`${new Date().toISOString()} ${summarize(r, ms)}`);
      void evaluateAlerts(services, r).then((events) => events.forEach((e) => ctx.progress(`${new Date().toISOString()} ${r.cluster}: alert ${e}`)));
    },
    failure: (name, err) => ctx.progress(`${new Date().toISOString()} ${name}: failed: ${err.message}`),
  });
  poller.start(names.map((n) => (repo.get(n) as NonNullable<ReturnType<typeof repo.get>>).config));
  ctx.progress(`watching ${names.join(', ')}; Ctrl+C stops`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await poller.stop();
  return EXIT.ok;
}
