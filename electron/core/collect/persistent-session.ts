// A long-lived remote process on one exec channel of the cluster's connection, fed requests on stdin and
// answering each one on stdout / stderr, framed by markers its protocol defines (the scontrol session,
// the shell session). This file is the lifecycle both share:
// - requests are written as they come (pipelined) and answered in order; each has a deadline and a byte cap;
// - a request past either, or whose channel closes (`lost`, like an exec channel cut by a dropped
//   connection), closes the session: its stream may be out of step, so the next request opens a new one,
//   and requests that were in flight behind it are asked once more on that new session;
// - the session is replaced after `maxAgeMs` or `maxRequests`, and closed after `idleMs` without work;
// - a session that cannot start (no channel, the program missing, no answer to the start-up markers)
//   throws SessionUnavailable; callers then run the command as a plain exec, and the session is not tried
//   again for `retryAfterMs` (unless only the connection was down).
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { SshError } from '../ssh/errors';
import { ExecError, type ExecResult } from '../ssh/exec';

/** The parts of an ssh2 exec channel a session uses. */
export interface SessionChannel {
  write(data: string): unknown;
  end(): unknown;
  close(): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
}

export type OpenSessionChannel = (argv: readonly string[], env: Record<string, string>) => Promise<SessionChannel>;

export interface SessionOptions {
  /** A session older than this is replaced before its next request (picks up configuration changes). */
  maxAgeMs?: number;
  /** Requests before the session is replaced (bounds anything the remote process keeps growing). */
  maxRequests?: number;
  /** Close the session after this long without a request. */
  idleMs?: number;
  /** Deadline for the session to start and answer its first markers. */
  startTimeoutMs?: number;
  /** After a session failed to start, plain commands are used for this long before trying again. */
  retryAfterMs?: number;
  now?: () => number;
  nonce?: () => string;
}

/** The session could not be started; run the command on its own channel instead. */
export class SessionUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionUnavailable';
  }
}

/**
 * Where a block ends in a stream's text: the block, where the rest starts, and a value the marker carried.
 * `from`: where to start looking; text before it was searched already (a marker never starts more than
 * MARKER_SLACK characters before it), so a large answer arriving in many chunks is scanned once, not once
 * per chunk.
 */
export type BlockFinder = (text: string, from: number) => { block: string; rest: number; code?: number } | null;

/** Longer than any marker line a protocol uses. */
export const MARKER_SLACK = 128;

/** One request as the protocol frames it. */
export interface Framed {
  /** Text for stdin: the request and its markers. */
  send: string;
  stdout: BlockFinder;
  stderr: BlockFinder;
}

export interface SessionProtocol<Req> {
  /** The remote program (argv + environment) the session runs. */
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  /** The start-up markers (seq is unique per session): whatever comes before their answers is dropped. */
  startup(nonce: string, seq: number): Framed;
  /** A request's text and markers. */
  frame(request: Req, nonce: string, seq: number): Framed;
  /** The request's result from its two blocks (the stdout finder's `code`, if any, passed along). */
  result(request: Req, stdout: string, stderr: string, code: number | undefined): { code: number; stdout: string; stderr: string };
  /** For messages: `scontrol show node`. */
  describe(request: Req): string;
}

/**
 * One stream's text, cut into blocks at markers; requests in flight wait in order. Chunks are kept apart
 * until a marker shows up (appending each to one string and searching it would copy the whole answer
 * again per chunk: minutes for a 40 MB sacct answer), and each new chunk is searched with only the
 * MARKER_SLACK characters before it.
 */
class Framer {
  private parts: string[] = [];
  private length = 0;
  private tail = '';
  /** Length of the text the head waiter has already searched in full. */
  private searched = 0;
  private readonly decoder = new StringDecoder('utf8');
  private readonly waiters: { find: BlockFinder; resolve: (hit: { block: string; code?: number }) => void }[] = [];

  push(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    if (text === '') return;
    const probe = this.tail + text;
    this.parts.push(text);
    this.length += text.length;
    this.tail = probe.slice(-MARKER_SLACK);
    this.check(probe);
  }

  get pendingChars(): number {
    return this.length;
  }

