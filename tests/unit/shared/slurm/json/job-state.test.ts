import { describe, expect, it } from 'vitest';
import { inDefaultSqueueStates, jobStateFrom } from '../../../../../shared/slurm/json/job-state';
import { FieldError } from '../../../../../shared/slurm/json/values';

describe('jobStateFrom', () => {
  it('reads the single word of v0.0.38/v0.0.39', () => {
    expect(jobStateFrom('REQUEUED', 's')).toEqual({ state: 'REQUEUED', base: null, flags: [] });
    expect(jobStateFrom('RUNNING', 's')).toEqual({ state: 'RUNNING', base: 'RUNNING', flags: [] });
  });

  it("prints arrays as squeue/sacct do: a recognised flag wins, in job_state_string()'s order", () => {
    // A requeued run in 24.11 sacct --json -D; sacct -P prints REQUEUED for it.
    expect(jobStateFrom(['PENDING', 'REQUEUED'], 's').state).toBe('REQUEUED');
    expect(jobStateFrom(['RUNNING', 'COMPLETING'], 's').state).toBe('COMPLETING');
    // COMPLETING comes before CONFIGURING in job_state_string().
    expect(jobStateFrom(['RUNNING', 'CONFIGURING', 'COMPLETING'], 's').state).toBe('COMPLETING');
    expect(jobStateFrom(['PENDING', 'REQUEUE_HOLD'], 's').state).toBe('REQUEUE_HOLD');
    // Flags job_state_string() does not print leave the base state.
    expect(jobStateFrom(['RUNNING', 'UPDATE_DB'], 's')).toEqual({ state: 'RUNNING', base: 'RUNNING', flags: ['UPDATE_DB'] });
    expect(jobStateFrom(['FAILED', 'LAUNCH_FAILED'], 's').state).toBe('FAILED');
  });

  it('keeps an unknown state of a newer Slurm as printed, and refuses junk', () => {
    expect(jobStateFrom(['BRAND_NEW_STATE'], 's').state).toBe('BRAND_NEW_STATE');
    expect(() => jobStateFrom([], 'state.current')).toThrow(FieldError);
    expect(() => jobStateFrom('12 45', 'job_state')).toThrow(FieldError);
  });
});

describe('inDefaultSqueueStates', () => {
  it("keeps what squeue shows without --states: pending, running, suspended, completing", () => {
    const shown = (v: string | string[]) => inDefaultSqueueStates(jobStateFrom(v, 's'));
    expect(['PENDING', 'RUNNING', 'SUSPENDED', 'COMPLETING', 'CONFIGURING', 'REQUEUE_HOLD'].every((s) => shown(s))).toBe(true);
    expect(['COMPLETED', 'CANCELLED', 'FAILED', 'TIMEOUT', 'PREEMPTED', 'NODE_FAIL', 'OUT_OF_MEMORY'].some((s) => shown(s))).toBe(false);
    expect(shown(['COMPLETED', 'COMPLETING'])).toBe(true);
    expect(shown(['CANCELLED', 'STAGE_OUT'])).toBe(true);
    expect(shown(['CANCELLED', 'UPDATE_DB'])).toBe(false);
    expect(shown(['PENDING', 'REQUEUED'])).toBe(true);
  });
});
