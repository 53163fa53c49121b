import { describe, expect, it } from 'vitest';
import { inferPreemptor, preemptBasis, sortByStart, type InferenceRules, type PreemptionVictim, type PreemptorCandidate } from '../../../../shared/preemption/infer-preemptor';

const T = 1_795_700_000;
const victim: PreemptionVictim = { jobIdRaw: 100, partition: 'gpu-low', qos: 'low', endTime: T, nodes: ['gpu-a100-01'] };
const rules: InferenceRules = { windowSeconds: 120, skewSeconds: 5, partitionTiers: null };

function cand(over: Partial<PreemptorCandidate> & { jobIdRaw: number }): PreemptorCandidate {
  return { jobId: String(over.jobIdRaw), user: 'opsuser', account: 'vision', partition: 'gpu', qos: 'high', startTime: T + 1, nodes: ['gpu-a100-01'], ...over };
}

const infer = (v: PreemptionVictim, cs: PreemptorCandidate[], r: InferenceRules = rules) => inferPreemptor(v, sortByStart(cs), r);

describe('inferPreemptor', () => {
  it('infers a run of another job that started on the same node within 5 s', () => {
    const p = infer(victim, [cand({ jobIdRaw: 200, startTime: T + 4 })]);
    expect(p).toMatchObject({ jobIdRaw: 200, secondsAfter: 4, sharedNodes: ['gpu-a100-01'], basis: 'qos' });
  });

  it('finds none when the only run started on a different node', () => {
    expect(infer(victim, [cand({ jobIdRaw: 200, nodes: ['gpu-a100-02'] })])).toBeNull();
  });

  it('picks the closest of two candidates, whichever order they come in', () => {
    const far = cand({ jobIdRaw: 200, startTime: T + 40 });
    const near = cand({ jobIdRaw: 300, startTime: T + 2 });
    expect(infer(victim, [far, near])?.jobIdRaw).toBe(300);
    expect(infer(victim, [near, far])?.jobIdRaw).toBe(300);
  });

  it('accepts a start recorded up to the skew before the end, and nothing outside the window', () => {
    expect(infer(victim, [cand({ jobIdRaw: 200, startTime: T - 3 })])?.secondsAfter).toBe(-3);
    expect(infer(victim, [cand({ jobIdRaw: 200, startTime: T - 6 })])).toBeNull();
    expect(infer(victim, [cand({ jobIdRaw: 200, startTime: T + 121 })])).toBeNull();
    expect(infer(victim, [cand({ jobIdRaw: 200, startTime: T + 120 })])?.jobIdRaw).toBe(200);
  });

  it("never names the victim's own next run (same job id after its requeue)", () => {
    expect(infer(victim, [cand({ jobIdRaw: 100, startTime: T + 1, qos: 'low' })])).toBeNull();
  });

  it('on equal distance prefers more shared nodes', () => {
    const v = { ...victim, nodes: ['n1', 'n2'] };
    const one = cand({ jobIdRaw: 200, nodes: ['n1', 'x'] });
    const two = cand({ jobIdRaw: 300, nodes: ['n2', 'n1'] });
    expect(infer(v, [one, two])?.jobIdRaw).toBe(300);
    expect(infer(v, [one, two])?.sharedNodes.sort()).toEqual(['n1', 'n2']);
  });

  it('partition preemption: a higher tier can preempt, the same tier and QOS cannot', () => {
    const tiers = new Map([
      ['preemptible', 1],
      ['prod', 10],
      ['debug', 5],
    ]);
    const v: PreemptionVictim = { jobIdRaw: 1, partition: 'preemptible', qos: 'normal', endTime: T, nodes: ['dgx-h100-01'] };
    const prod = cand({ jobIdRaw: 2, partition: 'prod', qos: 'normal', nodes: ['dgx-h100-01'], startTime: T + 3 });
    const same = cand({ jobIdRaw: 3, partition: 'preemptible', qos: 'normal', nodes: ['dgx-h100-01'], startTime: T });
    const r = { ...rules, partitionTiers: tiers };
    // `same` starts closer but cannot have preempted: same QOS, same tier.
    expect(infer(v, [prod, same], r)).toMatchObject({ jobIdRaw: 2, basis: 'partition-tier', why: 'partition prod (tier 10) > preemptible (tier 1)' });
    expect(infer(v, [same], r)).toBeNull();
    // Without partition data the same-QOS run is kept, marked unchecked.
    expect(infer(v, [same], rules)).toMatchObject({ jobIdRaw: 3, basis: 'unchecked' });
  });

  it('a victim without nodes has no preemptor', () => {
    expect(infer({ ...victim, nodes: [] }, [cand({ jobIdRaw: 2 })])).toBeNull();
  });

  it('handles many candidates by looking only near the end time', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => cand({ jobIdRaw: 1000 + i, startTime: T - 50_000 + i * 10, nodes: [`n${i % 7}`] }));
    const p = infer({ ...victim, nodes: ['n3'] }, many);
    expect(p).not.toBeNull();
    expect(Math.abs(p!.secondsAfter)).toBeLessThanOrEqual(70);
    expect(p!.sharedNodes).toEqual(['n3']);
  });
});

describe('preemptBasis', () => {
  it('a different QOS is a QOS-preemption basis even when tiers are equal', () => {
    const tiers = new Map([['gpu', 1]]);
    expect(preemptBasis({ partition: 'gpu', qos: 'low' }, { partition: 'gpu', qos: 'high' }, tiers)?.basis).toBe('qos');
  });
  it('a lower tier in the same QOS cannot preempt', () => {
    const tiers = new Map([
      ['a', 5],
      ['b', 1],
    ]);
    expect(preemptBasis({ partition: 'a', qos: 'q' }, { partition: 'b', qos: 'q' }, tiers)).toBeNull();
  });
});
