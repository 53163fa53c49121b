// ONE SSH connection per cluster, as a state machine, with every command run as an exec channel on it.
//
//   idle ──connect()/exec()──▶ connecting ──ok──▶ ready ◀──▶ degraded
//                                  │  ▲             │            │
//                         failure  ▼  │ backoff     ▼ dropped    ▼
//                                offline ◀──────────┴────────────┘
//   any ──close()──▶ closed
//
// - offline carries a typed reason. Transient reasons (unreachable, timeout, closed, protocol) reconnect
//   with jittered exponential backoff; permanent ones (auth, host key, secrets, config) wait for an
//   explicit connect(), since retrying them cannot help and may lock the account.
// - degraded: connected, but the server refused a channel (we lowered our channel limit to what it took;
//   it creeps back up while no refusal comes, and degraded ends at our own limit), or a command timed out
//   (the link may be stalling; the next command that completes clears that).
// - Commands: at most `maxChannels` at once (default 6, below sshd's MaxSessions of 10), FIFO queue, one
//   deadline per command covering queue wait and run. A command issued while offline fails at once with the
//   offline reason. A refused channel open is retried (at the head of the queue), never reported as the
//   command's failure. Errors: SshError = the connection is not usable and the command never started;
//   ExecError = the command failed as a command (timeout, too-large, lost, channel); its `started` says
//   whether it reached the server and may have had effects (`lost`: the connection dropped under it), so
//   a caller never blindly re-runs a non-idempotent command.
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { shellCommand } from '../../../shared/slurm/quote';
import type { ClusterConfig } from '../../../shared/model/cluster';
import type { Clock, SecretPrompt, SecretStore } from '../ports';
import { systemClock } from '../ports';
import { Credentials } from './auth';
import { backoffDelay, DEFAULT_BACKOFF, realScheduler, type BackoffPolicy, type Scheduler } from './backoff';
import { ChannelLimiter } from './channel-limiter';
import { classifySshError, SshError, type SshFailureReason } from './errors';
import { ExecError, execArgv, type ExecOptions, type ExecResult } from './exec';
import type { HostKeyTrust, HostVerifier } from './host-verifier';
import { hopsOf } from './hops';
import { openTransport, type Transport } from './transport';

export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'degraded' | 'offline' | 'closed';
export type DegradedReason = 'channels-refused' | 'command-timeout';

export interface ConnectionStatus {
  cluster: string;
  state: ConnectionState;
  /** Why offline / degraded / closed; null when idle, connecting or ready. */
  reason: SshFailureReason | DegradedReason | null;
  message: string | null;
  /** Epoch ms of the last state change. */
  since: number;
  /** Consecutive failed connection attempts since the last success. */
  failures: number;
  /** Epoch ms of the next automatic reconnect attempt while offline, else null. */
  retryAt: number | null;
  /** Channels we allow at once right now (lowered when the server refused one). */
  channelLimit: number;
}

