// Open the chain of SSH clients that reaches one cluster: the login host directly, or through ProxyJump
// hops (each hop its own ssh2 Client; hop N's forwardOut stream is hop N+1's socket). Every hop's host key
// is verified and every hop authenticates on its own, like `ssh -J`. Once up, the chain reports its
// first failure once, classified, and can be closed as a whole.
import net from 'node:net';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { ClusterAuth } from '../../../shared/model/cluster';
import { authFailure, authHandlerFor, type AuthTrace, type Credentials, type PreparedAuth } from './auth';
import { classifySshError, describeHop, SshError, type SshHop } from './errors';
import type { HostKeyTrust, HostVerifier } from './host-verifier';

export interface HopSpec {
  hop: SshHop;
  auth: ClusterAuth;
}

export interface TransportOptions {
  cluster: string;
  verifier: HostVerifier;
  credentials: Credentials;
  extraKnownHostsFiles: readonly string[];
  /** TCP connect + SSH handshake + auth, per hop; time spent in the HostKeyPrompt does not count. */
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export interface Transport {
  /** The client of the last hop: the cluster's login host. */
  client: Client;
  /** How each hop's host key was trusted, first hop first. */
  trust: HostKeyTrust[];
  /** Local TCP port of the first hop's socket (identifies our session in `ss -tnp` on the server). */
  localPort: number | null;
  /** Called once, with the first failure, when any hop of an established chain goes away. */
  onLost(listener: (err: SshError) => void): void;
  /** Ends every hop, last hop first; resolves when all sockets closed (or after `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

export async function openTransport(specs: readonly HopSpec[], options: TransportOptions): Promise<Transport> {
  if (specs.length === 0) throw new SshError('invalid-config', 'no host to connect to');
  const clients: Client[] = [];
  const trust: HostKeyTrust[] = [];
  let firstSocket: net.Socket | null = null;
  let lostListener: ((err: SshError) => void) | null = null;
  let lostError: SshError | null = null;
  let established = false;
  let closing = false;

  const reportLost = (err: SshError) => {
    if (lostError || closing) return;
    lostError = err;
    if (established) {
      for (const c of clients) c.end();
      lostListener?.(err);
    }
  };

  try {
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i] as HopSpec;
      // Secrets before any socket: a passphrase prompt must not race the handshake timeout.
      const prepared = await options.credentials.prepare(spec.auth, spec.hop);
      const check = { cluster: options.cluster, hop: spec.hop, extraKnownHostsFiles: options.extraKnownHostsFiles };
      const preferred = await options.verifier.preferredAlgorithms(check);
      // No await between opening the socket and handing it to ssh2, which installs its error handlers.
      // noDelay: channel open, exec request and replies are small back-to-back packets; with Nagle's
      // algorithm they wait on delayed ACKs (measured: 20 sequential squeue 1103 ms with, see the bench).
      const sock = i === 0 ? (firstSocket = net.connect({ host: spec.hop.host, port: spec.hop.port, noDelay: true })) : await forward(clients[i - 1] as Client, specs[i - 1] as HopSpec, spec.hop);
      const client = new Client();
      clients.push(client);
      trust.push(await connectHop(client, sock, spec, prepared, preferred, options));
      // From here on a hop's failure is the failure of the whole chain.
      const hop = spec.hop;
      let hopError: SshError | null = null;
      client.on('error', (err) => (hopError ??= classifySshError(err, hop)));
      client.on('close', () =>
        reportLost(hopError ?? new SshError('closed', `${describeHop(hop)} closed the connection`, hop)),
      );
    }
  } catch (err) {
    closing = true;
    for (const c of clients.reverse()) c.end();
    firstSocket?.destroy();
    throw err;
  }
  established = true;

  return {
    client: clients[clients.length - 1] as Client,
    trust,
    localPort: firstSocket?.localPort ?? null,
    onLost(listener) {
      lostListener = listener;
      if (lostError) listener(lostError);
    },
    async close(graceMs = 3_000) {
      closing = true;
      const closed = clients.map((c) => new Promise<void>((resolve) => c.once('close', () => resolve())));
      for (const c of [...clients].reverse()) c.end();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          firstSocket?.destroy();
          resolve();
        }, graceMs);
      });
      await Promise.race([Promise.all(closed), timeout]);
      clearTimeout(timer);
    },
  };
}

/** Ask hop `via` to open a TCP stream to `to` (what `ssh -J` does with a direct-tcpip channel). */
function forward(via: Client, viaSpec: HopSpec, to: SshHop): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, to.host, to.port, (err, stream) => {
      if (!err) return resolve(stream);
      const reasonCode = (err as Error & { reason?: number }).reason;
      // RFC 4254 5.1: 1 = administratively prohibited (e.g. AllowTcpForwarding no), 2 = connect failed.
      const refused = reasonCode === 1;
      reject(
        new SshError(
          refused ? 'jump-refused' : 'unreachable',
          refused
            ? `${describeHop(viaSpec.hop)} refused to forward to ${to.host}:${to.port} (is TCP forwarding allowed there?): ${err.message}`
            : `${describeHop(viaSpec.hop)} could not connect to ${to.host}:${to.port}: ${err.message}`,
          to,
          null,
          { cause: err },
        ),
      );
    });
  });
}

