// Exit codes. Text outputs (sacct ExitCode/DerivedExitCode, scontrol ExitCode=) print `code:signal`; the
// 22.05 JSON (openapi v0.0.38) gives the raw wait(2) status as an integer (768 = exit 3, 9 = killed by
// SIGKILL, 137 = SIGKILL with a core-dump bit clear...). Both end in the model's `ExitCode`.
import type { ExitCode } from '../../model/run';
import { SlurmParseError } from './errors';

/** Slurm's NO_VAL / INFINITE markers for "no exit code yet" (pending or running jobs). */
const UNSET_STATUS = new Set([0xfffffffe, 0xffffffff, -1, -2]);

function fromWaitStatus(status: number, input: string): ExitCode | null {
  if (!Number.isInteger(status)) throw new SlurmParseError('exitcode', 'not an integer wait status', input);
  if (UNSET_STATUS.has(status)) return null;
  if (status < 0 || status > 0xffff) throw new SlurmParseError('exitcode', 'wait status out of range', input);
  const signal = status & 0x7f;
  // WIFEXITED: low 7 bits zero, code in the next byte. WIFSIGNALED: low 7 bits are the signal (0x7f is
  // WIFSTOPPED, which a finished job never reports). Slurm prints signalled jobs as `0:<signal>`.
  if (signal === 0) return { code: (status >> 8) & 0xff, signal: 0 };
  if (signal === 0x7f) throw new SlurmParseError('exitcode', 'stopped, not finished, wait status', input);
  return { code: 0, signal };
}

/**
 * Parse `code:signal` text, or a raw wait status (number, or a string of digits from a JSON field).
 * Returns null for Slurm's "not set" markers (NO_VAL), and for an empty field.
 */
export function parseExitCode(input: string | number): ExitCode | null {
  if (typeof input === 'number') return fromWaitStatus(input, String(input));
  const s = input.trim();
  if (s === '' || s === 'N/A') return null;
  const m = /^(\d{1,3}):(\d{1,3})$/.exec(s);
  if (m) {
    const code = Number(m[1]);
    const signal = Number(m[2]);
    if (code > 255 || signal > 255) throw new SlurmParseError('exitcode', 'code or signal out of range', input);
    return { code, signal };
  }
  if (/^\d{1,10}$/.test(s)) return fromWaitStatus(Number(s), input);
  throw new SlurmParseError('exitcode', 'not code:signal or a wait status', input);
}
