// Run one command as an exec channel on an open ssh2 connection, with a time limit and an output cap.
// The command line is always built from an argv array by shared/slurm/quote.ts.
import type { Client, ClientChannel } from 'ssh2';
import { shellCommand } from '../../../shared/slurm/quote';

export interface ExecOptions {
  /** Limit for the whole call, from asking for a channel to the channel's close. */
  timeoutMs?: number;
  /** Cap on stdout + stderr bytes; past it the channel is closed and the call fails. */
  maxBytes?: number;
  env?: Record<string, string>;
}

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * How a command failed, as opposed to what it printed:
 * - `refused`: the server would not open a channel (e.g. sshd's MaxSessions); the command never started.
 * - `channel`: the channel opened but the exec request failed, or the client was not connected.
 * - `timeout` / `too-large`: our limits; the remote process is sent SIGTERM and the channel closed.
 * - `lost`: the channel closed without an exit status (the connection dropped): the command may or may
 *   not have run to completion, so callers must not assume either.
 */
export type ExecErrorKind = 'refused' | 'channel' | 'timeout' | 'too-large' | 'lost';

export class ExecError extends Error {
  /** Whether the command reached the server (and may have had effects). */
  readonly started: boolean;

  constructor(
    message: string,
    readonly kind: ExecErrorKind,
    options?: { cause?: unknown; started?: boolean },
  ) {
    super(message, options);
    this.name = 'ExecError';
    this.started = options?.started ?? (kind === 'timeout' || kind === 'too-large' || kind === 'lost');
  }
}

/** ssh2 reports a refused channel open as "(SSH) Channel open failure: ..." (reason code on `.reason`). */
function isChannelOpenFailure(err: Error): boolean {
  return /^\(SSH\) Channel open failure/.test(err.message) || /No free channels available/.test(err.message);
}

export function execArgv(client: Client, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const { timeoutMs = 60_000, maxBytes = 256 * 1024 * 1024, env = {} } = options;
  const command = shellCommand(argv, env);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let settled = false;
    let channel: ClientChannel | null = null;
    const fail = (error: ExecError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (channel) {
        // Closing the channel alone leaves a non-pty command running on the login node until it next
        // writes; ask sshd to signal it first (ignored by servers without "signal" support).
        if (error.kind === 'timeout' || error.kind === 'too-large') channel.signal('TERM');
        channel.close();
      }
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new ExecError(`${argv[0]} did not finish within ${timeoutMs} ms`, 'timeout')),
      timeoutMs,
    );
    const opened = (err: Error | undefined, ch: ClientChannel) => {
      if (err) {
        const kind = isChannelOpenFailure(err) ? 'refused' : 'channel';
        return fail(new ExecError(`cannot open a channel for ${argv[0]}: ${err.message}`, kind, { cause: err }));
      }
      channel = ch;
      if (settled) {
        // Timed out while the channel was being opened.
        ch.close();
        return;
      }
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let bytes = 0;
      let code: number | null = null;
      let signal: string | null = null;
      let exited = false;
      const collect = (sink: Buffer[]) => (chunk: Buffer) => {
        if (settled) return;
        bytes += chunk.length;
        if (bytes > maxBytes) return fail(new ExecError(`${argv[0]} printed more than ${maxBytes} bytes`, 'too-large'));
        sink.push(chunk);
      };
      ch.on('data', collect(out));
      ch.stderr.on('data', collect(errOut));
      ch.on('exit', (c: number | null, s?: string) => {
        exited = true;
        code = c;
        signal = s ?? null;
      });
      ch.on('close', () => {
        if (settled) return;
        if (!exited) {
          return fail(new ExecError(`the channel running ${argv[0]} closed before the command exited (connection lost?)`, 'lost'));
        }
        settled = true;
        clearTimeout(timer);
        resolve({
          code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(errOut).toString('utf8'),
          durationMs: Date.now() - started,
        });
      });
    };
    try {
      client.exec(command, opened);
    } catch (err) {
      // ssh2 throws synchronously when the socket is no longer writable.
      fail(new ExecError(`cannot run ${argv[0]}: ${(err as Error).message}`, 'channel', { cause: err }));
    }
  });
}
