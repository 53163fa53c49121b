import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRetryableMessage, parseScontrolOutcome } from '../../../../shared/actions/scontrol-outcome';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../../fixtures/slurm/scontrol-actions', name), 'utf8');

describe('parseScontrolOutcome', () => {
  it('attributes each refusal to its id; ids scontrol does not name were accepted (22.05, several ids in one call)', () => {
    const out = parseScontrolOutcome(['1130', '1132', '999999', '1131'], { code: 1, stdout: '', stderr: fixture('requeue-mixed-22.05.stderr') });
    expect(out.get('1130')).toEqual({ status: 'done', retryable: false, message: null, exitCode: 1 });
    expect(out.get('1132')).toEqual({ status: 'failed', retryable: false, message: 'Access/permission denied for job 1132', exitCode: 1 });
    expect(out.get('999999')).toMatchObject({ status: 'failed', retryable: false, message: 'Invalid job id specified for job 999999' });
    expect(out.get('1131')).toMatchObject({ status: 'failed', retryable: false, message: 'Job is pending execution for job 1131' });
  });

  it('release of another user\'s job (24.11): the per-job line counts, the general line repeats it', () => {
    const out = parseScontrolOutcome(['110'], { code: 1, stdout: '', stderr: fixture('release-other-user-24.11.stderr') });
    expect(out.get('110')).toMatchObject({ status: 'failed', retryable: false, message: 'Invalid user id for job 110' });
  });

  it('all ids invalid (24.11)', () => {
    const out = parseScontrolOutcome(['999999', '99998'], { code: 1, stdout: '', stderr: fixture('requeue-invalid-24.11.stderr') });
    expect([...out.values()].map((o) => o.status)).toEqual(['failed', 'failed']);
  });

  it('exit 0 and silence: every id done', () => {
    const out = parseScontrolOutcome(['1', '2_3'], { code: 0, stdout: '', stderr: '' });
    expect([...out.values()].map((o) => o.status)).toEqual(['done', 'done']);
  });

  it('a failure of the whole call: retryable; never-sent when the controller was not reached, else unknown', () => {
    const down = parseScontrolOutcome(['1', '2'], { code: 1, stdout: '', stderr: 'slurm_requeue error: Unable to contact slurm controller (connect failure)\n' });
    expect(down.get('1')).toMatchObject({ status: 'failed', retryable: true });
    const timeout = parseScontrolOutcome(['1'], { code: 1, stdout: '', stderr: 'Socket timed out on send/recv operation\n' });
    expect(timeout.get('1')).toMatchObject({ status: 'unknown', retryable: true });
    const silent = parseScontrolOutcome(['1'], { code: 1, stdout: '', stderr: '' });
    expect(silent.get('1')).toMatchObject({ status: 'unknown', retryable: true, message: 'scontrol exited 1 without a message' });
  });

  it('array task ids and "presently disabled"', () => {
    const out = parseScontrolOutcome(['5_1', '5_2'], { code: 1, stdout: '', stderr: 'Requested operation is presently disabled for job 5_2\n' });
    expect(out.get('5_1')?.status).toBe('done');
    expect(out.get('5_2')).toMatchObject({ status: 'failed', retryable: false });
  });

  it('classifies retryable messages', () => {
    expect(isRetryableMessage('Access/permission denied for job 3')).toBe(false);
    expect(isRetryableMessage('Job is pending execution for job 3')).toBe(false);
    expect(isRetryableMessage('Resource temporarily unavailable')).toBe(true);
    expect(isRetryableMessage('Zero Bytes were transmitted or received')).toBe(true);
  });
});
