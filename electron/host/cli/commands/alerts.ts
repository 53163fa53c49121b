// alerts: the active alerts of every cluster from the cache (offline too), their history, acknowledge /
// snooze, and an exit code for scripts (`--fail-on open`). Stale data is checked first, so a cron job sees
// a "data stale" alert for a cluster that stopped answering instead of its last good state.
import { ALERT_RULES, type AlertRule } from '../../../../shared/alerts/types';
import { AlertEngine } from '../../../core/alerts/engine';
import { AlertsRepo, type StoredAlert } from '../../../core/store/alerts-repo';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import { EXIT, UsageError, intOption, stringList, stringOption, type Command } from '../command';
import { age, formatTable, printJson } from '../output';
import { parseTimeArg } from '../time-args';
import os from 'node:os';

/** Exit code when --fail-on matches: distinct from errors (1) and partial failures (2). */
const EXIT_ALERTS = EXIT.alerts;

const FAIL_ON = ['open', 'active', 'critical'] as const;

function localUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

export const alertsCommand: Command = {
  path: ['alerts'],
  summary: 'active alerts per cluster (GPUs out of service, stranded GPUs, idle allocations, stale data)',
  usage: 'alerts [--cluster NAME]... [--rule R] [--resolved | --all | --history] [--ack ID] [--snooze ID --until TIME] [--fail-on open|active|critical] [--json]',
  details:
    `Rules: ${ALERT_RULES.join(', ')}.\n` +
    'open: not yet acknowledged; active: open or acknowledged (snoozed alerts are hidden until their time).\n' +
    `--fail-on exits with ${EXIT_ALERTS} when such alerts exist (0 otherwise), for scripts and monitoring.\n` +
    'Reads the cache only; run `clusterops sync` (or keep the console running) to evaluate new data.\n' +
    'Examples:  clusterops alerts --fail-on critical      clusterops alerts --snooze 12 --until +2h',
  options: {
    cluster: { type: 'string', multiple: true, help: 'NAME: only this cluster' },
    rule: { type: 'string', help: 'R: only this rule' },
    resolved: { type: 'boolean', help: 'list resolved alerts instead' },
    all: { type: 'boolean', help: 'list active and resolved alerts' },
    history: { type: 'boolean', help: 'list alert events (opened, acknowledged, resolved, …), newest first' },
    limit: { type: 'string', help: 'N: at most N rows (default 200)' },
    ack: { type: 'string', help: 'ID: acknowledge this alert' },
    snooze: { type: 'string', help: 'ID: snooze this alert (with --until)' },
    until: { type: 'string', help: 'TIME: end of the snooze (ISO time, or +30m / +2h / +1d)' },
    'fail-on': { type: 'string', help: `WHAT: exit ${EXIT_ALERTS} if alerts of this kind exist (${FAIL_ON.join(', ')})` },
  },
  async run(ctx, args) {
    const store = ctx.store();
    const clusters = stringList(args, 'cluster');
    const known = new ClustersRepo(store.db);
    for (const c of clusters) known.idOf(c);
    const rule = stringOption(args, 'rule');
    if (rule !== undefined && !(ALERT_RULES as readonly string[]).includes(rule)) throw new UsageError(`unknown rule ${JSON.stringify(rule)} (rules: ${ALERT_RULES.join(', ')})`);
    const failOn = stringOption(args, 'fail-on');
    if (failOn !== undefined && !(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on takes ${FAIL_ON.join(', ')}`);
    const limit = intOption(args, 'limit', { min: 1, max: 100_000 }) ?? 200;
    const engine = new AlertEngine(store);
    const repo = new AlertsRepo(store.db);
    const now = Math.floor(Date.now() / 1000);

    const ackId = intOption(args, 'ack', { min: 1, max: Number.MAX_SAFE_INTEGER });
    const snoozeId = intOption(args, 'snooze', { min: 1, max: Number.MAX_SAFE_INTEGER });
    if (ackId !== undefined || snoozeId !== undefined) {
      let changed: StoredAlert;
      if (ackId !== undefined) changed = engine.acknowledge(ackId, localUser());
      else {
        const untilText = stringOption(args, 'until');
        if (untilText === undefined) throw new UsageError('--snooze needs --until TIME');
        const until = untilText.startsWith('+') ? now + relative(untilText) : parseTimeArg(untilText, now, 'until');
        changed = engine.snooze(snoozeId as number, until, localUser());
      }
      if (ctx.json) printJson(ctx, changed);
      else ctx.io.stdout(`alert ${changed.id} is ${changed.status}${changed.snoozedUntil ? ` until ${new Date(changed.snoozedUntil * 1000).toISOString()}` : ''}: ${changed.title}\n`);
      return EXIT.ok;
    }

    await engine.checkStale();
    if (args.values.history) {
      const events = (clusters.length ? clusters : [undefined]).flatMap((c) => repo.events({ cluster: c, limit }));
      events.sort((a, b) => b.at - a.at || b.id - a.id);
      if (ctx.json) printJson(ctx, events.slice(0, limit));
      else
        ctx.io.stdout(
          formatTable(
            ['WHEN', 'ALERT', 'CLUSTER', 'EVENT', 'BY', 'TITLE'],
            events.slice(0, limit).map((e) => [new Date(e.at * 1000).toISOString().replace('.000Z', 'Z'), e.alertId, e.cluster, e.kind, e.by, e.title]),
          ),
        );
      return EXIT.ok;
    }
    const scope = args.values.all ? 'all' : args.values.resolved ? 'resolved' : 'active';
    const alerts = (clusters.length ? clusters : [undefined]).flatMap((c) => repo.list({ scope, cluster: c, rule: rule as AlertRule | undefined, limit }));
    const unavailable = repo.ruleStatus().filter((r) => !r.available && (clusters.length === 0 || clusters.includes(r.cluster)));
    if (ctx.json) printJson(ctx, { alerts, unavailableRules: unavailable });
    else if (alerts.length === 0) ctx.io.stdout(`No ${scope === 'active' ? 'active' : scope} alerts.\n`);
    else
      ctx.io.stdout(
        formatTable(
          ['ID', 'CLUSTER', 'SEVERITY', 'STATUS', 'RULE', 'SINCE', 'TITLE'],
          alerts.map((a) => [a.id, a.cluster, a.severity, a.status === 'snoozed' && a.snoozedUntil ? `snoozed ${age(a.snoozedUntil, now).replace(' ago', '')}` : a.status, a.rule, age(now, a.since), a.title]),
        ),
      );
    if (!ctx.json) for (const r of unavailable) ctx.io.stdout(`${r.cluster}: rule ${r.rule} unavailable: ${r.reason ?? 'no reason recorded'}\n`);
    if (failOn !== undefined) {
      const active = repo.list({ scope: 'active', limit: 100_000 }).filter((a) => (clusters.length === 0 || clusters.includes(a.cluster)) && (rule === undefined || a.rule === rule));
      const hit = active.some((a) => (failOn === 'open' ? a.status === 'open' : failOn === 'active' ? a.status !== 'snoozed' : a.status !== 'snoozed' && a.severity === 'critical'));
      if (hit) return EXIT.alerts;
    }
    return EXIT.ok;
  },
};

/** `+30m`, `+2h`, `+1d` → seconds. */
function relative(text: string): number {
  const m = /^\+(\d+)(m|h|d)$/.exec(text);
  if (!m) throw new UsageError(`--until: use an ISO time or +N m/h/d (got ${JSON.stringify(text)})`);
  return Number(m[1]) * { m: 60, h: 3600, d: 86400 }[m[2] as 'm' | 'h' | 'd'];
}
