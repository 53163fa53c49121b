// Decide, during the SSH handshake, whether a host's key is trusted: the user's known_hosts files (as
// OpenSSH reads them), the cluster's extra known_hosts files and the app's pinned keys are judged together
// (OpenSSH semantics: trusted if any source has this exact key; revoked anywhere wins; a different key of
// the same type is a changed key). Unknown keys go to the HostKeyPrompt port; changed and revoked keys are
// refused with the fingerprints in the error, before any authentication, so nothing runs.
import { readFile } from 'node:fs/promises';
import type { Clock, HostKeyPrompt } from '../ports';
import { systemClock } from '../ports';
import { describeHop, SshError, type SshHop } from './errors';
import { expandHome } from './home-path';
import { entryMatchesHost, judgeHostKey, keyTypeOfBlob, lookupName, parseKnownHosts, type KnownHostEntry } from './known-hosts';
import type { PinnedHostKeyStore } from './pinned-host-keys';

/** OpenSSH's defaults for UserKnownHostsFile and GlobalKnownHostsFile. */
export const DEFAULT_KNOWN_HOSTS_FILES = [
  '~/.ssh/known_hosts',
  '~/.ssh/known_hosts2',
  '/etc/ssh/ssh_known_hosts',
  '/etc/ssh/ssh_known_hosts2',
];

export interface HostVerifierOptions {
  pinned: PinnedHostKeyStore;
  /** null: non-interactive; unknown keys are rejected with the fingerprint in the error. */
  prompt: HostKeyPrompt | null;
  /** Read at every check (so `ssh-keygen -R` takes effect without a restart). Default: OpenSSH's. */
  knownHostsFiles?: readonly string[];
  home?: string;
  clock?: Clock;
}

export interface HostKeyCheck {
  cluster: string;
  hop: SshHop;
  /** The cluster's own extra known_hosts files (ClusterConfig.knownHostsFiles). */
  extraKnownHostsFiles: readonly string[];
}

export type HostKeyTrust =
  | { via: 'known-hosts' | 'pinned'; fingerprint: string; source: string }
  | { via: 'accepted-once' | 'accepted-and-pinned'; fingerprint: string; source: 'prompt' };

const PINNED_SOURCE = 'app pinned keys';

/** ssh2 host key algorithm names for a known_hosts key type (an RSA key signs with rsa-sha2-* today). */
const ALGORITHMS_FOR_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

export class HostVerifier {
  /** Keys accepted once, by "[host]:port fingerprint"; kept in memory only, for this process. */
  private readonly acceptedOnce = new Set<string>();
  private readonly files: readonly string[];
  private readonly clock: Clock;

  constructor(private readonly options: HostVerifierOptions) {
    this.files = options.knownHostsFiles ?? DEFAULT_KNOWN_HOSTS_FILES;
    this.clock = options.clock ?? systemClock;
  }

  /** Every entry from the known_hosts files plus the pinned keys for this host, as known_hosts entries. */
  async entriesFor(check: HostKeyCheck): Promise<KnownHostEntry[]> {
    const files = [...this.files, ...check.extraKnownHostsFiles].map((f) => expandHome(f, this.options.home));
    const entries: KnownHostEntry[] = [];
    for (const file of [...new Set(files)]) entries.push(...(await readKnownHostsFile(file, check.hop)));
    const pinned = await this.options.pinned.list(hostName(check.hop), check.hop.port);
    const name = lookupName(hostName(check.hop), check.hop.port);
    for (const p of pinned) {
      entries.push({ marker: null, patterns: [name], hashed: null, keyType: p.keyType, key: p.key, source: PINNED_SOURCE });
    }
    return entries;
  }

  /**
   * Host key algorithms to offer first: those of keys we already know for this host. Otherwise ssh2 may
   * negotiate a key type we have no entry for and the user gets asked about a host we know (OpenSSH orders
   * HostKeyAlgorithms the same way).
   */
  async preferredAlgorithms(check: HostKeyCheck): Promise<string[]> {
    const entries = await this.entriesFor(check);
    const known = entries.filter((e) => e.marker === null && entryMatchesHost(e, hostName(check.hop), check.hop.port)).map((e) => e.keyType);
    return [...new Set(known.flatMap((t) => ALGORITHMS_FOR_TYPE[t] ?? []))];
  }

