// One long-lived interactive `scontrol -d -o` per cluster connection, fed `show node`, `show partition`,
// `show reservation` and `show job` on its stdin.
//
// Why: a Slurm client spends most of a small answer starting up (reading slurm.conf, loading plugins:
// ~3.5 ms of the ~5 ms of `scontrol show partition` on the test bed, before the SSH channel's own cost),
// and an interactive scontrol also keeps the last answer and sends slurmctld its time, so an unchanged
// table comes back as "no change" instead of the whole table. A `show` in a warm session costs ~1 ms.
//
// Framing. scontrol answers each command in order and flushes after each one (readline builds also echo
// the command after a `scontrol: ` prompt; builds without readline print the prompt with no newline).
// After each request we send two commands that touch nothing:
//   show hostnames co<nonce>x<seq>   → prints the line `co<nonce>x<seq>` on stdout (hostlist expansion, no RPC)
//   co-mark-<nonce>-<seq>            → "invalid keyword: co-mark-…" on stderr
// so everything on stdout before the first line and on stderr before the second is that request's answer.
// The nonce is random per session, so no answer can contain a marker by accident.
//
// Failures: a request that outlives its deadline or its byte cap closes the session (the next request
// opens a new one); a session whose channel closes fails its requests as `lost` (like an exec channel).
// A session that cannot start (no channel, scontrol missing, no answer to the first markers) throws
// SessionUnavailable, and callers run the command as a plain exec instead.
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { SshError } from '../ssh/errors';
import { ExecError, type ExecResult } from '../ssh/exec';

/** The parts of an ssh2 exec channel the session uses. */
export interface SessionChannel {
  write(data: string): unknown;
  end(): unknown;
  close(): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
}

export type OpenSessionChannel = (argv: readonly string[], env: Record<string, string>) => Promise<SessionChannel>;

export interface ScontrolSessionOptions {
  /** A session older than this is replaced before its next request (picks up slurm.conf changes). */
  maxAgeMs?: number;
  /** Requests before the session is replaced (bounds anything scontrol keeps growing). */
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

/** What the session runs with: every `show` the collectors need, timestamps as epoch seconds. */
export const SESSION_ARGV: readonly string[] = ['scontrol', '-a', '-d', '-o'];
export const SESSION_ENV: Readonly<Record<string, string>> = { SLURM_TIME_FORMAT: '%s' };
const ENTITIES = new Set(['node', 'partition', 'reservation', 'job']);

/**
 * The session's words for a one-shot command it answers identically, else null: `scontrol -a -o` (and
 * `-d`, required for `show node` and `show job`, whose details it adds) before
 * `show <node|partition|reservation|job>` with nothing after, and the same environment. (`-d` adds
 * nothing to partitions and reservations, checked on 22.05 and 24.11.)
 */
export function sessionWords(argv: readonly string[], env: Readonly<Record<string, string>>): string[] | null {
  if (argv[0] !== 'scontrol') return null;
  if (Object.keys(env).length !== 1 || env.SLURM_TIME_FORMAT !== SESSION_ENV.SLURM_TIME_FORMAT) return null;
  const flags = new Set<string>();
  let i = 1;
  for (; i < argv.length && argv[i]?.startsWith('-'); i++) flags.add(argv[i] as string);
  if (!flags.has('-a') || !flags.has('-o') || [...flags].some((f) => f !== '-a' && f !== '-o' && f !== '-d')) return null;
  const entity = argv[i + 1] as string;
  if (argv[i] !== 'show' || !ENTITIES.has(entity) || argv.length !== i + 2) return null;
  if ((entity === 'node' || entity === 'job') && !flags.has('-d')) return null;
  return ['show', entity];
}

const PROMPT = 'scontrol: ';

/** One stream's text, cut into blocks at marker lines. */
class Framer {
  private text = '';
  private readonly decoder = new StringDecoder('utf8');
  private waiter: { find: (text: string) => { block: string; rest: number } | null; resolve: (block: string) => void } | null = null;

  push(chunk: Buffer): void {
    this.text += this.decoder.write(chunk);
    this.check();
  }

  get pendingChars(): number {
    return this.text.length;
  }

  next(find: (text: string) => { block: string; rest: number } | null): Promise<string> {
    return new Promise((resolve) => {
      this.waiter = { find, resolve };
      this.check();
    });
  }

