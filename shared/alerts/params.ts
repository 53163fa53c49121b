// Rule thresholds: defaults an admin would pick, overridden globally, per cluster and per partition.
import { ALERT_RULES, type AlertRule, type AlertSettings, type RuleParams, type RuleParamsOverride } from './types';

export const DEFAULT_RULE_PARAMS: RuleParams = {
  enabled: Object.fromEntries(ALERT_RULES.map((r) => [r, true])) as Record<AlertRule, boolean>,
  strandedMinutes: 10,
  strandedMinGpus: 1,
  outOfServiceMinutes: 5,
  repeatOffenderCount: 3,
  repeatOffenderDays: 7,
  idleUtilPct: 5,
  idleMinutes: 30,
  underusedPct: 50,
  underusedWindowMinutes: 60,
  staleMinutes: 15,
  resolveAfterMinutes: 5,
  quietReopenMinutes: 60,
};

export const EMPTY_ALERT_SETTINGS: AlertSettings = { global: {}, clusters: {} };

function apply(base: RuleParams, o: RuleParamsOverride | undefined): RuleParams {
  if (!o) return base;
  const { enabled, ...rest } = o;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<RuleParams>;
  return { ...base, ...defined, enabled: { ...base.enabled, ...(enabled ?? {}) } as Record<AlertRule, boolean> };
}

/** The parameters in force for a cluster, or for one of its partitions. */
export function paramsFor(settings: AlertSettings, cluster: string, partition?: string | null): RuleParams {
  const c = settings.clusters[cluster];
  let p = apply(apply(DEFAULT_RULE_PARAMS, settings.global), c?.params);
  if (partition) p = apply(p, c?.partitions?.[partition]);
  return p;
}

/**
 * A node belongs to several partitions: the strictest setting among them wins (shortest duration, rule on if
 * any partition has it on), so an override on a partition is never weakened by another one the node is in.
 */
export function paramsForNode(settings: AlertSettings, cluster: string, partitions: readonly string[]): RuleParams {
  const base = paramsFor(settings, cluster);
  if (partitions.length === 0) return base;
  const all = partitions.map((p) => paramsFor(settings, cluster, p));
  const min = (k: 'outOfServiceMinutes' | 'strandedMinutes' | 'repeatOffenderCount' | 'repeatOffenderDays') => Math.min(...all.map((p) => p[k]));
  const enabled = Object.fromEntries(ALERT_RULES.map((r) => [r, all.some((p) => p.enabled[r])])) as Record<AlertRule, boolean>;
  return {
    ...base,
    enabled,
    outOfServiceMinutes: min('outOfServiceMinutes'),
    strandedMinutes: min('strandedMinutes'),
    repeatOffenderCount: min('repeatOffenderCount'),
    repeatOffenderDays: Math.max(...all.map((p) => p.repeatOffenderDays)),
  };
}

/** Checks an override: non-negative finite numbers, known keys, shares 0–100. Returns problems, empty when fine. */
export function validateOverride(o: RuleParamsOverride, where: string): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'enabled') {
      for (const [r, on] of Object.entries(v as Record<string, unknown>)) {
        if (!(ALERT_RULES as readonly string[]).includes(r)) problems.push(`${where}: unknown rule "${r}" (rules: ${ALERT_RULES.join(', ')})`);
        else if (typeof on !== 'boolean') problems.push(`${where}: enabled.${r} must be true or false`);
      }
      continue;
    }
    if (!(k in DEFAULT_RULE_PARAMS)) {
      problems.push(`${where}: unknown setting "${k}"`);
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`${where}: ${k} must be a number ≥ 0 (got ${JSON.stringify(v)})`);
    else if ((k === 'idleUtilPct' || k === 'underusedPct') && v > 100) problems.push(`${where}: ${k} is a percentage (0–100), got ${v}`);
    else if ((k === 'repeatOffenderCount' || k === 'strandedMinGpus') && !Number.isInteger(v)) problems.push(`${where}: ${k} must be a whole number`);
  }
  return problems;
}
