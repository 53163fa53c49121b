// Job states in JSON: a string in openapi v0.0.38 and data_parser v0.0.39 (already the single word squeue
// and sacct print), an array from v0.0.40 on: the base state plus its flags (`["PENDING", "REQUEUED"]`).
// squeue and sacct print one word, a recognised flag winning over the base state in the order of
// Slurm's job_state_string() (src/common/slurm_protocol_defs.c); we apply the same order, so a requeued
// run reads `REQUEUED` from either path. Flags job_state_string() does not print (UPDATE_DB,
// LAUNCH_FAILED, POWER_UP_NODE, RECONFIG_FAIL) are kept in `flags` but do not change the state.
import { z } from 'zod';
import type { JobState } from '../../model/job';
import { parseJobState } from '../parse/states';
import { FieldError } from './values';

export const flexJobState = z.union([z.string(), z.array(z.string())]);

/** job_state_string()'s order: the first of these flags present is the state printed. */
const FLAG_PRECEDENCE = ['COMPLETING', 'STAGE_OUT', 'CONFIGURING', 'RESIZING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'SPECIAL_EXIT', 'STOPPED', 'REVOKED', 'RESV_DEL_HOLD', 'SIGNALING'];

const BASE_STATES = new Set(['PENDING', 'RUNNING', 'SUSPENDED', 'COMPLETED', 'CANCELLED', 'FAILED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'OUT_OF_MEMORY']);

export interface JsonJobState {
  /** The single word squeue/sacct would print. */
  state: JobState;
  /** The base state when the JSON gives it (arrays); for a plain string, the string's own reading. */
  base: JobState | null;
  /** The state flags the JSON gives (empty for a plain string). */
  flags: string[];
}

export function jobStateFrom(value: string | string[], field: string): JsonJobState {
  try {
    if (typeof value === 'string') {
      const state = parseJobState(value).state;
      return { state, base: BASE_STATES.has(state) ? state : null, flags: [] };
    }
    if (value.length === 0) throw new FieldError(field, 'empty state list');
    const names = value.map((v) => v.trim().toUpperCase());
    const base = names.find((n) => BASE_STATES.has(n)) ?? null;
    const flags = names.filter((n) => n !== base);
    const printed = FLAG_PRECEDENCE.find((f) => flags.includes(f)) ?? base ?? (names[0] as string);
    return { state: parseJobState(printed).state, base, flags };
  } catch (err) {
    if (err instanceof FieldError) throw err;
    throw new FieldError(field, err instanceof Error ? err.message : String(err));
  }
}

/**
 * Whether squeue shows the job without `--states`: pending, running, suspended, completing or staging
 * out (src/squeue/print.c _filter_job). 22.05 `squeue --json` ignores that filter and lists every job
 * slurmctld still holds, finished ones included; applying it gives the text path's list.
 */
export function inDefaultSqueueStates(s: JsonJobState): boolean {
  if (s.base !== null && s.flags.length > 0) {
    return s.base === 'PENDING' || s.base === 'RUNNING' || s.base === 'SUSPENDED' || s.flags.includes('COMPLETING') || s.flags.includes('STAGE_OUT');
  }
  // A single word: base states, and the flag words whose jobs are still active (a held or requeued job is
  // pending, a configuring, resizing, stopped or signalled one is running).
  return ['PENDING', 'RUNNING', 'SUSPENDED', 'COMPLETING', 'STAGE_OUT', 'CONFIGURING', 'RESIZING', 'REQUEUED', 'REQUEUE_HOLD', 'SPECIAL_EXIT', 'STOPPED', 'RESV_DEL_HOLD', 'SIGNALING'].includes(s.state);
}