  private check(): void {
    if (!this.waiter) return;
    const hit = this.waiter.find(this.text);
    if (!hit) return;
    const { resolve } = this.waiter;
    this.waiter = null;
    this.text = this.text.slice(hit.rest);
    resolve(hit.block);
  }
}

/** stdout: the block ends at a line that is the marker, possibly after prompts (no-readline builds). */
function findStdoutMarker(marker: string) {
  return (text: string) => {
    for (let at = text.indexOf(`${marker}\n`); at !== -1; at = text.indexOf(`${marker}\n`, at + 1)) {
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const before = text.slice(lineStart, at);
      if (before.split(PROMPT).every((p) => p === '')) return { block: text.slice(0, lineStart), rest: at + marker.length + 1 };
    }
    return null;
  };
}

/** stderr: the block ends at the line that names the mark ("invalid keyword: co-mark-…"). */
function findStderrMarker(mark: string) {
  return (text: string) => {
    const at = text.indexOf(mark);
    if (at === -1) return null;
    const end = text.indexOf('\n', at);
    if (end === -1) return null;
    return { block: text.slice(0, text.lastIndexOf('\n', at) + 1), rest: end + 1 };
  };
}

/** Drop prompts, echoed commands and our markers' echoes from a stdout block. */
function cleanStdout(block: string, sent: ReadonlySet<string>): string {
  const out: string[] = [];
  for (let line of block.split('\n')) {
    while (line.startsWith(PROMPT)) line = line.slice(PROMPT.length);
    if (line === '' || line === PROMPT.trimEnd() || sent.has(line) || /^show hostnames co[a-z0-9]+x\d+$/.test(line) || /^co-mark-[a-z0-9]+-\d+$/.test(line)) continue;
    out.push(line);
  }
  return out.length ? `${out.join('\n')}\n` : '';
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

export class ScontrolSession {
  /** Jobs in the last queue read (the queue collector's hint for choosing its source). */
  lastQueueSize: number | null = null;
  private live: Live | null = null;
  private starting: Promise<Live> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private unavailable: { until: number; error: SessionUnavailable } | null = null;
  private readonly nonce: string;
  private readonly now: () => number;

  constructor(
    private readonly open: OpenSessionChannel,
    private readonly options: ScontrolSessionOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.nonce = (options.nonce ?? randomNonce)();
    if (!/^[a-z0-9]+$/.test(this.nonce)) throw new RangeError('session nonce must be [a-z0-9]+');
  }

  /** Answer `words` (e.g. ['show', 'node']) as the one-shot command would. Requests run one at a time. */
  run(words: readonly string[], options: { timeoutMs?: number; maxBytes?: number } = {}): Promise<ExecResult> {
    for (const w of words) if (!/^[a-z_]+$/.test(w)) return Promise.reject(new RangeError(`refusing scontrol word ${JSON.stringify(w)}`));
    const result = this.tail.then(
      () => this.request(words, options),
      () => this.request(words, options),
    );
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Whether a session is open now. */
  get isOpen(): boolean {
    return this.live !== null && this.live.closed === null;
  }

  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const live = this.live;
    this.live = null;
    if (live && !live.closed) {
      try {
        live.channel.write('quit\n');
        live.channel.end();
      } catch {
        // already going away
      }
      live.channel.close();
    }
  }

  private async request(words: readonly string[], options: { timeoutMs?: number; maxBytes?: number }): Promise<ExecResult> {
    const started = this.now();
    const timeoutMs = options.timeoutMs ?? 60_000;
    const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    const live = await this.session();
    const what = `scontrol ${words.join(' ')}`;
    live.requests++;
    const seq = ++this.seq;
    const marker = `co${this.nonce}x${seq}`;
    const mark = `co-mark-${this.nonce}-${seq}`;
    const line = words.join(' ');
    const out = live.stdout.next(findStdoutMarker(marker));
    const err = live.stderr.next(findStderrMarker(mark));
    live.channel.write(`${line}\nshow hostnames ${marker}\n${mark}\n`);
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
      const text = cleanStdout(stdout, new Set([line]));
      if (text.length + stderr.length > maxBytes) throw new ExecError(`${what} printed more than ${maxBytes} bytes`, 'too-large');
      this.armIdle();
      // scontrol reports a failed RPC on stderr (slurm_perror) and prints nothing for that command.
      const failed = stderr.trim() !== '' && text.trim() === '';
      return { code: failed ? 1 : 0, signal: null, stdout: text, stderr, durationMs: this.now() - started };
    } catch (e) {
      // The answer is out of step or incomplete: this session cannot be trusted with the next request.
      if (this.live === live) this.close();
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
      if (sizeTimer) clearInterval(sizeTimer);
      if (onClose) live.onClose.delete(onClose);
    }
  }

  private async session(): Promise<Live> {
    if (this.unavailable && this.now() < this.unavailable.until) throw this.unavailable.error;
    const live = this.live;
    const { maxAgeMs = 15 * 60_000, maxRequests = 1_000 } = this.options;
    if (live && !live.closed && this.now() - live.openedAt < maxAgeMs && live.requests < maxRequests) return live;
    if (live) this.close();
    this.starting ??= this.start()
      .catch((err: unknown) => {
        // A connection that is down says nothing about scontrol; anything else does: stop trying a while.
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
    let channel: SessionChannel;
    try {
      channel = await this.open(SESSION_ARGV, { ...SESSION_ENV });
    } catch (err) {
      throw new SessionUnavailable(`cannot start a scontrol session: ${(err as Error).message}`, { cause: err });
    }
    const live: Live = { channel, stdout: new Framer(), stderr: new Framer(), openedAt: this.now(), requests: 0, closed: null, onClose: new Set() };
    channel.on('data', (chunk) => live.stdout.push(chunk));
    channel.stderr.on('data', (chunk) => live.stderr.push(chunk));
    channel.on('close', () => {
      live.closed = new ExecError('the scontrol session closed before it answered (connection lost, or scontrol exited)', 'lost');
      for (const f of live.onClose) f(live.closed);
      if (this.live === live) this.live = null;
    });
    // Whatever scontrol prints before its first command (configuration warnings) is not an answer.
    const seq = ++this.seq;
    const marker = `co${this.nonce}x${seq}`;
    const mark = `co-mark-${this.nonce}-${seq}`;
    const ready = Promise.all([live.stdout.next(findStdoutMarker(marker)), live.stderr.next(findStderrMarker(mark))]);
    channel.write(`show hostnames ${marker}\n${mark}\n`);
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
      throw new SessionUnavailable(`the scontrol session did not start: ${(err as Error).message}`, { cause: err });
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