  next(find: BlockFinder): Promise<{ block: string; code?: number }> {
    return new Promise((resolve) => {
      this.waiters.push({ find, resolve });
      this.check(undefined);
    });
  }

  private joined(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0] ?? '';
  }

  /** `probe`: only the newly arrived text (with slack) needs a look; undefined: search everything unsearched. */
  private check(probe: string | undefined): void {
    for (;;) {
      const head = this.waiters[0];
      if (!head) return;
      if (probe !== undefined && !head.find(probe, 0)) return;
      const text = this.joined();
      const hit = head.find(text, Math.max(0, this.searched - MARKER_SLACK));
      if (!hit) {
        this.searched = text.length;
        return;
      }
      this.waiters.shift();
      const rest = text.slice(hit.rest);
      this.parts = rest === '' ? [] : [rest];
      this.length = rest.length;
      this.searched = 0;
      probe = undefined; // what is left may already hold the next request's answer
      head.resolve(hit.code === undefined ? { block: hit.block } : { block: hit.block, code: hit.code });
    }
  }
}

/** The session was closed under a request because another request failed or the session was replaced. */
class SessionReset extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionReset';
  }
}

interface Live {
  channel: SessionChannel;
  stdout: Framer;
  stderr: Framer;
  openedAt: number;
  requests: number;
  closed: Error | null;
  onClose: Set<(err: Error) => void>;
}

export class PersistentSession<Req> {
  private live: Live | null = null;
  private starting: Promise<Live> | null = null;
  private seq = 0;
  /** Requests written and not yet answered or failed: the idle timer waits for none. */
  private inFlight = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private unavailable: { until: number; error: SessionUnavailable } | null = null;
  private readonly nonce: string;
  private readonly now: () => number;

  constructor(
    private readonly protocol: SessionProtocol<Req>,
    private readonly open: OpenSessionChannel,
    private readonly options: SessionOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.nonce = (options.nonce ?? randomNonce)();
    if (!/^[a-z0-9]+$/.test(this.nonce)) throw new RangeError('session nonce must be [a-z0-9]+');
  }

  /** Whether a session is open now. */
  get isOpen(): boolean {
    return this.live !== null && this.live.closed === null;
  }

  /**
   * Run one request. Requests are written as they come (pipelined: the remote process answers them in
   * order, so a burst of them costs one round trip, not one each) and answered in that order.
   */
  run(request: Req, options: { timeoutMs?: number; maxBytes?: number } = {}): Promise<ExecResult> {
    return this.request(request, options, true);
  }

  close(): void {
    this.reset(null);
  }

