// Why an SSH connection could not be made or was lost, as one typed error. The reason decides what the
// connection does next (retry with backoff, or stay offline until the user fixes something) and what the
// console tells the user; the message says it in words an admin can act on.

export type SshFailureReason =
  /** The server refused every authentication method we offered (wrong user or wrong key/password). */
  | 'auth-failed'
  /** Auth is ssh-agent but there is no agent socket, or the agent holds no keys. */
  | 'agent-unavailable'
  /** The identity file is missing, unreadable, or not a private key ssh2 can use. */
  | 'key-unreadable'
  /** The key is encrypted and neither the SecretStore nor the prompt gave a passphrase. */
  | 'passphrase-required'
  | 'bad-passphrase'
  /** Password auth, and neither the SecretStore nor the prompt gave a password. */
  | 'password-required'
  /** A known host presented a different key of the same type: possible man-in-the-middle. */
  | 'host-key-changed'
  /** The key was unknown and the user (or the absence of a prompt) rejected it. */
  | 'host-key-unknown-rejected'
  /** The key is marked @revoked. */
  | 'host-key-revoked'
  /** A known_hosts file exists but cannot be read: refuse rather than miss a @revoked line. */
  | 'known-hosts-unreadable'
  /** DNS failure, connection refused, no route. */
  | 'unreachable'
  /** TCP connect, SSH handshake or keepalive timed out. */
  | 'timeout'
  /** The connection dropped (server closed it, reset, network gone). */
  | 'closed'
  /** A ProxyJump host refused to forward to the next hop (e.g. AllowTcpForwarding no). */
  | 'jump-refused'
  /** Key exchange / algorithm negotiation / protocol error. */
  | 'protocol'
  /** The server kept refusing exec channels even with none of ours open. */
  | 'channel-refused'
  /** The cluster configuration cannot be used as given. */
  | 'invalid-config'
  /** close() was called. */
  | 'closed-by-user';

/** Reasons a retry cannot fix: retrying them would only hammer the server (and may trip fail2ban). */
const PERMANENT: ReadonlySet<SshFailureReason> = new Set<SshFailureReason>([
  'auth-failed',
  'agent-unavailable',
  'key-unreadable',
  'passphrase-required',
  'bad-passphrase',
  'password-required',
  'host-key-changed',
  'host-key-unknown-rejected',
  'host-key-revoked',
  'known-hosts-unreadable',
  'invalid-config',
  'closed-by-user',
]);

export function isPermanent(reason: SshFailureReason): boolean {
  return PERMANENT.has(reason);
}

/** Which machine of the chain an error is about: the cluster's login host or a ProxyJump hop. */
export interface SshHop {
  host: string;
  port: number;
  user: string;
  role: 'target' | { jump: number };
}

export interface HostKeyDetails {
  presented: string;
  known: string[];
  sources: string[];
}

export class SshError extends Error {
  constructor(
    readonly reason: SshFailureReason,
    message: string,
    readonly hop: SshHop | null = null,
    readonly hostKey: HostKeyDetails | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SshError';
  }

  get permanent(): boolean {
    return isPermanent(this.reason);
  }
}

export function describeHop(hop: SshHop): string {
  const where = `${hop.user}@${hop.host}:${hop.port}`;
  return hop.role === 'target' ? where : `jump host ${hop.role.jump + 1} (${where})`;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Map an error ssh2 or the socket emitted to a reason. ssh2 tags its errors with `level`
 * (client-socket, client-timeout, client-authentication, client-dns, handshake, protocol) and socket errors
 * carry a Node `code`.
 */
export function classifySshError(err: unknown, hop: SshHop | null): SshError {
  if (err instanceof SshError) return err;
  const e = err as (Error & { level?: string; code?: string }) | undefined;
  const message = e?.message ?? String(err);
  const where = hop ? describeHop(hop) : 'the server';
  const wrap = (reason: SshFailureReason, text: string) => new SshError(reason, text, hop, null, { cause: err });
  if (e?.code && UNREACHABLE_CODES.has(e.code)) return wrap('unreachable', `cannot reach ${where}: ${message}`);
  if (e?.code && CLOSED_CODES.has(e.code)) return wrap('closed', `${where} closed the connection: ${message}`);
  if (e?.code === 'ETIMEDOUT') return wrap('timeout', `connecting to ${where} timed out: ${message}`);
  switch (e?.level) {
    case 'client-dns':
      return wrap('unreachable', `cannot resolve ${where}: ${message}`);
    case 'client-timeout':
      return wrap('timeout', /keepalive/i.test(message)
        ? `${where} stopped answering keepalives: ${message}`
        : `${where} did not complete the SSH handshake in time: ${message}`);
    case 'client-authentication':
      return wrap('auth-failed', `${where} refused authentication: ${message}`);
    case 'protocol':
    case 'handshake':
      if (/lost before handshake/i.test(message)) return wrap('closed', `${where} closed the connection before the SSH handshake: ${message}`);
      return wrap('protocol', `SSH handshake with ${where} failed: ${message}`);
  }
  return wrap('closed', `connection to ${where} failed: ${message}`);
}
