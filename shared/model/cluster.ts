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
}

/** Cluster names are used in file names, CLI arguments and SQL: a safe alphabet only. */
export const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
