// What the Alerts view computes from the core's answers, kept pure so it can be tested without a page:
// rule names for people, the filters, status and age texts, snooze times, and the rule's detail read
// defensively (the detail is free-form JSON from the core: a shape it does not know is shown raw, never
// dropped).
import { z } from 'zod';
import type { AlertEventView, AlertView } from '../../../../shared/api/methods/alerts';
import type { AlertRule, Severity } from '../../../../shared/alerts/types';

export const RULE_TITLES: Record<AlertRule, string> = {
  'gpus-out-of-service': 'GPUs out of service',
  'repeat-offender': 'Repeat offender',
  'stranded-gpus': 'Stranded GPUs',
  'allocated-idle': 'Allocated but idle',
  'partition-underused': 'Partition underused',
  'data-stale': 'Data stale',
};

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

export function ruleTitle(rule: string): string {
  return (RULE_TITLES as Record<string, string>)[rule] ?? rule;
}

/** Status choices of the Open tab ('' = any active). */
export const ACTIVE_STATUSES = ['open', 'acknowledged', 'snoozed'] as const;

export interface AlertFilter {
  cluster: string | null;
  rule: string | null;
  severity: string | null;
  status: string | null;
  text: string;
}

export const NO_FILTER: AlertFilter = { cluster: null, rule: null, severity: null, status: null, text: '' };

/** Every word of the text must occur in the alert's cluster, rule, title, body, subject or linked nodes / jobs. */
function textMatches(words: string[], haystack: string): boolean {
  return words.every((w) => haystack.includes(w));
}

