// Alert thresholds as stored in the settings table (key `alerts`): global, per cluster, per partition.
// What is read back is checked again: a row written by another version must not break evaluation.
import { EMPTY_ALERT_SETTINGS, validateOverride } from '../../../shared/alerts/params';
import type { AlertSettings, RuleParamsOverride } from '../../../shared/alerts/types';
import { StoreError } from '../store/errors';
import type { SettingsRepo } from '../store/settings-repo';

const KEY = 'alerts';

export function alertSettingsProblems(s: AlertSettings): string[] {
  const problems = validateOverride(s.global, 'global');
  for (const [cluster, c] of Object.entries(s.clusters)) {
    if (c.params) problems.push(...validateOverride(c.params, `cluster ${cluster}`));
    for (const [p, o] of Object.entries(c.partitions ?? {})) problems.push(...validateOverride(o, `cluster ${cluster} partition ${p}`));
  }
  return problems;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function readAlertSettings(settings: SettingsRepo): AlertSettings {
  const stored = settings.get(KEY);
  if (!isObject(stored) || !isObject(stored.global) || !isObject(stored.clusters)) return EMPTY_ALERT_SETTINGS;
  const candidate = stored as unknown as AlertSettings;
  // An invalid stored row (older version, hand edit) falls back to defaults rather than half-applying.
  return alertSettingsProblems(candidate).length ? EMPTY_ALERT_SETTINGS : candidate;
}

export function saveAlertSettings(settings: SettingsRepo, next: AlertSettings, now: number): AlertSettings {
  const problems = alertSettingsProblems(next);
  if (problems.length) throw new StoreError('bad-value', `alert settings refused: ${problems.join('; ')}`);
  settings.set(KEY, next, now);
  return next;
}

export type { RuleParamsOverride };
