// alerts config: show or change alert thresholds, globally, per cluster or per partition.
//   clusterops alerts config                                   # the settings and the defaults
//   clusterops alerts config outOfServiceMinutes=0 resolveAfterMinutes=2
//   clusterops alerts config --cluster alpha --partition gpu idleUtilPct=10 enabled.partition-underused=false
//   clusterops alerts config --cluster alpha --reset           # drop alpha's overrides
import { DEFAULT_RULE_PARAMS, paramsFor } from '../../../../shared/alerts/params';
import { ALERT_RULES, type AlertRule, type AlertSettings, type RuleParamsOverride } from '../../../../shared/alerts/types';
import { readAlertSettings, saveAlertSettings } from '../../../core/alerts/alert-settings';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import { SettingsRepo } from '../../../core/store/settings-repo';
import { EXIT, UsageError, stringOption, type Command } from '../command';
import { printJson } from '../output';

function parseAssignment(text: string, into: RuleParamsOverride): void {
  const m = /^([A-Za-z.-]+)=(.*)$/.exec(text);
  if (!m) throw new UsageError(`expected KEY=VALUE, got ${JSON.stringify(text)}`);
  const [, key, raw] = m as unknown as [string, string, string];
  if (key.startsWith('enabled.')) {
    const rule = key.slice('enabled.'.length);
    if (!(ALERT_RULES as readonly string[]).includes(rule)) throw new UsageError(`unknown rule ${JSON.stringify(rule)} (rules: ${ALERT_RULES.join(', ')})`);
    if (raw !== 'true' && raw !== 'false') throw new UsageError(`${key} takes true or false`);
    into.enabled = { ...(into.enabled ?? {}), [rule as AlertRule]: raw === 'true' };
    return;
  }
  if (!(key in DEFAULT_RULE_PARAMS) || key === 'enabled') throw new UsageError(`unknown setting ${JSON.stringify(key)} (settings: ${Object.keys(DEFAULT_RULE_PARAMS).filter((k) => k !== 'enabled').join(', ')}, enabled.RULE)`);
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${key} takes a number, got ${JSON.stringify(raw)}`);
  (into as Record<string, unknown>)[key] = n;
}

export const alertsConfigCommand: Command = {
  path: ['alerts', 'config'],
  summary: 'show or change alert thresholds (global, per cluster, per partition)',
  usage: 'alerts config [--cluster NAME [--partition P]] [KEY=VALUE]... [--reset] [--json]',
  positionals: 'KEY=VALUE...',
  details:
    `Settings (defaults): ${Object.entries(DEFAULT_RULE_PARAMS)
      .filter(([k]) => k !== 'enabled')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ')}.\n` +
    `Turn a rule off with enabled.RULE=false (rules: ${ALERT_RULES.join(', ')}).\n` +
    'A partition setting applies to that partition\'s nodes and jobs; for a node in several partitions the\n' +
    'strictest applies. Durations are minutes, shares percent.',
  options: {
    cluster: { type: 'string', help: 'NAME: change or show this cluster' },
    partition: { type: 'string', help: 'P: change this partition of --cluster' },
    reset: { type: 'boolean', help: 'remove the overrides at this level' },
  },
  async run(ctx, args) {
    const store = ctx.store();
    const cluster = stringOption(args, 'cluster');
    const partition = stringOption(args, 'partition');
    if (partition !== undefined && cluster === undefined) throw new UsageError('--partition needs --cluster');
    if (cluster !== undefined) new ClustersRepo(store.db).idOf(cluster);
    const repo = new SettingsRepo(store.db);
    const current: AlertSettings = structuredClone(readAlertSettings(repo));
    const assignments = args.positionals;
    if (assignments.length > 0 || args.values.reset) {
      let target: RuleParamsOverride;
      if (cluster === undefined) target = current.global;
      else {
        const c = (current.clusters[cluster] ??= {});
        if (partition === undefined) target = c.params ??= {};
        else target = (c.partitions ??= {})[partition] ??= {};
      }
      if (args.values.reset) for (const k of Object.keys(target)) delete (target as Record<string, unknown>)[k];
      for (const a of assignments) parseAssignment(a, target);
      saveAlertSettings(repo, current, Math.floor(Date.now() / 1000));
    }
    const effective = paramsFor(current, cluster ?? '', partition);
    if (ctx.json) printJson(ctx, { settings: current, effective });
    else {
      const where = cluster === undefined ? 'global' : partition === undefined ? `cluster ${cluster}` : `cluster ${cluster}, partition ${partition}`;
      ctx.io.stdout(`In force (${where}):\n`);
      for (const [k, v] of Object.entries(effective)) {
        if (k === 'enabled') ctx.io.stdout(`  enabled: ${Object.entries(v as Record<string, boolean>).map(([r, on]) => `${r}=${on}`).join(', ')}\n`);
        else ctx.io.stdout(`  ${k}=${String(v)}${(DEFAULT_RULE_PARAMS as unknown as Record<string, unknown>)[k] === v ? '' : ' (changed)'}\n`);
      }
    }
    return EXIT.ok;
  },
};
