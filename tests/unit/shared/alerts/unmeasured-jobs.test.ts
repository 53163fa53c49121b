// A running job the utilization source had no sample for this round: its allocated-but-idle alert must
// neither resolve nor change (missing data is not "busy again"); a job measured busy does resolve.
import { describe, expect, it } from 'vitest';
import { evaluateRules } from '../../../../shared/alerts/evaluate';
import { advance } from '../../../../shared/alerts/lifecycle';
import { input, MIN, reading, runningJob, settings, T0 } from './builders';

describe('allocated-idle with missing samples', () => {
  it('keeps an open idle alert of an unmeasured job and resolves the one measured busy', () => {
    const s = settings({ global: { idleMinutes: 0, resolveAfterMinutes: 0 } });
    const jobs = [runningJob(1, 1, { nodes: ['n1'] }), runningJob(2, 1, { nodes: ['n2'] })];
    const first = evaluateRules(input({ at: T0, jobs, utilization: reading([{ jobId: '1', perGpu: [['n1', 0, 0]] }, { jobId: '2', perGpu: [['n2', 0, 1]] }]) }), s);
    const opened = advance({ cluster: 'alpha', at: T0, previous: [], ...first, settings: s });
    expect(opened.events.map((e) => `${e.kind} ${e.subject}`).sort()).toEqual(['opened job:1', 'opened job:2']);
    // Next round: job 1 has no sample (its node did not answer), job 2 is busy.
    const second = evaluateRules(input({ at: T0 + MIN, jobs, utilization: reading([{ jobId: '2', perGpu: [['n2', 0, 97]] }]) }), s);
    expect(second.unknown).toEqual([{ rule: 'allocated-idle', subject: 'job:1' }]);
    const next = advance({ cluster: 'alpha', at: T0 + MIN, previous: opened.changed, ...second, settings: s });
    expect(next.events.map((e) => `${e.kind} ${e.subject}`)).toEqual(['resolved job:2']);
    expect(next.changed.map((c) => c.subject)).toEqual(['job:2']);
  });
});
