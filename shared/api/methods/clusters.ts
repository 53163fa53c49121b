// Clusters & settings: the configured clusters with their connection and probe results, add / edit /
// remove / test / sync one, import from an OpenSSH client config, host-key answers, retention.
import { z } from 'zod';
import { PROGRAM_PATH } from '../../alerts/util/nvidia-smi-script';
import { parsePrometheusUrl } from '../../alerts/util/prometheus';
import { ClusterName, ConnectionInfo } from './common';

/** A host name, IPv4 or IPv6 address as ssh takes it: no spaces, no shell or option characters. */
const Host = z
  .string()
  .min(1, 'a host is needed')
  .max(253, 'at most 253 characters')
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._:%-]*$/, 'a host name or address (letters, digits, . - : only)');
const Port = z.number({ error: 'a port number is needed' }).int('a whole number').min(1, 'from 1 to 65535').max(65535, 'from 1 to 65535');
/** POSIX user names as Slurm and sshd accept them (no @, no spaces). */
const User = z
  .string()
  .min(1, 'a user is needed')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/, 'a user name (letters, digits, _ . - only)');
/** Files on this machine: absolute, or under the home directory (~/...). */
const LocalPath = z
  .string()
  .min(1, 'a file path is needed')
  .max(4096)
  .refine((p) => p.startsWith('/') || p.startsWith('~/'), 'an absolute path or one starting with ~/');

export const ClusterAuthInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent'), socket: LocalPath.optional() }).strict(),
  z.object({ kind: z.literal('key'), identityFile: LocalPath, hasPassphrase: z.boolean() }).strict(),
  z.object({ kind: z.literal('password') }).strict(),
]);

export const JumpHostInput = z.object({ host: Host, port: Port, user: User, identityFile: LocalPath.nullable() }).strict();

/** Bounds keep a typo from hammering slurmctld (too short) or silently stopping collection (too long). */
export const PollInput = z
  .object({
    queue: z.number().int('whole seconds').min(15, 'at least 15 s').max(86_400, 'at most a day'),
    accounting: z.number().int('whole seconds').min(60, 'at least 60 s').max(86_400, 'at most a day'),
    fairshare: z.number().int('whole seconds').min(60, 'at least 60 s').max(86_400, 'at most a day'),
  })
  .strict();

/** GPU utilization sources (shared/model/cluster.ts UtilizationConfig); optional, absent in older configs. */
export const UtilizationInput = z
  .object({
    nvidiaSmi: z
      .object({
        via: z.enum(['srun', 'ssh'], { error: 'srun or ssh' }),
        path: z.string().regex(PROGRAM_PATH, 'a program name or path (letters, digits, _ . / + - only)').optional(),
        parallel: z.number().int('a whole number').min(1, 'from 1 to 64').max(64, 'from 1 to 64').optional(),
        timeoutSec: z.number().int('whole seconds').min(2, 'from 2 to 300 s').max(300, 'from 2 to 300 s').optional(),
      })
      .strict()
      .optional(),
    slurmGpuUtil: z.boolean().optional(),
    prometheus: z
      .object({
        url: z.string().max(2048).superRefine((url, ctx) => {
          const r = parsePrometheusUrl(url);
          if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
        }),
      })
      .strict()
      .optional(),
  })
  .strict();
export type UtilizationInput = z.infer<typeof UtilizationInput>;

export const ClusterConfigInput = z
  .object({
    name: ClusterName,
    host: Host,
    port: Port,
    user: User,
    auth: ClusterAuthInput,
    jump: z.array(JumpHostInput).max(8, 'at most 8 jump hosts'),
    knownHostsFiles: z.array(LocalPath).max(16),
    poll: PollInput,
    enabled: z.boolean(),
    utilization: UtilizationInput.optional(),
  })
  .strict();
export type ClusterConfigInput = z.infer<typeof ClusterConfigInput>;

/**
 * A configuration as stored or imported, validated loosely: one odd stored row (written by an older
 * version, or by the CLI) must not break the whole list. `problems` says what the strict form refuses.
 */
export const StoredClusterConfig = z.object({
  name: z.string(),
  host: z.string(),
  port: z.number(),
  user: z.string(),
  auth: z.union([
    z.object({ kind: z.literal('agent'), socket: z.string().optional() }),
    z.object({ kind: z.literal('key'), identityFile: z.string(), hasPassphrase: z.boolean() }),
    z.object({ kind: z.literal('password') }),
  ]),
  jump: z.array(z.object({ host: z.string(), port: z.number(), user: z.string(), identityFile: z.string().nullable() })),
  knownHostsFiles: z.array(z.string()),
  poll: z.object({ queue: z.number(), accounting: z.number(), fairshare: z.number() }),
  enabled: z.boolean(),
  /** Kept as stored (checked by the strict form, see `problems`). */
  utilization: z.record(z.string(), z.unknown()).optional(),
});
export type StoredClusterConfig = z.infer<typeof StoredClusterConfig>;

/** What the capability probe found, for people: version, rights, accounting, zone, warnings. */
export const ProbeSummary = z.object({
  slurmVersion: z.string(),
  clusterName: z.string().nullable(),
  user: z.string(),
  adminLevel: z.string(),
  coordinatorOf: z.array(z.string()),
  accounting: z.boolean(),
  accountingError: z.string().nullable(),
  timeZone: z.string(),
  privateData: z.array(z.string()),
  /** Commands that print --json, with their data_parser version. */
  json: z.record(z.string(), z.string().nullable()),
  warnings: z.array(z.string()),
  probedAt: z.number(),
});
export type ProbeSummary = z.infer<typeof ProbeSummary>;

