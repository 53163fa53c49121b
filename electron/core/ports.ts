// The small interfaces the core depends on instead of Electron or the terminal. Each host (desktop shell,
// web host, CLI, tests) supplies its own implementations.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Secrets (SSH passwords, key passphrases) by name. The desktop shell backs it with safeStorage; an
 * implementation must refuse rather than write a secret to disk in plain text.
 */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  /**
   * Why secrets cannot be kept right now (no keyring, an insecure backend), or null when they can. Optional:
   * a store without it is taken as able. Lets a prompt turn "remember" off with the reason before asking.
   */
  unavailableReason?(): Promise<string | null>;
}

/** What the SSH layer asks the user for when the SecretStore has nothing (or held a wrong value). */
export type SecretRequest =
  | { kind: 'key-passphrase'; cluster: string; identityFile: string; retry: boolean }
  | { kind: 'password'; cluster: string; user: string; host: string; port: number; retry: boolean };

export interface SecretPrompt {
  /** null: the user declined. `remember`: keep it in the SecretStore (never in plain text). */
  ask(request: SecretRequest): Promise<{ value: string; remember: boolean } | null>;
}

/** A host presented a key that no known_hosts file and no pinned key knows. */
export interface HostKeyQuestion {
  cluster: string;
  host: string;
  port: number;
  /** The cluster's own login host, or hop N (0 = first) of its ProxyJump chain. */
  role: 'target' | { jump: number };
  keyType: string;
  /** OpenSSH-style "SHA256:..." fingerprint of the presented key. */
  fingerprint: string;
  /** Other key types already known for this host: the host gained a key type, it did not change one. */
  otherKeyTypes: string[];
}

/** accept-once trusts the key for this process only; accept-and-pin stores it with the app's pinned keys. */
export type HostKeyAnswer = 'accept-once' | 'accept-and-pin' | 'reject';

export interface HostKeyPrompt {
  ask(question: HostKeyQuestion): Promise<HostKeyAnswer>;
}

/** A new or re-opened alert the user should hear about (desktop notification, browser notification). */
export interface AlertNotice {
  /** The alert's id: clicking the notification opens it. */
  alertId: number;
  cluster: string;
  title: string;
  body: string;
  severity: 'info' | 'warning' | 'critical';
}

/**
 * Desktop notifications. The Electron shell shows them with Electron's Notification (a click focuses the
 * window and opens the alert); the web host forwards them as events and the page uses the browser's.
 */
export interface Notifier {
  notify(notice: AlertNotice): void;
}