  /** Close the live session; requests still in flight on it fail with `reason` (or as lost). */
  private reset(reason: Error | null): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const live = this.live;
    this.live = null;
    if (live && !live.closed) {
      live.closed = reason ?? new ExecError('the session was closed', 'lost');
      for (const f of [...live.onClose]) f(live.closed);
      try {
        live.channel.end();
      } catch {
        // already going away
      }
      live.channel.close();
    }
  }

  private async request(request: Req, options: { timeoutMs?: number; maxBytes?: number }, mayRetry: boolean): Promise<ExecResult> {
    const started = this.now();
    const timeoutMs = options.timeoutMs ?? 60_000;
    const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    const what = this.protocol.describe(request);
    const live = await this.session();
    live.requests++;
    this.inFlight++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const framed = this.protocol.frame(request, this.nonce, ++this.seq);
    const out = live.stdout.next(framed.stdout);
    const err = live.stderr.next(framed.stderr);
    live.channel.write(framed.send);
    let timer: ReturnType<typeof setTimeout> | null = null;
    let sizeTimer: ReturnType<typeof setInterval> | null = null;
    let onClose: ((e: Error) => void) | null = null;
    try {
      const [stdout, stderr] = await Promise.race([
        Promise.all([out, err]),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ExecError(`${what} did not finish within ${timeoutMs} ms`, 'timeout')), timeoutMs);
          sizeTimer = setInterval(() => {
            if (live.stdout.pendingChars + live.stderr.pendingChars > maxBytes) reject(new ExecError(`${what} printed more than ${maxBytes} bytes`, 'too-large'));
          }, 50);
          onClose = (e) => reject(e);
          live.onClose.add(onClose);
          if (live.closed) reject(live.closed);
        }),
      ]);
      const r = this.protocol.result(request, stdout.block, stderr.block, stdout.code);
      if (r.stdout.length + r.stderr.length > maxBytes) throw new ExecError(`${what} printed more than ${maxBytes} bytes`, 'too-large');
      return { ...r, signal: null, durationMs: this.now() - started };
    } catch (e) {
      // Another request failed (or the session was replaced) while this one was in flight: these are
      // read-only queries, so it is asked again once, on a new session.
      if (e instanceof SessionReset && mayRetry) return this.request(request, options, false);
      if (e instanceof SessionReset) throw new ExecError(`${what}: ${e.message}`, 'lost', { cause: e });
      // This answer is out of step or incomplete: the session cannot be trusted with the next request.
      if (this.live === live) this.reset(new SessionReset(`the session was restarted after ${what} failed: ${(e as Error).message}`));
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
      if (sizeTimer) clearInterval(sizeTimer);
      if (onClose) live.onClose.delete(onClose);
      this.inFlight--;
      if (this.inFlight === 0 && this.live === live) this.armIdle();
    }
  }

  private async session(): Promise<Live> {
    if (this.unavailable && this.now() < this.unavailable.until) throw this.unavailable.error;
    const live = this.live;
    const { maxAgeMs = 15 * 60_000, maxRequests = 1_000 } = this.options;
    if (live && !live.closed && this.now() - live.openedAt < maxAgeMs && live.requests < maxRequests) return live;
    if (live) this.reset(new SessionReset('the session was replaced (age or request count)'));
    this.starting ??= this.start()
      .catch((err: unknown) => {
        // A connection that is down says nothing about the remote program; anything else does.
        const cause = err instanceof SessionUnavailable ? err.cause : err;
        if (err instanceof SessionUnavailable && !(cause instanceof SshError)) {
          this.unavailable = { until: this.now() + (this.options.retryAfterMs ?? 2 * 60_000), error: err };
        }
        throw err;
      })
      .finally(() => {
        this.starting = null;
      });
    return this.starting;
  }

  private async start(): Promise<Live> {
    const startTimeoutMs = this.options.startTimeoutMs ?? 20_000;
    const program = this.protocol.argv[0] ?? 'session';
    let channel: SessionChannel;
    try {
      channel = await this.open(this.protocol.argv, { ...this.protocol.env });
    } catch (err) {
      throw new SessionUnavailable(`cannot start a ${program} session: ${(err as Error).message}`, { cause: err });
    }
    const live: Live = { channel, stdout: new Framer(), stderr: new Framer(), openedAt: this.now(), requests: 0, closed: null, onClose: new Set() };
    channel.on('data', (chunk) => live.stdout.push(chunk));
    channel.stderr.on('data', (chunk) => live.stderr.push(chunk));
    channel.on('close', () => {
      if (!live.closed) {
        live.closed = new ExecError(`the ${program} session closed before it answered (connection lost, or ${program} exited)`, 'lost');
        for (const f of [...live.onClose]) f(live.closed);
      }
      if (this.live === live) this.live = null;
    });
    // Whatever the program prints before its first request (configuration warnings) is not an answer.
    const framed = this.protocol.startup(this.nonce, ++this.seq);
    const ready = Promise.all([live.stdout.next(framed.stdout), live.stderr.next(framed.stderr)]);
    channel.write(framed.send);
    let timer: ReturnType<typeof setTimeout> | null = null;
    try {
      await Promise.race([
        ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${startTimeoutMs} ms`)), startTimeoutMs);
          live.onClose.add(reject);
          if (live.closed) reject(live.closed);
        }),
      ]);
    } catch (err) {
      channel.close();
      throw new SessionUnavailable(`the ${program} session did not start: ${(err as Error).message}`, { cause: err });
    } finally {
      if (timer) clearTimeout(timer);
      live.onClose.clear();
    }
    this.live = live;
    this.unavailable = null;
    this.armIdle();
    return live;
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(), this.options.idleMs ?? 5 * 60_000);
    (this.idleTimer as { unref?: () => void }).unref?.();
  }
}

function randomNonce(): string {
  return randomBytes(8).toString('hex');
}