export interface ConnectionOptions {
  verifier: HostVerifier;
  secrets?: SecretStore | null;
  secretPrompt?: SecretPrompt | null;
  /** Concurrent exec channels (default 6: sshd's default MaxSessions is 10, other tools share it). */
  maxChannels?: number;
  /** Per-command deadline (queue wait + run) unless the call gives one. Default 60 s. */
  commandTimeoutMs?: number;
  /** Output cap per command unless the call gives one. Default: exec.ts's. */
  maxOutputBytes?: number;
  /** TCP + handshake + auth, per hop. Default 20 s. */
  readyTimeoutMs?: number;
  /** Default 15 s × 3: a dead peer is noticed within about a minute. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  autoReconnect?: boolean;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Schedules reconnect attempts (tests inject one to record and speed up the backoff). */
  scheduler?: Scheduler;
  clock?: Clock;
  /** Retries of a refused channel open while none of our channels is open (server still cleaning up). */
  channelRetryAttempts?: number;
  channelRetryDelayMs?: number;
  /** For SSH_AUTH_SOCK and `~` (tests). */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export interface ConnectionStats {
  /** Successful connects (the first one included). */
  connects: number;
  /** Most exec channels open at once over the connection's life. */
  peakChannels: number;
  channelsInUse: number;
  queued: number;
  /** Channel opens the server refused (each one retried). */
  channelRefusals: number;
}

type Listener = (status: ConnectionStatus) => void;

/** Commands that must complete without a refusal before a lowered channel limit is raised by one. */
const CHANNEL_PROBE_AFTER = 20;

export class ClusterConnection {
  private state: ConnectionState = 'idle';
  private reason: ConnectionStatus['reason'] = null;
  private message: string | null = null;
  private since: number;
  private failures = 0;
  private retries = 0;
  private retryAt: number | null = null;
  private retryTimer: unknown = null;
  private offlineError: SshError | null = null;
  private transport: Transport | null = null;
  private connecting: Promise<void> | null = null;
  /** Bumped for every connection attempt and on close, so late events of an old transport are ignored. */
  private generation = 0;
  private readonly degradedReasons = new Map<DegradedReason, string>();
  private readonly limiter: ChannelLimiter;
  private readonly listeners = new Set<Listener>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly credentials: Credentials;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly maxChannels: number;
  private connects = 0;
  private channelRefusals = 0;
  private successesAtLimit = 0;

  constructor(
    readonly cluster: ClusterConfig,
    private readonly options: ConnectionOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.scheduler = options.scheduler ?? realScheduler;
    this.maxChannels = options.maxChannels ?? 6;
    this.limiter = new ChannelLimiter(this.maxChannels);
    this.limiter.hold();
    this.since = this.clock.now();
    this.credentials = new Credentials({
      cluster: cluster.name,
      secrets: options.secrets ?? null,
      prompt: options.secretPrompt ?? null,
      env: options.env,
      home: options.home,
    });
  }

  status(): ConnectionStatus {
    return {
      cluster: this.cluster.name,
      state: this.state,
      reason: this.reason,
      message: this.message,
      since: this.since,
      failures: this.failures,
      retryAt: this.retryAt,
      channelLimit: this.limiter.limit,
    };
  }

  stats(): ConnectionStats {
    return {
      connects: this.connects,
      peakChannels: this.limiter.peak,
      channelsInUse: this.limiter.inUse,
      queued: this.limiter.queued,
      channelRefusals: this.channelRefusals,
    };
  }

  /** How each hop's host key was trusted on the current connection (null while not connected). */
  hostKeyTrust(): HostKeyTrust[] | null {
    return this.transport ? [...this.transport.trust] : null;
  }

  /** Local TCP port of the current connection's first hop (diagnostics: find our sshd session). */
  localPort(): number | null {
    return this.transport?.localPort ?? null;
  }

  /** Subscribe to state changes; returns the unsubscribe function. */
  onState(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Connect now (or join the attempt in progress). Resolves when ready; rejects with the SshError that
   * left the connection offline. From offline it also cancels a pending backoff timer and tries at once.
   */
  connect(): Promise<void> {
    if (this.state === 'closed') return Promise.reject(this.closedError());
    if (this.state === 'ready' || this.state === 'degraded') return Promise.resolve();
    if (this.connecting) return this.connecting;
    this.cancelRetry();
    const attempt = this.attempt();
    this.connecting = attempt;
    const clear = () => {
      if (this.connecting === attempt) this.connecting = null;
    };
    attempt.then(clear, clear);
    return attempt;
  }

  /** Run argv on the cluster (see the header for the error contract). */
  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (this.state === 'closed') return Promise.reject(this.closedError());
    if (this.state === 'offline') return Promise.reject(this.offlineErrorNow());
    if (this.state === 'idle') this.connect().catch(() => undefined); // queued commands learn the outcome
    const run = this.run(argv, options);
    this.inFlight.add(run);
    const done = () => this.inFlight.delete(run);
    run.then(done, done);
    return run;
  }