/** Handshake, host key check and authentication on one hop; rejects with a classified SshError. */
function connectHop(
  client: Client,
  sock: net.Socket | ClientChannel,
  spec: HopSpec,
  prepared: PreparedAuth,
  preferredHostKeyAlgorithms: string[],
  options: TransportOptions,
): Promise<HostKeyTrust> {
  const { hop } = spec;
  const check = { cluster: options.cluster, hop, extraKnownHostsFiles: options.extraKnownHostsFiles };
  const trace: AuthTrace = { attempted: false, methodsLeft: null, partialSuccess: false };
  let hostKeyError: SshError | null = null;
  let trusted: HostKeyTrust | null = null;
  return new Promise<HostKeyTrust>((resolve, reject) => {
    let done = false;
    // Our own handshake deadline instead of ssh2's readyTimeout, so that time the user spends answering
    // the HostKeyPrompt does not count against it (sshd's LoginGraceTime still bounds it on the server).
    let deadline = Date.now() + options.readyTimeoutMs;
    let verifying = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (verifying) return; // re-armed when the host key check finishes
        finish(new SshError('timeout', `${describeHop(hop)} did not complete the SSH handshake and login within ${options.readyTimeoutMs} ms`, hop));
        sock.destroy();
      }, Math.max(0, deadline - Date.now()));
    };
    const finish = (err: SshError | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        client.end();
        reject(err);
      } else resolve(trusted as HostKeyTrust);
    };
    client.once('ready', () => finish(null));
    client.on('error', (err) => {
      if (hostKeyError) return finish(hostKeyError);
      if ((err as Error & { level?: string }).level === 'client-authentication') {
        options.credentials.forget(hop);
        return finish(authFailure(prepared, hop, trace, err));
      }
      finish(classifySshError(err, hop));
    });
    client.once('close', () =>
      finish(hostKeyError ?? new SshError('closed', `${describeHop(hop)} closed the connection during the SSH handshake`, hop)),
    );
    const config: ConnectConfig = {
      sock: sock as unknown as ConnectConfig['sock'],
      host: hop.host,
      port: hop.port,
      username: hop.user,
      readyTimeout: 0,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax,
      authHandler: authHandlerFor(prepared, hop.user, trace),
      // The callback form lets the check await known_hosts reads and the HostKeyPrompt; a refusal here
      // ends the handshake before authentication, so nothing can run on an untrusted host.
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        verifying = true;
        const started = Date.now();
        const resumeClock = () => {
          verifying = false;
          deadline += Date.now() - started;
          if (!done) arm();
        };
        options.verifier.verify(check, key).then(
          (t) => {
            resumeClock();
            trusted = t;
            verify(true);
          },
          (err: unknown) => {
            resumeClock();
            hostKeyError = err instanceof SshError ? err : classifySshError(err, hop);
            verify(false);
          },
        );
      },
    };
    if (preferredHostKeyAlgorithms.length > 0) {
      // ssh2's "prepend" skips names already in its list, so remove them first to move them to the front.
      config.algorithms = { serverHostKey: { remove: preferredHostKeyAlgorithms, prepend: preferredHostKeyAlgorithms } as never };
    }
    arm();
    try {
      client.connect(config);
    } catch (err) {
      finish(classifySshError(err, hop));
    }
  });
}