function words(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

export function filterAlerts(alerts: readonly AlertView[], f: AlertFilter): AlertView[] {
  const w = words(f.text);
  return alerts.filter(
    (a) =>
      (!f.cluster || a.cluster === f.cluster) &&
      (!f.rule || a.rule === f.rule) &&
      (!f.severity || a.severity === f.severity) &&
      (!f.status || a.status === f.status) &&
      (w.length === 0 ||
        textMatches(w, [a.cluster, a.rule, ruleTitle(a.rule), a.title, a.body, a.subject, ...a.links.nodes, ...a.links.jobs, a.links.partition ?? ''].join('\n').toLowerCase())),
  );
}

/** Events of the history tab: the status filter names an event kind there. */
export function filterEvents(events: readonly AlertEventView[], f: AlertFilter): AlertEventView[] {
  const w = words(f.text);
  return events.filter(
    (e) =>
      (!f.cluster || e.cluster === f.cluster) &&
      (!f.rule || e.rule === f.rule) &&
      (!f.severity || e.severity === f.severity) &&
      (!f.status || e.kind === f.status) &&
      (w.length === 0 || textMatches(w, [e.cluster, e.rule, ruleTitle(e.rule), e.title, e.body, e.subject, e.by].join('\n').toLowerCase())),
  );
}

/** The Open tab's two lists: what needs attention (open, acknowledged), and what was snoozed. */
export function splitActive(alerts: readonly AlertView[]): { attention: AlertView[]; snoozed: AlertView[] } {
  return { attention: alerts.filter((a) => a.status === 'open' || a.status === 'acknowledged'), snoozed: alerts.filter((a) => a.status === 'snoozed') };
}

/** "just now", "4 min ago", "3 h ago", "2 d ago"; a future time reads "in 55 min". */
export function agoText(nowSec: number, thenSec: number): string {
  const d = nowSec - thenSec;
  const s = Math.abs(d);
  const span = s < 60 ? null : s < 90 * 60 ? `${Math.round(s / 60)} min` : s < 36 * 3600 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} d`;
  if (span === null) return d >= 0 ? 'just now' : 'in under a minute';
  return d >= 0 ? `${span} ago` : `in ${span}`;
}

export const SNOOZE_PRESETS = [
  { label: '1 h', seconds: 3600 },
  { label: '4 h', seconds: 4 * 3600 },
  { label: '1 day', seconds: 86400 },
] as const;

/**
 * A time chosen in a `datetime-local` input ("2026-11-26T16:30", the user's zone) as epoch seconds, or why
 * it cannot be a snooze end.
 */
export function parseSnoozeUntil(value: string, nowSec: number): { until: number } | { error: string } {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return { error: 'choose a date and time' };
  const ms = new Date(value).getTime();
  if (!Number.isFinite(ms)) return { error: 'choose a date and time' };
  const until = Math.floor(ms / 1000);
  if (until <= nowSec) return { error: 'choose a time in the future' };
  return { until };
}

/** The value a `datetime-local` input shows for an epoch second, in the user's zone. */
export function toLocalInput(epochSec: number): string {
  const d = new Date(epochSec * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Why acknowledging / snoozing is not offered here, or null when it is. */
export function readOnlyReason(source: string | null): string | null {
  if (source === 'example') return 'This console shows the bundled example data (read-only): alerts cannot be acknowledged or snoozed here.';
  if (source === 'file') return 'This console shows a snapshot file (read-only): alerts cannot be acknowledged or snoozed here.';
  return null;
}

/** Whether a user action applies to an alert in this status (mirrors the core's lifecycle). */
export function canAcknowledge(a: Pick<AlertView, 'status' | 'ackBy'>): boolean {
  return a.status === 'open' || (a.status === 'snoozed' && a.ackBy === null);
}
export function canSnooze(a: Pick<AlertView, 'status'>): boolean {
  return a.status === 'open' || a.status === 'acknowledged' || a.status === 'snoozed';
}

// ---- the rule's detail ----------------------------------------------------------------------------------

const num = z.number();
const str = z.string();
const optNum = num.nullable().optional();
const optStr = str.nullable().optional();

const OutOfServiceDetail = z.object({
  gpus: num,
  gpuHoursLost: num,
  lossIsLowerBound: z.boolean().optional(),
  reason: optStr,
  nodes: z.array(
    z.object({ node: str, state: str, gpus: num, gpusTotal: num, reason: optStr, reasonUser: optStr, reasonTime: optNum, partitions: z.array(str).optional() }),
  ),
});

const StrandedDetail = z.object({
  gpus: num,
  partitionGpus: num.optional(),
  cause: str,
  fragmentation: z.boolean().optional(),
  largestBlock: num.optional(),
  nodes: z.array(z.object({ node: str, free: num, cpus: optNum, memMiB: optNum })),
  jobs: z.array(
    z.object({ jobId: str, user: str, account: optStr, gpus: num, gpusPerNode: num, nodes: num, types: z.array(str).nullable().optional(), priority: optNum, reason: optStr, verdict: str }),
  ),
  waiting: num.optional(),
});

const IdleDetail = z.object({
  source: str,
  measuredAt: optNum,
  gpus: num.optional(),
  gpusMeasured: num.optional(),
  idleGpus: num.optional(),
  meanPct: num,
  maxPct: num,
  perGpu: z.array(z.object({ node: str, gpuIndex: num.nullable(), utilPct: num })),
  user: optStr,
  account: optStr,
});

const UnderusedDetail = z.object({
  sharePct: num,
  gpus: num.optional(),
  windowMinutes: num.optional(),
  waitingJobs: num.optional(),
  waitingGpus: num.optional(),
  waitingIn: z.array(str).optional(),
});

const StaleDetail = z.object({
  lastCollectedAt: num.nullable(),
  ageSeconds: optNum,
  connection: z.object({ state: str, message: str.nullable() }).nullable().optional(),
});

const RepeatDetail = z.object({ episodes: num, lastStarted: optNum, days: num.optional(), gpus: num.optional() });

export type RuleDetail =
  | { kind: 'gpus-out-of-service'; d: z.infer<typeof OutOfServiceDetail> }
  | { kind: 'stranded-gpus'; d: z.infer<typeof StrandedDetail> }
  | { kind: 'allocated-idle'; d: z.infer<typeof IdleDetail> }
  | { kind: 'partition-underused'; d: z.infer<typeof UnderusedDetail> }
  | { kind: 'data-stale'; d: z.infer<typeof StaleDetail> }
  | { kind: 'repeat-offender'; d: z.infer<typeof RepeatDetail> }
  | { kind: 'raw'; d: Record<string, unknown> };

const SCHEMAS = {
  'gpus-out-of-service': OutOfServiceDetail,
  'stranded-gpus': StrandedDetail,
  'allocated-idle': IdleDetail,
  'partition-underused': UnderusedDetail,
  'data-stale': StaleDetail,
  'repeat-offender': RepeatDetail,
} as const;

export function readDetail(rule: string, detail: Record<string, unknown>): RuleDetail {
  const schema = (SCHEMAS as Record<string, z.ZodType>)[rule];
  if (!schema) return { kind: 'raw', d: detail };
  const parsed = schema.safeParse(detail);
  return parsed.success ? ({ kind: rule, d: parsed.data } as RuleDetail) : { kind: 'raw', d: detail };
}

/** Why a waiting job did not start on the free GPUs, from the stranded rule's fit verdict. */
export function verdictText(verdict: string, job: { gpus: number; gpusPerNode: number; nodes: number }): string {
  switch (verdict) {
    case 'fits':
      return 'fits on the free GPUs now: the scheduler holds it back (priority order, limits or backfill)';
    case 'cpu-or-memory':
      return 'the nodes with free GPUs lack the free CPUs or memory it asks for';
    case 'gpus-per-node':
      return `fragmentation: needs ${job.gpusPerNode} GPU${job.gpusPerNode === 1 ? '' : 's'} on each of ${job.nodes} node${job.nodes === 1 ? '' : 's'}, no node has that many free`;
    case 'too-few-gpus':
      return `needs ${job.gpus} GPU${job.gpus === 1 ? '' : 's'}: fewer are free`;
    default:
      return verdict;
  }
}

export const CAUSE_TEXT: Record<string, string> = {
  fits: 'a waiting job fits now; the scheduler is holding it back',
  'cpu-or-memory': 'nodes with free GPUs have too few free CPUs or too little memory',
  fragmentation: "fragmentation: free GPUs are spread so no waiting job's per-node request fits",
  'too-few': 'fewer GPUs are free than any waiting job needs',
};

/** Idle GPUs per node from the allocated-idle rule's per-GPU samples: how many at or below `idlePct`, and each GPU. */
export function idleByNode(perGpu: readonly { node: string; gpuIndex: number | null; utilPct: number }[], idlePct: number): { node: string; idle: number; measured: number; gpus: { gpuIndex: number | null; utilPct: number }[] }[] {
  const by = new Map<string, { node: string; idle: number; measured: number; gpus: { gpuIndex: number | null; utilPct: number }[] }>();
  for (const g of perGpu) {
    const n = by.get(g.node) ?? { node: g.node, idle: 0, measured: 0, gpus: [] };
    n.measured++;
    if (g.utilPct <= idlePct) n.idle++;
    n.gpus.push({ gpuIndex: g.gpuIndex, utilPct: g.utilPct });
    by.set(g.node, n);
  }
  for (const n of by.values()) n.gpus.sort((a, b) => (a.gpuIndex ?? 1e9) - (b.gpuIndex ?? 1e9));
  return [...by.values()].sort((a, b) => a.node.localeCompare(b.node, 'en', { numeric: true }));
}

/** What a browser notification of an alert says. */
export function noticeText(n: { cluster: string; title: string; body: string; severity: string }): { title: string; body: string } {
  return { title: `${n.severity === 'critical' ? '⚠ ' : ''}${n.cluster}: ${n.title}`, body: n.body };
}
