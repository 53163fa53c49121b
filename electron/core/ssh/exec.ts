// Run one command as an exec channel on an open ssh2 connection, with a time limit and an output cap.
// The command line is always built from an argv array by shared/slurm/quote.ts.
import type { Client } from 'ssh2';
import { shellCommand } from '../../../shared/slurm/quote';

export interface ExecOptions {
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

export class ExecError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'too-large' | 'channel',
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

export function execArgv(client: Client, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const { timeoutMs = 60_000, maxBytes = 256 * 1024 * 1024, env = {} } = options;
  const command = shellCommand(argv, env);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(new ExecError(`cannot open a channel for ${argv[0]}: ${err.message}`, 'channel'));
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let bytes = 0;
      let settled = false;
      let code: number | null = null;
      let signal: string | null = null;
      const fail = (error: ExecError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        channel.close();
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new ExecError(`${argv[0]} did not finish within ${timeoutMs} ms`, 'timeout')),
        timeoutMs,
      );
      const collect = (sink: Buffer[]) => (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxBytes) return fail(new ExecError(`${argv[0]} printed more than ${maxBytes} bytes`, 'too-large'));
        sink.push(chunk);
      };
      channel.on('data', collect(out));
      channel.stderr.on('data', collect(errOut));
      channel.on('exit', (c: number | null, s?: string) => {
        code = c;
        signal = s ?? null;
      });
      channel.on('close', () => {
        if (settled) return;
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
    });
  });
}
