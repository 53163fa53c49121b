// export usage / export snapshot: files for finance and for people without cluster access. Made for cron:
// no prompts (an unknown host key with --sync-first fails unless --accept-host-key names it), the output
// file appears only when complete, and the exit code says what happened: 0 written, 2 written but
// something was not right (a --sync-first cluster failed, or the reconciliation found unexplained
// differences or could not ask sreport), 1 nothing written.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UsageDimension } from '../../../../shared/usage/usage-accumulator';
import { localDayStart } from '../../../../shared/usage/periods';
import { parseSlurmTime } from '../../../../shared/slurm/parse/time';
import { exportSnapshot } from '../../../core/export/snapshot-export';
import { reconcileWithSreport } from '../../../core/export/sreport-reconcile';
import { USAGE_FORMATS, exportUsage } from '../../../core/export/usage-export';
import type { UsageFormat } from '../../../core/export/manifest';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import { EXIT, UsageError, stringList, stringOption, type Command, type ExitCode } from '../command';
import type { CliContext } from '../context';
import { printJson } from '../output';
import { cliServices } from '../services';
import { parseTimeArg } from '../time-args';

const DIMENSION_NAMES: Record<string, UsageDimension> = { cluster: 'cluster', account: 'account', user: 'user', partition: 'partition', qos: 'qos', 'gpu-type': 'gpuType', gputype: 'gpuType', gpu_type: 'gpuType', day: 'day', week: 'week', month: 'month' };

/**
 * Window bounds: a date (`2026-11-01`) is local midnight in the export zone, a local time without offset
 * (`2026-11-01T08:00`) is wall time in that zone; anything else as the other commands read it.
 */
export function windowTime(text: string, timeZone: string, now: number, option: string): number {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return localDayStart(t, timeZone);
  const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/.exec(t);
  if (local) {
    try {
      return parseSlurmTime(`${local[1]}T${local[2]}${local[3] ?? ':00'}`, timeZone) as number;
    } catch {
      throw new UsageError(`--${option} ${JSON.stringify(text)} is not a valid time`);
    }
  }
  return parseTimeArg(text, now, option);
}

function parseGroupBy(text: string | undefined): UsageDimension[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((raw) => {
    const d = DIMENSION_NAMES[raw.trim().toLowerCase()];
    if (!d) throw new UsageError(`--group-by: unknown grouping ${JSON.stringify(raw)} (one of cluster, account, user, partition, qos, gpu-type, day, week, month)`);
    return d;
  });
}