  /** Resolves when the key is trusted; rejects with an SshError (host-key-*) when it must not be used. */
  async verify(check: HostKeyCheck, blob: Buffer): Promise<HostKeyTrust> {
    const { hop } = check;
    let keyType: string;
    try {
      keyType = keyTypeOfBlob(blob);
    } catch (err) {
      throw new SshError('protocol', `${describeHop(hop)} sent a malformed host key: ${(err as Error).message}`, hop);
    }
    const verdict = judgeHostKey(await this.entriesFor(check), hostName(hop), hop.port, blob);
    const name = lookupName(hostName(hop), hop.port);
    switch (verdict.status) {
      case 'trusted':
        return { via: verdict.source === PINNED_SOURCE ? 'pinned' : 'known-hosts', fingerprint: verdict.fingerprint, source: verdict.source };
      case 'revoked':
        throw new SshError(
          'host-key-revoked',
          `${describeHop(hop)} presented host key ${verdict.fingerprint}, which ${verdict.source} marks @revoked. ` +
            'Refusing to connect; nothing was run.',
          hop,
          { presented: verdict.fingerprint, known: [], sources: [verdict.source] },
        );
      case 'changed':
        throw new SshError(
          'host-key-changed',
          `HOST KEY CHANGED for ${name} (${describeHop(hop)}): it presented ${keyType} key ${verdict.fingerprint}, ` +
            `but ${verdict.sources.join(', ')} ${verdict.sources.length > 1 ? 'have' : 'has'} ${verdict.knownFingerprints.join(', ')}. ` +
            'Someone may be intercepting the connection, or the host was reinstalled. Nothing was run. ' +
            `If the change is expected, remove the old key (ssh-keygen -R '${name}') and connect again.`,
          hop,
          { presented: verdict.fingerprint, known: verdict.knownFingerprints, sources: verdict.sources },
        );
      case 'unknown':
        return this.askAboutUnknown(check, keyType, verdict.fingerprint, verdict.otherKeyTypes, blob);
    }
  }

  private async askAboutUnknown(check: HostKeyCheck, keyType: string, fingerprint: string, otherKeyTypes: string[], blob: Buffer): Promise<HostKeyTrust> {
    const { hop } = check;
    const onceKey = `${lookupName(hostName(hop), hop.port)} ${fingerprint}`;
    if (this.acceptedOnce.has(onceKey)) return { via: 'accepted-once', fingerprint, source: 'prompt' };
    const unknownError = (why: string) =>
      new SshError(
        'host-key-unknown-rejected',
        `${describeHop(hop)} presented an unknown ${keyType} host key ${fingerprint}; ${why}. Nothing was run.`,
        hop,
        { presented: fingerprint, known: [], sources: [] },
      );
    if (!this.options.prompt) throw unknownError('no one can be asked to confirm it here (accept it with --accept-host-key ' + fingerprint + ')');
    const answer = await this.options.prompt.ask({
      cluster: check.cluster,
      host: hop.host,
      port: hop.port,
      role: hop.role,
      keyType,
      fingerprint,
      otherKeyTypes,
    });
    switch (answer) {
      case 'accept-once':
        this.acceptedOnce.add(onceKey);
        return { via: 'accepted-once', fingerprint, source: 'prompt' };
      case 'accept-and-pin':
        await this.options.pinned.pin({ host: hostName(hop), port: hop.port, keyType, key: blob, pinnedAt: this.clock.now() });
        return { via: 'accepted-and-pinned', fingerprint, source: 'prompt' };
      default:
        throw unknownError('the user rejected it');
    }
  }
}

/** ssh looks host keys up under the lower-cased host name (and hashes that), so do we. */
function hostName(hop: SshHop): string {
  return hop.host.toLowerCase();
}

async function readKnownHostsFile(file: string, hop: SshHop): Promise<KnownHostEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    // Fail closed: an unreadable file might hold the @revoked line for this very key.
    throw new SshError('known-hosts-unreadable', `cannot read known_hosts file ${file}: ${(err as Error).message}`, hop, null, { cause: err });
  }
  return parseKnownHosts(text, file);
}
