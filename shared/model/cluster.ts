// A cluster as the user configured it: how to reach it and how often to ask it.

export type ClusterAuth =
  | { kind: 'agent'; socket?: string }
  | { kind: 'key'; identityFile: string; /** the passphrase lives in the SecretStore, never here */ hasPassphrase: boolean }
  | { kind: 'password' /* the password lives in the SecretStore */ };

export interface JumpHost {
  host: string;
  port: number;
  user: string;
  identityFile: string | null;
}

export interface PollIntervals {
  /** Seconds between queue + nodes collections (default 60). */
  queue: number;
  /** Seconds between accounting syncs (default 300). */
  accounting: number;
  /** Seconds between fairshare / priority collections (default 900). */
  fairshare: number;
}

export const DEFAULT_POLL: PollIntervals = { queue: 60, accounting: 300, fairshare: 900 };

export interface ClusterConfig {
  name: string;
  host: string;
  port: number;
  user: string;
  auth: ClusterAuth;
  /** ProxyJump hops, in order (first hop first). */
  jump: JumpHost[];
  /** Extra known_hosts files to trust besides ~/.ssh/known_hosts and the app's pinned keys. */
  knownHostsFiles: string[];
  poll: PollIntervals;
  enabled: boolean;
  /** Where GPU utilization comes from, for the allocated-but-idle alert. Absent in configs stored before it. */
  utilization?: UtilizationConfig;
}

/**
 * GPU utilization sources of a cluster (electron/core/alerts/utilization tries Prometheus, then nvidia-smi,
 * then Slurm's gres/gpuutil). Every field is optional; absent means the default named on it.
 */
export interface UtilizationConfig {
  /** nvidia-smi on the compute nodes; absent = not used. */
  nvidiaSmi?: {
    /** `srun`: a step in each of your own running GPU jobs (no root needed); `ssh`: ssh from the login host to each node (admins). */
    via: 'srun' | 'ssh';
    /** nvidia-smi's path on the nodes (default `nvidia-smi`, found on the PATH). */
    path?: string;
    /** Jobs (srun) or nodes (ssh) at once (default 8). */
    parallel?: number;
    /** Seconds per job or node (default 20). */
    timeoutSec?: number;
  };
  /** Slurm's gres/gpuutil from sstat, where AccountingStorageTRES records it (default on). */
  slurmGpuUtil?: boolean;
  /** A Prometheus server with dcgm-exporter metrics, reached from the login host through SSH port forwarding. */
  prometheus?: { url: string };
}

/** Cluster names are used in file names, CLI arguments and SQL: a safe alphabet only. */
export const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
