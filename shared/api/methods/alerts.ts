// Alerts: the open ones and their history, acknowledging and snoozing, which rules can run on each cluster,
// and the thresholds (global, per cluster, per partition).
import { z } from 'zod';
import { ALERT_RULES } from '../../alerts/types';
import { ClusterName } from './common';

export const AlertRuleName = z.enum(ALERT_RULES);
export const AlertSeverity = z.enum(['info', 'warning', 'critical']);
export const AlertStatusName = z.enum(['pending', 'open', 'acknowledged', 'snoozed', 'resolved']);

export const AlertView = z.object({
  id: z.number(),
  cluster: z.string(),
  rule: AlertRuleName,
  subject: z.string(),
  status: AlertStatusName,
  severity: AlertSeverity,
  title: z.string(),
  body: z.string(),
  detail: z.record(z.string(), z.unknown()),
  links: z.object({ nodes: z.array(z.string()), jobs: z.array(z.string()), partition: z.string().nullable() }),
  /** Epoch seconds. */
  since: z.number(),
  openedAt: z.number().nullable(),
  lastSeen: z.number(),
  resolvedAt: z.number().nullable(),
  occurrences: z.number(),
  ackBy: z.string().nullable(),
  ackAt: z.number().nullable(),
  snoozedUntil: z.number().nullable(),
});
export type AlertView = z.infer<typeof AlertView>;

export const AlertEventView = z.object({
  id: z.number(),
  alertId: z.number(),
  at: z.number(),
  kind: z.enum(['opened', 'reopened', 'updated', 'resolved', 'acknowledged', 'snoozed', 'unsnoozed']),
  by: z.string(),
  severity: AlertSeverity,
  title: z.string(),
  body: z.string(),
  snoozedUntil: z.number().nullable(),
  cluster: z.string(),
  rule: AlertRuleName,
  subject: z.string(),
});
export type AlertEventView = z.infer<typeof AlertEventView>;

export const RuleAvailability = z.object({
  cluster: z.string(),
  rule: AlertRuleName,
  available: z.boolean(),
  reason: z.string().nullable(),
  /** The utilization source the allocated-but-idle rule used. */
  source: z.string().nullable(),
  /** When this was last determined (epoch seconds). */
  at: z.number(),
});

export const AlertList = z.object({
  alerts: z.array(AlertView),
  rules: z.array(RuleAvailability),
  /** Per cluster: when its nodes + queue data were collected (null: never), so the view says how old they are. */
  dataAt: z.record(z.string(), z.number().nullable()),
  totals: z.object({ open: z.number(), acknowledged: z.number(), snoozed: z.number(), critical: z.number() }),
});
export type AlertList = z.infer<typeof AlertList>;

const Override = z
  .object({
    enabled: z.partialRecord(AlertRuleName, z.boolean()).optional(),
    strandedMinutes: z.number().min(0).optional(),
    strandedMinGpus: z.number().int().min(0).optional(),
    outOfServiceMinutes: z.number().min(0).optional(),
    repeatOffenderCount: z.number().int().min(0).optional(),
    repeatOffenderDays: z.number().min(0).optional(),
    idleUtilPct: z.number().min(0).max(100).optional(),
    idleMinutes: z.number().min(0).optional(),
    underusedPct: z.number().min(0).max(100).optional(),
    underusedWindowMinutes: z.number().min(0).optional(),
    staleMinutes: z.number().min(0).optional(),
    resolveAfterMinutes: z.number().min(0).optional(),
    quietReopenMinutes: z.number().min(0).optional(),
  })
  .strict();

export const AlertSettingsSchema = z.object({
  global: Override,
  clusters: z.record(ClusterName, z.object({ params: Override.optional(), partitions: z.record(z.string().min(1).max(128), Override).optional() }).strict()),
});

export const alertsMethods = {
  'alerts.list': {
    request: z
      .object({
        scope: z.enum(['active', 'resolved', 'all']).default('active'),
        cluster: ClusterName.optional(),
        rule: AlertRuleName.optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    response: AlertList,
  },
  'alerts.history': {
    request: z
      .object({
        alertId: z.number().int().positive().optional(),
        cluster: ClusterName.optional(),
        from: z.number().int().optional(),
        to: z.number().int().optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    response: z.object({ events: z.array(AlertEventView) }),
  },
  'alerts.acknowledge': { request: z.object({ id: z.number().int().positive() }).strict(), response: AlertView },
  'alerts.snooze': { request: z.object({ id: z.number().int().positive(), until: z.number().int().positive() }).strict(), response: AlertView },
  'alerts.settings': { request: z.object({}).strict(), response: AlertSettingsSchema },
  'alerts.saveSettings': { request: AlertSettingsSchema, response: AlertSettingsSchema },
} as const;
