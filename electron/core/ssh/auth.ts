// Turn a configured auth method (ssh-agent, key file, password) into something ssh2 can use, before the
// TCP connection is opened, so that a missing agent, an unreadable key or a missing passphrase is a clear
// error of its own and not a generic "authentication failed" after a handshake. Secrets come from the
// SecretStore or the SecretPrompt port and stay in memory (a decrypted key object is kept for reconnects);
// nothing is written to disk here.
import { stat, readFile } from 'node:fs/promises';
import ssh2, { type AuthHandlerMiddleware, type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader only sees the names its lexer can find (Client, not utils or
// OpenSSHAgent), so take them from the default export.
const { OpenSSHAgent, utils } = ssh2;
import type { ClusterAuth } from '../../../shared/model/cluster';
import type { SecretPrompt, SecretRequest, SecretStore } from '../ports';
import { describeHop, SshError, type SshHop } from './errors';
import { expandHome } from './home-path';
import { fingerprintSha256 } from './known-hosts';

/** Names under which the SecretStore keeps SSH secrets (one passphrase per key file, shared by hops). */
export const secretName = {
  keyPassphrase: (identityFile: string) => `ssh-key-passphrase:${identityFile}`,
  password: (user: string, host: string, port: number) => `ssh-password:${user}@${host}:${port}`,
};

export type PreparedAuth =
  | { kind: 'agent'; socket: string; keyCount: number }
  | { kind: 'key'; identityFile: string; key: ParsedKey; fingerprint: string }
  | { kind: 'password'; password: string };

export interface CredentialSources {
  cluster: string;
  secrets: SecretStore | null;
  prompt: SecretPrompt | null;
  /** For SSH_AUTH_SOCK; default process.env. */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** How many times the prompt is asked for a passphrase before giving up. */
const PASSPHRASE_TRIES = 3;

/**
 * Prepares auth for each hop of one cluster's connection and remembers the result in memory, so a
 * reconnect neither re-reads secrets nor asks the user again. `forget` drops what a server refused.
 */
export class Credentials {
  private readonly cache = new Map<string, PreparedAuth>();
  /** Hops whose server refused what we offered: a password is then asked again (retry), not re-read. */
  private readonly refused = new Set<string>();

  constructor(private readonly sources: CredentialSources) {}

  async prepare(auth: ClusterAuth, hop: SshHop): Promise<PreparedAuth> {
    const cacheKey = `${hop.user}@${hop.host}:${hop.port} ${JSON.stringify(auth)}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const prepared = await this.prepareUncached(auth, hop);
    // Agent keys can change between connections (ssh-add); only cache what cannot.
    if (prepared.kind !== 'agent') this.cache.set(cacheKey, prepared);
    return prepared;
  }

  forget(hop: SshHop): void {
    const prefix = `${hop.user}@${hop.host}:${hop.port} `;
    this.refused.add(prefix);
    for (const k of [...this.cache.keys()]) if (k.startsWith(prefix)) this.cache.delete(k);
  }

  private prepareUncached(auth: ClusterAuth, hop: SshHop): Promise<PreparedAuth> {
    switch (auth.kind) {
      case 'agent':
        return this.prepareAgent(auth.socket ?? (this.sources.env ?? process.env).SSH_AUTH_SOCK, hop);
      case 'key':
        return this.prepareKey(expandHome(auth.identityFile, this.sources.home), hop);
      case 'password':
        return this.preparePassword(hop);
    }
  }

  private async prepareAgent(socket: string | undefined, hop: SshHop): Promise<PreparedAuth> {
    const fail = (why: string, cause?: unknown) =>
      new SshError('agent-unavailable', `cannot use ssh-agent for ${describeHop(hop)}: ${why}`, hop, null, { cause });
    if (!socket) throw fail('SSH_AUTH_SOCK is not set (start ssh-agent and ssh-add your key, or configure a key file)');
    try {
      if (!(await stat(socket)).isSocket()) throw fail(`${socket} is not a socket`);
    } catch (err) {
      if (err instanceof SshError) throw err;
      throw fail(`${socket}: ${(err as Error).message}`, err);
    }
    const keys = await new Promise<unknown[]>((resolve, reject) => {
      new OpenSSHAgent(socket).getIdentities((err, found) => (err ? reject(fail(`agent at ${socket} did not answer: ${err.message}`, err)) : resolve(found ?? [])));
    });
    if (keys.length === 0) throw fail(`the agent at ${socket} holds no keys (add one with ssh-add)`);
    return { kind: 'agent', socket, keyCount: keys.length };
  }

  private async prepareKey(identityFile: string, hop: SshHop): Promise<PreparedAuth> {
    let data: Buffer;
    try {
      data = await readFile(identityFile);
    } catch (err) {
      throw new SshError('key-unreadable', `cannot read identity file ${identityFile} for ${describeHop(hop)}: ${(err as Error).message}`, hop, null, { cause: err });
    }
    const parse = (passphrase?: string): ParsedKey | Error => {
      const parsed = utils.parseKey(data, passphrase);
      return Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
    };
    const usable = (parsed: ParsedKey): PreparedAuth => {
      if (!parsed.isPrivateKey()) {
        throw new SshError('key-unreadable', `${identityFile} holds a public key; IdentityFile must name the private key`, hop);
      }
      return { kind: 'key', identityFile, key: parsed, fingerprint: fingerprintSha256(parsed.getPublicSSH()) };
    };
    const plain = parse();
    if (!(plain instanceof Error)) return usable(plain);
    if (!/no passphrase given/i.test(plain.message)) {
      throw new SshError('key-unreadable', `${identityFile} is not a private key ssh2 can use: ${plain.message}`, hop, null, { cause: plain });
    }
    // Encrypted: the SecretStore first, then the prompt (which may ask again after a wrong passphrase).
    const name = secretName.keyPassphrase(identityFile);
    let sawWrong = false;
    const stored = this.sources.secrets ? await this.sources.secrets.get(name) : null;
    if (stored !== null) {
      const parsed = parse(stored);
      if (!(parsed instanceof Error)) return usable(parsed);
      sawWrong = true;
    }
    if (this.sources.prompt) {
      for (let i = 0; i < PASSPHRASE_TRIES; i++) {
        const request: SecretRequest = { kind: 'key-passphrase', cluster: this.sources.cluster, identityFile, retry: sawWrong };
        const answer = await this.sources.prompt.ask(request);
        if (!answer) break;
        const parsed = parse(answer.value);
        if (parsed instanceof Error) {
          sawWrong = true;
          continue;
        }
        if (answer.remember && this.sources.secrets) await this.sources.secrets.set(name, answer.value);
        return usable(parsed);
      }
    }
    if (sawWrong) throw new SshError('bad-passphrase', `the passphrase for ${identityFile} is wrong (it does not decrypt the key)`, hop);
    throw new SshError(
      'passphrase-required',
      `${identityFile} is encrypted and no passphrase is available (store one, or load the key into ssh-agent)`,
      hop,
    );
  }

  private async preparePassword(hop: SshHop): Promise<PreparedAuth> {
    const name = secretName.password(hop.user, hop.host, hop.port);
    // After the server refused a password (stored or typed), the stored one is not offered again: asking
    // says the last one was wrong, and a newly remembered one replaces it.
    const retry = this.refused.has(`${hop.user}@${hop.host}:${hop.port} `);
    const stored = this.sources.secrets && !retry ? await this.sources.secrets.get(name) : null;
    if (stored !== null) return { kind: 'password', password: stored };
    const answer = this.sources.prompt
      ? await this.sources.prompt.ask({ kind: 'password', cluster: this.sources.cluster, user: hop.user, host: hop.host, port: hop.port, retry })
      : null;
    if (!answer) throw new SshError('password-required', `no password is available for ${describeHop(hop)}`, hop);
    if (answer.remember && this.sources.secrets) await this.sources.secrets.set(name, answer.value);
    return { kind: 'password', password: answer.value };
  }
}

/** What the server said during authentication, for the error message. */
export interface AuthTrace {
  attempted: boolean;
  /** Methods the server said can continue, from its last USERAUTH_FAILURE. */
  methodsLeft: string[] | null;
  partialSuccess: boolean;
}

/** An ssh2 authHandler that offers exactly the prepared method once, and records the server's answers. */
export function authHandlerFor(prepared: PreparedAuth, username: string, trace: AuthTrace): AuthHandlerMiddleware {
  return (methodsLeft, partialSuccess, next) => {
    if (methodsLeft) trace.methodsLeft = [...methodsLeft];
    if (partialSuccess) trace.partialSuccess = true;
    if (trace.attempted) return next(false as never);
    trace.attempted = true;
    switch (prepared.kind) {
      case 'agent':
        return next({ type: 'agent', username, agent: prepared.socket });
      case 'key':
        return next({ type: 'publickey', username, key: prepared.key });
      case 'password':
        return next({ type: 'password', username, password: prepared.password });
    }
  };
}

/** The error for a server that refused our one method: says what was offered and what the server takes. */
export function authFailure(prepared: PreparedAuth, hop: SshHop, trace: AuthTrace, cause: unknown): SshError {
  const where = describeHop(hop);
  const offered =
    prepared.kind === 'key'
      ? `the key ${prepared.identityFile} (${prepared.fingerprint})`
      : prepared.kind === 'agent'
        ? `all ${prepared.keyCount} key(s) in ssh-agent (${prepared.socket})`
        : 'the password';
  const accepts = trace.methodsLeft ? ` The server accepts: ${trace.methodsLeft.join(', ') || 'nothing'}.` : '';
  const why = trace.partialSuccess
    ? `${where} wants a second authentication step, which the console does not support.`
    : `${where} refused ${offered}: wrong user name "${hop.user}", or ${prepared.kind === 'password' ? 'a wrong password' : "the key is not in that user's authorized_keys"}.`;
  return new SshError('auth-failed', `${why}${accepts} Nothing was run.`, hop, null, { cause });
}
