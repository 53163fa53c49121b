// Exit codes in JSON come in three shapes:
//   - a raw wait(2) status: squeue/scontrol in openapi v0.0.38 and data_parser v0.0.39 (`768` = exit 3),
//     wrapped as `{set, infinite, number}` from 23.02.4 on;
//   - `{status, return_code}` (+ `signal: {signal_id, name}`) in 22.05 sacct (dbv0.0.38);
//   - `{status: [...], return_code: {set,…}, signal: {id: {set,…}, name}}` from v0.0.40 on.
// Raw statuses go through the one exit-code parser; objects are read by their status.
import { z } from 'zod';
import type { ExitCode } from '../../model/run';
import { parseExitCode } from '../parse/exitcode';
import { FieldError, flexNumber, noValStruct, numberOrNull, readNumber } from './values';

const signalSchema = z
  .object({ id: flexNumber, signal_id: flexNumber, name: z.string().nullable().optional() })
  .partial()
  .nullable()
  .optional();

const exitObject = z.object({
  status: z.union([z.string(), z.array(z.string())]).nullable().optional(),
  return_code: flexNumber,
  signal: signalSchema,
});

export const flexExitCode = z.union([z.number(), noValStruct, exitObject, z.null()]).optional();
export type FlexExitCode = z.infer<typeof flexExitCode>;

/** The exit code, or null when the job has none (still pending/running: Slurm's NO_VAL, status PENDING). */
export function exitCodeFrom(v: FlexExitCode, field: string): ExitCode | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || 'set' in v) {
    const r = readNumber(v, field);
    if (r.kind !== 'value') return null;
    try {
      return parseExitCode(r.value);
    } catch (err) {
      throw new FieldError(field, err instanceof Error ? err.message : String(err));
    }
  }
  const status = (typeof v.status === 'string' ? [v.status] : (v.status ?? [])).map((s) => s.toUpperCase());
  const signal = numberOrNull(v.signal?.id ?? v.signal?.signal_id, `${field}.signal`);
  const code = numberOrNull(v.return_code, `${field}.return_code`);
  if (status.includes('SIGNALED') || status.includes('CORE_DUMPED')) {
    if (signal === null) throw new FieldError(field, 'signalled without a signal number');
    return { code: 0, signal };
  }
  if (status.includes('PENDING') || status.includes('INVALID')) return null;
  if (status.includes('SUCCESS') || status.includes('ERROR')) {
    if (code === null) return status.includes('SUCCESS') ? { code: 0, signal: 0 } : null;
    if (!Number.isInteger(code) || code < 0 || code > 255) throw new FieldError(field, `return code out of range: ${code}`);
    return { code, signal: 0 };
  }
  if (status.length === 0 && code !== null) return { code, signal: signal ?? 0 };
  throw new FieldError(field, `unknown exit status ${JSON.stringify(v.status)}`);
}

/**
 * sacct prints an exit status of 128 or more minus 128 (src/sacct/print.c: `if (tmp_int >= 128) tmp_int
 * -= 128`), so a script killed by its shell with SIGTERM reads `15:0`, not `143:0`. The JSON keeps the
 * real status; accounting runs take sacct's reading, so a run stores the same exit code whichever
 * format it was collected in (the text path cannot recover the 128).
 */
export function asSacctPrints(code: ExitCode | null): ExitCode | null {
  if (code === null || code.code < 128) return code;
  return { code: code.code - 128, signal: code.signal };
}