function formatOf(text: string | undefined, out: string): UsageFormat {
  const f = (text ?? path.extname(out).slice(1)).toLowerCase();
  if (!(USAGE_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${USAGE_FORMATS.join(', ')}${text === undefined ? ' (or give --out a file name ending in one)' : ''}`);
  return f as UsageFormat;
}

function zoneOf(ctx: CliContext, text: string | undefined, clusters: string[]): string {
  if (text !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: text });
    } catch {
      throw new UsageError(`--tz ${JSON.stringify(text)} is not an IANA time zone (e.g. Europe/Berlin, UTC)`);
    }
    return text;
  }
  // Default: the clusters' zone when they agree, else UTC (said on stderr).
  const repo = new ClustersRepo(ctx.store().db);
  const zones = new Set((clusters.length ? clusters : repo.list().map((c) => c.name)).map((n) => repo.timeZone(repo.idOf(n))));
  if (zones.size === 1) return [...zones][0] as string;
  ctx.progress(`clusters are in different zones (${[...zones].join(', ')}); using UTC (give --tz to choose)`);
  return 'UTC';
}

async function syncFirst(ctx: CliContext, names: string[], acceptHostKeys: string[]): Promise<boolean> {
  const repo = new ClustersRepo(ctx.store().db);
  const targets = names.length ? names : repo.list().filter((c) => c.config.enabled).map((c) => c.name);
  const services = cliServices(ctx, { acceptHostKeys });
  let ok = true;
  try {
    for (const name of targets) {
      try {
        const r = await services.sync.sync(name, { kinds: ['accounting', 'partitions', 'fairshare'], progress: (m) => ctx.progress(m) });
        if (r.errors.length) {
          ok = false;
          ctx.progress(`${name}: sync incomplete: ${r.errors.map((e) => `${e.kind}: ${e.message}`).join('; ')}`);
        }
      } catch (err) {
        ok = false;
        ctx.progress(`${name}: sync failed, exporting from the cache: ${(err as Error).message}`);
      }
    }
  } finally {
    await services.close();
  }
  return ok;
}

export const exportUsageCommand: Command = {
  path: ['export', 'usage'],
  summary: 'write GPU/billing/CPU usage for a window as CSV, XLSX, Parquet or JSON, with a manifest',
  usage: 'export usage --from TIME --to TIME --out FILE [--cluster N]... [--tz ZONE] [--group-by account,user] [--format csv|xlsx|parquet|json] [--sync-first] [--reconcile]',
  details:
    'TIME: a date (local midnight in --tz), a local time 2026-11-01T08:00, an ISO time with offset, epoch seconds, or 7d.\n' +
    'The window is [from, to); runs crossing it or a day/week/month boundary are split pro rata (rules in the manifest).\n' +
    'Groupings: cluster, account, user, partition, qos, gpu-type, and one of day, week, month. With account, rows with\n' +
    'scope "tree" roll each account up the sshare tree (--no-roll-up to leave them out).\n' +
    'The manifest is written beside the file as FILE.manifest.json (with its SHA-256). --reconcile also asks each\n' +
    "cluster's sreport (AccountUtilizationByUser, gres/gpu and billing) and writes FILE.reconcile.json.\n" +
    'Exit codes: 0 written; 2 written, but a --sync-first or --reconcile step failed or found unexplained differences; 1 nothing written.',
  options: {
    cluster: { type: 'string', multiple: true, help: 'NAME: only this cluster (repeatable; default all)' },
    from: { type: 'string', help: 'TIME: window start (inclusive)' },
    to: { type: 'string', help: 'TIME: window end (exclusive)' },
    tz: { type: 'string', help: "ZONE: IANA time zone of the window and periods (default: the clusters' zone)" },
    'group-by': { type: 'string', help: 'DIMS: comma-separated groupings (default account,user)' },
    format: { type: 'string', help: 'FMT: csv, xlsx, parquet or json (default: from --out)' },
    out: { type: 'string', help: 'FILE: where to write (must not exist unless --force)' },
    force: { type: 'boolean', help: 'overwrite FILE' },
    'no-roll-up': { type: 'boolean', help: 'no account-tree roll-up rows' },
    'sync-first': { type: 'boolean', help: 'collect accounting, partitions and fairshare before exporting' },
    'accept-host-key': { type: 'string', multiple: true, help: 'FP: with --sync-first, trust this SHA256 host key' },
    reconcile: { type: 'boolean', help: "compare with each cluster's sreport (needs SSH)" },
  },
  async run(ctx, args) {
    const out = stringOption(args, 'out');
    if (!out) throw new UsageError('--out FILE is required');
    const fromText = stringOption(args, 'from');
    const toText = stringOption(args, 'to');
    if (!fromText || !toText) throw new UsageError('--from and --to are required');
    const format = formatOf(stringOption(args, 'format'), out);
    const groupText = stringOption(args, 'group-by');
    const groupBy = groupText === undefined ? (['account', 'user'] as UsageDimension[]) : parseGroupBy(groupText);
    const clusters = stringList(args, 'cluster');
    const repo = new ClustersRepo(ctx.store().db);
    for (const n of clusters) repo.idOf(n);
    const timeZone = zoneOf(ctx, stringOption(args, 'tz'), clusters);
    const now = Math.floor(Date.now() / 1000);
    const from = windowTime(fromText, timeZone, now, 'from');
    const to = windowTime(toText, timeZone, now, 'to');
    if (to <= from) throw new UsageError('--to must be after --from');
    const target = path.resolve(out);
    if (!args.values.force && existsSync(target)) throw new UsageError(`${target} exists (give --force to overwrite)`);
    let status: ExitCode = EXIT.ok;
    if (args.values['sync-first'] && !(await syncFirst(ctx, clusters, stringList(args, 'accept-host-key')))) status = EXIT.partial;
    const started = Date.now();
    const { manifest, manifestFile } = await exportUsage(ctx.store().db, {
      clusters, from, to, timeZone, groupBy, format, out: target, accountRollUp: !args.values['no-roll-up'], now, onProgress: (n) => ctx.progress(`${n} runs read`),
    });
    let reconciliation: Awaited<ReturnType<typeof reconcileWithSreport>> | null = null;
    if (args.values.reconcile) {
      const services = cliServices(ctx, { acceptHostKeys: stringList(args, 'accept-host-key') });
      try {
        reconciliation = await reconcileWithSreport(ctx.store().db, clusters, from, to, (name, argv) => {
          const c = repo.get(name);
          if (!c) throw new Error(`no cluster ${name}`);
          return services.pool.get(c.config).exec(argv, { timeoutMs: 120_000 });
        }, now);
      } finally {
        await services.close();
      }
      writeFileSync(`${target}.reconcile.json`, `${JSON.stringify(reconciliation, null, 2)}\n`);
      if (reconciliation.some((r) => r.error !== null || r.lines.some((l) => l.reason === 'unexplained'))) status = EXIT.partial;
    }
    if (ctx.json) {
      printJson(ctx, { out: target, manifest: manifestFile, rows: manifest.dataFile.rows, sha256: manifest.dataFile.sha256, totals: manifest.totals, reconciliation });
    } else {
      const t = manifest.totals;
      ctx.io.stdout(`${target}: ${manifest.dataFile.rows} rows (${format}), ${t.gpuHours.toFixed(2)} GPU-hours, ${t.billingHours.toFixed(2)} billing-hours, ${t.runs} runs of ${t.jobs} jobs${t.runningRuns ? `, ${t.runningRuns} still running` : ''}, in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      ctx.io.stdout(`manifest: ${manifestFile} (sha256 ${manifest.dataFile.sha256})\n`);
      for (const r of reconciliation ?? []) {
        if (r.error) ctx.io.stdout(`${r.cluster}: sreport failed: ${r.error}\n`);
        else {
          const diffs = r.lines.filter((l) => l.status === 'differs');
          ctx.io.stdout(`${r.cluster}: sreport ${diffs.length === 0 ? 'agrees' : `differs on ${diffs.length} of ${r.lines.length} lines`}\n`);
          for (const l of diffs) ctx.io.stdout(`  ${l.account}${l.user ? `/${l.user}` : ' (subtree)'} ${l.tres}: ours ${l.ours.toFixed(1)}, sreport ${l.sreport} (minutes): ${l.reason}: ${l.explanation}\n`);
        }
      }
    }
    return status;
  },
};

