// Alerts: what the rules look at, what they find, and what the lifecycle keeps. Rules are pure functions
// (snapshot in, findings out); the lifecycle (lifecycle.ts) turns findings over time into alerts that open,
// get acknowledged or snoozed, and resolve with hysteresis. Storage and scheduling live in electron/core/alerts.
import type { QueuedJob } from '../model/job';
import type { SlurmNode } from '../model/node';
import type { Partition } from '../model/partition';

export const ALERT_RULES = ['gpus-out-of-service', 'repeat-offender', 'stranded-gpus', 'allocated-idle', 'partition-underused', 'data-stale'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export type Severity = 'info' | 'warning' | 'critical';

/** Where GPU utilization came from, for the allocated-but-idle rule. */
export const UTIL_SOURCES = ['nvidia-smi', 'slurm-gpuutil', 'prometheus-dcgm'] as const;
export type UtilSource = (typeof UTIL_SOURCES)[number];

/** One GPU's utilization as a source measured it. */
export interface GpuUtilSample {
  node: string;
  /** The GPU's index on the node as Slurm numbers it (`IDX:`), null when the source cannot tell. */
  gpuIndex: number | null;
  /** 0–100. */
  utilPct: number;
  memUsedMiB: number | null;
  memTotalMiB: number | null;
}

/** A running job's GPUs and how busy they were, after mapping samples to jobs (node + GPU index). */
export interface JobGpuUtil {
  jobId: string;
  /** GPUs of the job that had a sample. */
  gpusMeasured: number;
  /** Mean utilization over those GPUs, 0–100. */
  meanPct: number;
  /** The busiest of them, 0–100. */
  maxPct: number;
  perGpu: { node: string; gpuIndex: number | null; utilPct: number }[];
}

/** What one utilization source produced for a cluster at one time, or why none could be used. */
export type UtilizationReading =
  | { available: true; source: UtilSource; at: number; jobs: JobGpuUtil[]; /** problems on some nodes, the rest still counts */ warnings: string[] }
  | { available: false; /** every source tried and why it could not serve this cluster */ reasons: { source: UtilSource; reason: string }[] };

/** Thresholds of every rule. Durations in minutes, shares in percent. */
export interface RuleParams {
  enabled: Record<AlertRule, boolean>;
  /** Stranded GPUs: free GPUs on nodes that can take work while GPU jobs pend, for at least this long. */
  strandedMinutes: number;
  /** … and at least this many free GPUs in the partition. */
  strandedMinGpus: number;
  /** GPUs out of service (drained, draining, down, failing, not responding) for at least this long. */
  outOfServiceMinutes: number;
  /** Repeat offender: a node out of service this many times … */
  repeatOffenderCount: number;
  /** … within this many days. */
  repeatOffenderDays: number;
  /** Allocated but idle: a job's GPUs at or below this utilization … */
  idleUtilPct: number;
  /** … for at least this long. */
  idleMinutes: number;
  /** Partition underused: allocated GPU share below this … */
  underusedPct: number;
  /** … averaged over this window, while GPU jobs wait in other partitions. */
  underusedWindowMinutes: number;
  /** Data stale: no successful queue + nodes collection for this long. */
  staleMinutes: number;
  /** Hysteresis: a condition must be gone this long before its alert resolves. */
  resolveAfterMinutes: number;
  /** An alert that comes back within this long after resolving re-opens without notifying again. */
  quietReopenMinutes: number;
}

/** Any subset of the parameters (enabled flags per rule too), as settings store overrides. */
export type RuleParamsOverride = Partial<Omit<RuleParams, 'enabled'>> & { enabled?: Partial<Record<AlertRule, boolean>> };

/** Global defaults, then per cluster, then per partition of that cluster. */
export interface AlertSettings {
  global: RuleParamsOverride;
  clusters: Record<string, { params?: RuleParamsOverride; partitions?: Record<string, RuleParamsOverride> }>;
}

/** Everything the rules read for one cluster at one evaluation. */
export interface AlertInput {
  cluster: string;
  /** Epoch seconds of the evaluation (the snapshot's time, not the wall clock). */
  at: number;
  nodes: readonly SlurmNode[];
  /** null when no partitions snapshot exists yet: partition membership then comes from the nodes. */
  partitions: readonly Partition[] | null;
  jobs: readonly QueuedJob[];
  /** Per node: how many times it went out of service within `repeatOffenderDays`, with when. */
  outOfServiceHistory: Record<string, { episodes: number; lastStarted: number | null }>;
  /** Per partition: GPU-seconds allocated and available over the underused window (from node samples). */
  partitionWindow: Record<string, { allocGpuSeconds: number; totalGpuSeconds: number; coveredSeconds: number }>;
  utilization: UtilizationReading | null;
}

/** What a rule finds true now, keyed by (rule, subject): the lifecycle decides whether it becomes an alert. */
export interface Finding {
  rule: AlertRule;
  /** Stable within the rule: `node:gpu-a100-01`, `reason:xid 79`, `partition:gpu`, `job:1234`, `cluster`. */
  subject: string;
  severity: Severity;
  title: string;
  /** One or two plain sentences: how many GPUs, where, why, since when. */
  body: string;
  /** The condition must hold this long (seconds) before the alert opens (the rule's N minutes). */
  holdSeconds: number;
  /** When the condition started, if the data says (a drain's reason time); else first seen by the lifecycle. */
  since: number | null;
  /** Structured detail for the view: GPUs, GPU-hours lost, jobs that could use them, the source used, … */
  detail: Record<string, unknown>;
  /** Where the view can jump to. */
  links: { nodes: string[]; jobs: string[]; partition: string | null };
}

export type AlertStatus = 'pending' | 'open' | 'acknowledged' | 'snoozed' | 'resolved';

/** One alert per (cluster, rule, subject), updated in place; `pending` means seen but not yet held long enough. */
export interface AlertState {
  cluster: string;
  rule: AlertRule;
  subject: string;
  status: AlertStatus;
  severity: Severity;
  title: string;
  body: string;
  detail: Record<string, unknown>;
  links: Finding['links'];
  /** When the current occurrence's condition started. */
  since: number;
  /** When it last opened (null while pending for the first time). */
  openedAt: number | null;
  /** Last evaluation that saw the condition. */
  lastSeen: number;
  /** First evaluation that no longer saw it (null while seen): hysteresis counts from here. */
  clearSince: number | null;
  resolvedAt: number | null;
  /** How many times it opened. */
  occurrences: number;
  ackBy: string | null;
  ackAt: number | null;
  snoozedUntil: number | null;
  /** When the user was last notified (desktop notification), to keep flapping alerts quiet. */
  notifiedAt: number | null;
}

export type AlertEventKind = 'opened' | 'reopened' | 'updated' | 'resolved' | 'acknowledged' | 'snoozed' | 'unsnoozed';

export interface AlertEvent {
  kind: AlertEventKind;
  at: number;
  cluster: string;
  rule: AlertRule;
  subject: string;
  /** The state after the event. */
  state: AlertState;
  /** Whether the user should get a notification for this event. */
  notify: boolean;
  /** Who caused it: `rules` for evaluations, the user for ack / snooze. */
  by: string;
}

export function alertKey(a: Pick<AlertState, 'cluster' | 'rule' | 'subject'>): string {
  return `${a.cluster}\u0000${a.rule}\u0000${a.subject}`;
}
