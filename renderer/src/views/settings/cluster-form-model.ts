// The cluster form's state: every field as the user typed it (strings, so "22a" can be shown and
// refused rather than silently dropped), to and from a configuration. Validation is the shared one, so
// the form says exactly what the core would refuse.
import type { StoredClusterConfig } from '../../../../shared/api/methods/clusters';
import { validateClusterConfig, type ConfigValidation } from '../../../../shared/clusters/config-validation';

export interface JumpDraft {
  host: string;
  port: string;
  user: string;
  identityFile: string;
}

export interface ClusterDraft {
  name: string;
  host: string;
  port: string;
  user: string;
  authKind: 'agent' | 'key' | 'password';
  agentSocket: string;
  identityFile: string;
  hasPassphrase: boolean;
  jump: JumpDraft[];
  /** One file per line. */
  knownHostsFiles: string;
  pollQueue: string;
  pollAccounting: string;
  pollFairshare: string;
  enabled: boolean;
}

export const EMPTY_DRAFT: ClusterDraft = {
  name: '',
  host: '',
  port: '22',
  user: '',
  authKind: 'agent',
  agentSocket: '',
  identityFile: '~/.ssh/id_ed25519',
  hasPassphrase: false,
  jump: [],
  knownHostsFiles: '',
  pollQueue: '60',
  pollAccounting: '300',
  pollFairshare: '900',
  enabled: true,
};

export function draftOf(c: StoredClusterConfig): ClusterDraft {
  return {
    name: c.name,
    host: c.host,
    port: String(c.port),
    user: c.user,
    authKind: c.auth.kind,
    agentSocket: c.auth.kind === 'agent' ? (c.auth.socket ?? '') : '',
    identityFile: c.auth.kind === 'key' ? c.auth.identityFile : EMPTY_DRAFT.identityFile,
    hasPassphrase: c.auth.kind === 'key' && c.auth.hasPassphrase,
    jump: c.jump.map((j) => ({ host: j.host, port: String(j.port), user: j.user, identityFile: j.identityFile ?? '' })),
    knownHostsFiles: c.knownHostsFiles.join('\n'),
    pollQueue: String(c.poll.queue),
    pollAccounting: String(c.poll.accounting),
    pollFairshare: String(c.poll.fairshare),
    enabled: c.enabled,
  };
}

/** A number field: an empty or non-numeric entry becomes NaN so validation names the field. */
function num(s: string): number {
  return /^\s*\d+\s*$/.test(s) ? Number(s) : Number.NaN;
}

export function configOf(d: ClusterDraft): unknown {
  const auth =
    d.authKind === 'key'
      ? { kind: 'key', identityFile: d.identityFile.trim(), hasPassphrase: d.hasPassphrase }
      : d.authKind === 'password'
        ? { kind: 'password' }
        : d.agentSocket.trim()
          ? { kind: 'agent', socket: d.agentSocket.trim() }
          : { kind: 'agent' };
  return {
    name: d.name.trim(),
    host: d.host.trim(),
    port: num(d.port),
    user: d.user.trim(),
    auth,
    jump: d.jump.map((j) => ({ host: j.host.trim(), port: num(j.port), user: j.user.trim() || d.user.trim(), identityFile: j.identityFile.trim() || null })),
    knownHostsFiles: d.knownHostsFiles
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
    poll: { queue: num(d.pollQueue), accounting: num(d.pollAccounting), fairshare: num(d.pollFairshare) },
    enabled: d.enabled,
  };
}

export function validateDraft(d: ClusterDraft): ConfigValidation {
  return validateClusterConfig(configOf(d));
}

/** Errors by field for the form, e.g. { port: 'from 1 to 65535', 'jump.0.host': '…' }. */
export function fieldErrors(v: ConfigValidation): Record<string, string> {
  return v.ok ? {} : Object.fromEntries(v.errors.map((e) => [e.field, e.message]));
}