export const exportSnapshotCommand: Command = {
  path: ['export', 'snapshot'],
  summary: 'write a consistent read-only SQLite snapshot of chosen clusters and time range',
  usage: 'export snapshot --out FILE [--cluster N]... [--from TIME] [--to TIME]',
  details:
    'Uses SQLite\'s online backup (safe while a sync runs), then keeps only the chosen clusters and range and\n' +
    'rebuilds the file so nothing else remains in it. Open it with: clusterops-console --snapshot FILE (read-only).',
  options: {
    out: { type: 'string', help: 'FILE: the snapshot to write (must not exist)' },
    cluster: { type: 'string', multiple: true, help: 'NAME: only this cluster (repeatable; default all)' },
    from: { type: 'string', help: 'TIME: keep data from here' },
    to: { type: 'string', help: 'TIME: keep data up to here' },
  },
  async run(ctx, args) {
    const out = stringOption(args, 'out');
    if (!out) throw new UsageError('--out FILE is required');
    const now = Math.floor(Date.now() / 1000);
    const fromText = stringOption(args, 'from');
    const toText = stringOption(args, 'to');
    const report = await exportSnapshot(ctx.store().db, out, {
      clusters: stringList(args, 'cluster'),
      ...(fromText !== undefined ? { from: parseTimeArg(fromText, now, 'from') } : {}),
      ...(toText !== undefined ? { to: parseTimeArg(toText, now, 'to') } : {}),
    });
    if (ctx.json) printJson(ctx, report);
    else ctx.io.stdout(`${report.out}: ${(report.bytes / 1048576).toFixed(1)} MiB, clusters ${report.clusters.join(', ')}; ${Object.entries(report.rows).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
    return EXIT.ok;
  },
};