  /**
   * A TCP stream to `host:port` as the login host sees it (ssh2 `forwardOut` on this connection, like
   * `ssh -L`; the login host's sshd must allow TCP forwarding). Waits for a channel like exec() (one
   * deadline for that wait and the open) and holds it until the stream closes: the caller must end or
   * destroy the stream. Fails with an SshError when offline, an ExecError ('channel') when the server
   * refused the forward (AllowTcpForwarding / PermitOpen, or nothing listens there).
   */
  async forwardOut(host: string, port: number, options: { timeoutMs?: number } = {}): Promise<Duplex> {
    return this.holdChannel<Duplex>(`a forward to ${host}:${port}`, options.timeoutMs, (client, done) =>
      client.forwardOut('127.0.0.1', 0, host, port, done),
    );
  }

  /**
   * A long-lived exec channel running argv (built like exec()'s), for a remote process the caller talks
   * to over stdin / stdout / stderr (a persistent `scontrol`). Waits for a channel like exec() and holds
   * that channel slot until the channel closes: the caller must close it. Fails like forwardOut().
   */
  async execStream(argv: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ClientChannel> {
    const command = shellCommand(argv, options.env ?? {});
    return this.holdChannel<ClientChannel>(`a session for ${argv[0]}`, options.timeoutMs, (client, done) => client.exec(command, done));
  }

  /** Acquire a channel slot, open a channel with `open`, and give the slot back when that channel closes. */
  private async holdChannel<T extends Duplex>(
    what: string,
    timeoutMsOption: number | undefined,
    open: (client: Client, done: (err: Error | undefined, channel: T) => void) => void,
  ): Promise<T> {
    if (this.state === 'closed') throw this.closedError();
    if (this.state === 'offline') throw this.offlineErrorNow();
    if (this.state === 'idle') this.connect().catch(() => undefined);
    const timeoutMs = timeoutMsOption ?? this.options.commandTimeoutMs ?? 60_000;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new ExecError(`${what} did not get a channel within ${timeoutMs} ms`, 'timeout', { started: false })), timeoutMs);
    try {
      await this.limiter.acquire({ signal: abort.signal });
      let released = false;
      const release = () => {
        if (!released) this.limiter.release();
        released = true;
      };
      const transport = this.transport;
      if (!transport) {
        release();
        throw this.offlineErrorNow();
      }
      return await new Promise<T>((resolve, reject) => {
        const onAbort = () => {
          release();
          reject(abort.signal.reason as Error);
        };
        abort.signal.addEventListener('abort', onAbort, { once: true });
        try {
          open(transport.client, (err, channel) => {
            abort.signal.removeEventListener('abort', onAbort);
            if (abort.signal.aborted) {
              if (!err) channel.destroy();
              return;
            }
            if (err) {
              release();
              reject(new ExecError(`${this.cluster.name} refused ${what}: ${err.message}`, 'channel', { cause: err, started: false }));
              return;
            }
            channel.once('close', release);
            resolve(channel);
          });
        } catch (err) {
          abort.signal.removeEventListener('abort', onAbort);
          release();
          reject(new ExecError(`cannot open ${what}: ${(err as Error).message}`, 'channel', { cause: err, started: false }));
        }
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Stop: queued commands fail (closed-by-user), running ones get up to `graceMs` to finish, then every
   * hop is disconnected. Final: the connection cannot be reused.
   */
  async close(graceMs = 5_000): Promise<void> {
    if (this.state === 'closed') return;
    this.generation++;
    this.cancelRetry();
    const err = this.closedError();
    this.limiter.hold();
    this.limiter.failQueued(err);
    this.setState('closed', 'closed-by-user', err.message);
    if (this.inFlight.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        Promise.allSettled([...this.inFlight]).then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const transport = this.transport;
    this.transport = null;
    await transport?.close();
  }

  // --- connecting -----------------------------------------------------------------------------------

  private async attempt(): Promise<void> {
    const generation = ++this.generation;
    this.limiter.hold();
    this.setState('connecting', null, null);
    let transport: Transport;
    try {
      transport = await openTransport(hopsOf(this.cluster), {
        cluster: this.cluster.name,
        verifier: this.options.verifier,
        credentials: this.credentials,
        extraKnownHostsFiles: this.cluster.knownHostsFiles,
        readyTimeoutMs: this.options.readyTimeoutMs ?? 20_000,
        keepaliveIntervalMs: this.options.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: this.options.keepaliveCountMax ?? 3,
      });
    } catch (e) {
      const err = classifySshError(e, null);
      if (generation === this.generation && this.state !== 'closed') {
        this.failures++;
        this.goOffline(err);
      }
      throw this.state === 'closed' ? this.closedError() : err;
    }
    if (generation !== this.generation || this.state === 'closed') {
      await transport.close();
      throw this.closedError();
    }
    this.transport = transport;
    this.connects++;
    this.failures = 0;
    this.retries = 0;
    this.offlineError = null;
    this.degradedReasons.clear();
    this.limiter.setLimit(this.maxChannels);
    this.successesAtLimit = 0;
    transport.onLost((err) => this.lost(generation, err));
    if (this.transport !== transport) return; // lost already, while registering
    this.setState('ready', null, null);
    this.limiter.resume();
  }

  private lost(generation: number, err: SshError): void {
    if (generation !== this.generation || this.state === 'closed') return;
    this.transport = null;
    this.goOffline(err);
  }

  private goOffline(err: SshError): void {
    this.offlineError = err;
    this.limiter.hold();
    this.limiter.failQueued(this.offlineErrorNow());
    this.retryAt = null;
    if ((this.options.autoReconnect ?? true) && !err.permanent) {
      const delay = backoffDelay(this.retries++, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random ?? Math.random);
      this.retryAt = this.clock.now() + delay;
      this.retryTimer = this.scheduler.setTimeout(() => {
        this.retryTimer = null;
        this.retryAt = null;
        this.connect().catch(() => undefined); // the failure is reported through the state
      }, delay);
    }
    this.setState('offline', err.reason, err.message);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) this.scheduler.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
  }

  // --- commands -------------------------------------------------------------------------------------

  private async run(argv: readonly string[], options: ExecOptions): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs ?? 60_000;
    const deadline = this.clock.now() + timeoutMs;
    const abort = new AbortController();
    const queueTimer = setTimeout(
      () =>
        abort.abort(
          new ExecError(`${argv[0]} did not get a channel within ${timeoutMs} ms (${this.limiter.inUse} in use, ${this.limiter.queued} queued)`, 'timeout', { started: false }),
        ),
      timeoutMs,
    );
    let front = false;
    let idleRefusals = 0;
    try {
      for (;;) {
        await this.limiter.acquire({ front, signal: abort.signal });
        const transport = this.transport;
        let released = false;
        const release = () => {
          if (!released) this.limiter.release();
          released = true;
        };
        try {
          if (!transport) throw this.offlineErrorNow();
          const remaining = Math.max(1, deadline - this.clock.now());
          const result = await execArgv(transport.client, argv, {
            ...options,
            timeoutMs: remaining,
            maxBytes: options.maxBytes ?? this.options.maxOutputBytes,
          });
          release();
          this.channelWorked();
          this.clearDegraded('command-timeout');
          return result;
        } catch (err) {
          // A refused channel lowers the limit before its slot is given back, or the release would hand the
          // slot to the next waiter under the old limit.
          if (err instanceof ExecError && err.kind === 'refused' && transport === this.transport && this.state !== 'closed') {
            this.lowerLimitOnRefusal(this.limiter.inUse - 1);
          }
          release();
          if (!(err instanceof ExecError)) throw err;
          if (transport !== this.transport || this.state === 'offline' || this.state === 'closed') {
            // The connection went away under this command.
            if (err.kind === 'refused' || err.kind === 'channel') throw this.state === 'closed' ? this.closedError() : this.offlineErrorNow();
            if (err.kind === 'lost') throw new ExecError(`${err.message}; ${this.offlineErrorNow().message}`, 'lost', { cause: this.offlineError });
            throw err;
          }
          if (err.kind === 'refused') {
            this.channelRefusals++;
            idleRefusals = await this.channelRefused(argv, err, idleRefusals);
            front = true;
            continue;
          }
          if (err.kind === 'timeout') this.degrade('command-timeout', err.message);
          throw err;
        }
      }
    } finally {
      clearTimeout(queueTimer);
    }
  }

  /**
   * The server refused a channel. With some of ours open, its limit is what we have open now: lower ours
   * to it (lowerLimitOnRefusal) and wait for one to finish. With none open, wait a little (sshd may still
   * be closing sessions) and give up after a few tries (channelRefused).
   */
  private lowerLimitOnRefusal(othersOpen: number): void {
    this.successesAtLimit = 0;
    if (othersOpen > 0 && othersOpen < this.limiter.limit) {
      this.limiter.setLimit(othersOpen);
      this.degrade('channels-refused', `the server refused an exec channel with ${othersOpen} open; using at most ${othersOpen} at once`);
    }
  }

  private async channelRefused(argv: readonly string[], err: ExecError, idleRefusals: number): Promise<number> {
    if (this.limiter.inUse > 0) return idleRefusals;
    const attempts = this.options.channelRetryAttempts ?? 5;
    if (idleRefusals >= attempts) {
      throw new SshError(
        'channel-refused',
        `${this.cluster.name} refused to open a channel for ${argv[0]} ${attempts + 1} times with none of ours open: ${err.message}`,
        null,
        null,
        { cause: err },
      );
    }
    const delay = (this.options.channelRetryDelayMs ?? 100) * 2 ** idleRefusals;
    await new Promise<void>((resolve) => setTimeout(resolve, delay));
    return idleRefusals + 1;
  }

  /**
   * A lowered limit can be too low: the server may still have been tearing down a session we had already
   * closed when it refused. After enough channels without a refusal, try one more (additive increase);
   * back at our own maximum, the connection is no longer degraded.
   */
  private channelWorked(): void {
    if (this.limiter.limit >= this.maxChannels) return;
    if (++this.successesAtLimit < CHANNEL_PROBE_AFTER) return;
    this.successesAtLimit = 0;
    this.limiter.setLimit(this.limiter.limit + 1);
    if (this.limiter.limit >= this.maxChannels) this.clearDegraded('channels-refused');
  }

  // --- state ----------------------------------------------------------------------------------------

  private degrade(reason: DegradedReason, message: string): void {
    if (this.state !== 'ready' && this.state !== 'degraded') return;
    this.degradedReasons.set(reason, message);
    this.setState('degraded', reason, message);
  }

  private clearDegraded(reason: DegradedReason): void {
    if (!this.degradedReasons.delete(reason) || this.state !== 'degraded') return;
    const next = [...this.degradedReasons.entries()][0];
    if (next) this.setState('degraded', next[0], next[1]);
    else this.setState('ready', null, null);
  }

  private setState(state: ConnectionState, reason: ConnectionStatus['reason'], message: string | null): void {
    if (this.state === state && this.reason === reason && this.message === message) return;
    this.state = state;
    this.reason = reason;
    this.message = message;
    this.since = this.clock.now();
    const status = this.status();
    for (const l of [...this.listeners]) l(status);
  }

  private offlineErrorNow(): SshError {
    const base = this.offlineError ?? new SshError('closed', `${this.cluster.name} is not connected`);
    const retry = this.retryAt !== null ? ` (next attempt in ${Math.max(0, Math.round((this.retryAt - this.clock.now()) / 1000))} s)` : '';
    return new SshError(base.reason, `${this.cluster.name} is offline: ${base.message}${retry}`, base.hop, base.hostKey, { cause: base });
  }

  private closedError(): SshError {
    return new SshError('closed-by-user', `the connection to ${this.cluster.name} was closed`);
  }
}