export const ClusterEntry = z.object({
  config: StoredClusterConfig,
  /** Why the strict form would refuse this stored configuration (empty when it is fine). */
  problems: z.array(z.string()),
  connection: ConnectionInfo.nullable(),
  probe: ProbeSummary.nullable(),
  lastSyncAt: z.number().nullable(),
  snapshotCount: z.number(),
});
export type ClusterEntry = z.infer<typeof ClusterEntry>;

export const Retention = z
  .object({
    fullSnapshots: z.number().int().min(1).max(10_000),
    snapshotDays: z.number().int().min(1).max(3650),
    sampleDays: z.number().int().min(1).max(3650),
    runDays: z.number().int().min(1).max(36_500).nullable(),
  })
  .strict();
export type Retention = z.infer<typeof Retention>;

export const ClustersOverview = z.object({
  source: z.enum(['live', 'example', 'file']),
  /** Why nothing can be changed here (example data, a snapshot file), or null when it can. */
  readonlyReason: z.string().nullable(),
  dataPath: z.string(),
  /** Whether this core keeps connections (and so can test, sync and ask about host keys). */
  connected: z.boolean(),
  clusters: z.array(ClusterEntry),
  retention: Retention,
});
export type ClustersOverview = z.infer<typeof ClustersOverview>;

export const TestResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), ms: z.number(), probe: ProbeSummary }),
  z.object({
    ok: z.literal(false),
    ms: z.number(),
    stage: z.enum(['connect', 'probe']),
    /** The SSH layer's reason (auth-failed, host-key-changed, unreachable, …) or the command's failure. */
    reason: z.string(),
    message: z.string(),
  }),
]);
export type TestResult = z.infer<typeof TestResult>;

export const SyncNowResult = z.object({
  cluster: z.string(),
  ms: z.number(),
  snapshots: z.number(),
  lastSyncAt: z.number().nullable(),
  errors: z.array(z.object({ kind: z.string(), message: z.string() })),
});
export type SyncNowResult = z.infer<typeof SyncNowResult>;

export const ImportCandidate = z.object({
  alias: z.string(),
  config: StoredClusterConfig,
  problems: z.array(z.string()),
  warnings: z.array(z.string()),
  /** A cluster of this name is configured already (importing replaces its connection settings). */
  exists: z.boolean(),
});
export const SshImportPreview = z.object({
  path: z.string(),
  candidates: z.array(ImportCandidate),
  skipped: z.array(z.object({ alias: z.string(), reason: z.string() })),
});
export type SshImportPreview = z.infer<typeof SshImportPreview>;

export const HostKeyAnswerInput = z.enum(['accept-once', 'accept-and-pin', 'reject']);
export const HostKeyQuestionInfo = z.object({
  cluster: z.string(),
  host: z.string(),
  port: z.number(),
  role: z.union([z.literal('target'), z.object({ jump: z.number() })]),
  keyType: z.string(),
  fingerprint: z.string(),
  otherKeyTypes: z.array(z.string()),
});
export const HostKeyPromptInfo = z.object({ id: z.string(), question: HostKeyQuestionInfo, expiresAt: z.number() });
export type HostKeyPromptInfo = z.infer<typeof HostKeyPromptInfo>;

const SshConfigPath = z.string().min(1, 'a file path is needed').max(4096);

export const clustersMethods = {
  'clusters.list': { request: z.object({}).strict(), response: ClustersOverview },
  /** Add a cluster, or change one (the name identifies it: its history is stored under that name). */
  'clusters.save': { request: z.object({ config: ClusterConfigInput, isNew: z.boolean() }).strict(), response: ClusterEntry },
  'clusters.remove': { request: z.object({ name: ClusterName }).strict(), response: z.object({ removed: z.boolean() }) },
  /** Connect and probe with this configuration (saved or not) and say what was found or the exact error. */
  'clusters.test': { request: z.object({ config: ClusterConfigInput }).strict(), response: TestResult },
  'clusters.syncNow': { request: z.object({ name: ClusterName }).strict(), response: SyncNowResult },
  'clusters.importPreview': { request: z.object({ path: SshConfigPath }).strict(), response: SshImportPreview },
  'clusters.import': {
    request: z.object({ path: SshConfigPath, hosts: z.array(z.string().min(1)).min(1, 'choose at least one host') }).strict(),
    response: z.object({ imported: z.array(z.string()), skipped: z.array(z.object({ alias: z.string(), reason: z.string() })) }),
  },
  'hostKeys.pending': { request: z.object({}).strict(), response: z.array(HostKeyPromptInfo) },
  /** false: the question had already been answered or had timed out. */
  'hostKeys.answer': { request: z.object({ id: z.string().min(1).max(100), answer: HostKeyAnswerInput }).strict(), response: z.object({ accepted: z.boolean() }) },
  /** Save and apply at once: what the new limits pruned, by what (snapshots, spans, sampleRows, runs, …). */
  'settings.saveRetention': { request: Retention.partial().strict(), response: z.object({ retention: Retention, pruned: z.record(z.string(), z.number()) }) },
} as const;
