// The alert thresholds form's model: which level is edited (global, a cluster, a cluster's partition),
// the text fields, and turning them into the override that level stores. Empty field = inherit.
import type { AlertRule } from '../../../../shared/alerts/types';

export type NumericKey =
  | 'outOfServiceMinutes'
  | 'strandedMinutes'
  | 'strandedMinGpus'
  | 'idleUtilPct'
  | 'idleMinutes'
  | 'underusedPct'
  | 'underusedWindowMinutes'
  | 'repeatOffenderCount'
  | 'repeatOffenderDays'
  | 'staleMinutes'
  | 'resolveAfterMinutes'
  | 'quietReopenMinutes';

export const THRESHOLD_FIELDS: { key: NumericKey; label: string; unit: string }[] = [
  { key: 'outOfServiceMinutes', label: 'GPUs out of service after', unit: 'min' },
  { key: 'strandedMinutes', label: 'Stranded GPUs after', unit: 'min' },
  { key: 'strandedMinGpus', label: 'Stranded GPUs at least', unit: 'GPUs' },
  { key: 'idleUtilPct', label: 'Idle at or below', unit: '%' },
  { key: 'idleMinutes', label: 'Idle for at least', unit: 'min' },
  { key: 'underusedPct', label: 'Partition underused below', unit: '%' },
  { key: 'underusedWindowMinutes', label: 'Underused window', unit: 'min' },
  { key: 'repeatOffenderCount', label: 'Repeat offender: times', unit: '×' },
  { key: 'repeatOffenderDays', label: 'Repeat offender: within', unit: 'days' },
  { key: 'staleMinutes', label: 'Data stale after', unit: 'min' },
  { key: 'resolveAfterMinutes', label: 'Resolve after gone for', unit: 'min' },
  { key: 'quietReopenMinutes', label: 'No new notification within', unit: 'min' },
];

export interface Level {
  cluster: string | null;
  partition: string | null;
}

export interface Override {
  enabled?: Partial<Record<AlertRule, boolean>>;
  [key: string]: unknown;
}

export interface Settings {
  global: Override;
  clusters: Record<string, { params?: Override; partitions?: Record<string, Override> }>;
}

/** The override stored at a level (empty when none). */
export function overrideAt(s: Settings, level: Level): Override {
  if (level.cluster === null) return s.global;
  const c = s.clusters[level.cluster];
  if (!c) return {};
  return (level.partition ? c.partitions?.[level.partition] : c.params) ?? {};
}

/** Text per field: the level's own value, or empty (inherited). */
export function fieldsOf(o: Override): Record<NumericKey, string> {
  return Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f.key, typeof o[f.key] === 'number' ? String(o[f.key]) : ''])) as Record<NumericKey, string>;
}

/**
 * New settings with the level's override replaced by the fields (empty = removed) and rule switches
 * (undefined = inherit). Throws with the field's label for anything that is not a number ≥ 0.
 */
export function withLevel(s: Settings, level: Level, fields: Record<NumericKey, string>, enabled: Partial<Record<AlertRule, boolean>>): Settings {
  const o: Override = {};
  for (const f of THRESHOLD_FIELDS) {
    const t = fields[f.key].trim();
    if (t === '') continue;
    const n = Number(t);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${f.label}: "${t}" is not a number ≥ 0`);
    o[f.key] = n;
  }
  const switches = Object.fromEntries(Object.entries(enabled).filter(([, v]) => v !== undefined));
  if (Object.keys(switches).length) o.enabled = switches;
  const next: Settings = { global: { ...s.global }, clusters: structuredClone(s.clusters) };
  if (level.cluster === null) next.global = o;
  else {
    const c = (next.clusters[level.cluster] ??= {});
    if (level.partition) (c.partitions ??= {})[level.partition] = o;
    else c.params = o;
  }
  return next;
}
