// The preemption history's columns: what the core encodes, the renderer decodes to the same rows
// (nullable fields, the flattened preemptor, values a Uint32 cannot hold), the contract checks the
// column layout strictly, and malformed columns are refused.
import { describe, expect, it } from 'vitest';
import { encodeRequeues, encodeRuns } from '../../../../../electron/core/api/preemption-columns';
import { ColumnCodecError, DictBuilder, encodeF64, encodeU32 } from '../../../../../shared/api/column-codec';
import { PreemptionHistory, type PreemptedRun, type RequeueCount } from '../../../../../shared/api/methods/preemptions';
import { decodePreemptions } from '../../../../../renderer/src/views/preemptions/preemptions-data';

const base: PreemptedRun = {
  cluster: 'alpha',
  jobId: '10',
  jobIdRaw: 10,
  name: 'train',
  user: 'ana',
  account: 'ml',
  partition: 'preemptible',
  qos: 'normal',
  state: 'PREEMPTED',
  gpus: 4,
  gpuTypes: 'h100:4',
  nodesExpr: 'n[1-2]',
  submitTime: 1_700_000_000,
  startTime: 1_700_000_010,
  endTime: 1_700_005_410,
  lostSeconds: 5400,
  gpuSecondsLost: 21_600,
  restarts: 2,
  day: '2023-11-14',
  preemptor: {
    jobId: '12_3',
    jobIdRaw: 12,
    user: 'bo',
    account: 'prod',
    partition: 'prod',
    qos: 'high',
    startTime: 1_700_005_407,
    secondsAfter: -3,
    sharedNodes: ['n1', 'n2'],
    basis: 'partition-tier',
    why: 'partition prod (tier 10) > preemptible (tier 1)',
  },
};

const runs: PreemptedRun[] = [
  base,
  // No preemptor, nullable fields null, GPU-seconds past 2^32 (512 GPUs for 100 days).
  { ...base, cluster: 'beta', jobId: '20', jobIdRaw: 20, state: 'REQUEUED', gpus: 512, gpuTypes: '', nodesExpr: null, submitTime: null, startTime: null, lostSeconds: 8_640_000, gpuSecondsLost: 4_423_680_000, restarts: null, preemptor: null },
  // A preemptor with no shared node names and the empty string where strings may be empty.
  { ...base, jobId: '30', jobIdRaw: 30, name: '', preemptor: { ...base.preemptor!, sharedNodes: [], secondsAfter: 120, basis: 'unchecked', why: '' } },
];
const requeues: RequeueCount[] = [
  { cluster: 'beta', jobId: '20', jobIdRaw: 20, preempted: 0, requeued: 1, gpuSecondsLost: 4_423_680_000, restarts: null },
  { cluster: 'alpha', jobId: '10', jobIdRaw: 10, preempted: 2, requeued: 0, gpuSecondsLost: 21_600, restarts: 2 },
];
const clusters = [
  { name: 'alpha', timeZone: 'Europe/Berlin', accountingAt: 1_700_007_200, partitionTiersKnown: true },
  { name: 'beta', timeZone: 'UTC', accountingAt: null, partitionTiersKnown: false },
];
const totals = { byAccount: [], byQos: [], byPartition: [], byDay: [] };
const rule = { windowSeconds: 120, skewSeconds: 5, text: 'inferred' };

function wire(rs = runs, rq = requeues): PreemptionHistory {
  const names = clusters.map((c) => c.name);
  return { from: 1, to: 2, clusters, count: rs.length, runs: encodeRuns(rs, names), totals, requeueCount: rq.length, requeues: encodeRequeues(rq, names), rule };
}

describe('preemption history columns', () => {
  it('decode to exactly the rows the core encoded, and pass the contract', () => {
    const h = PreemptionHistory.parse(wire());
    expect(decodePreemptions(h)).toEqual({ from: 1, to: 2, clusters, runs, totals, requeues, rule });
    const empty = decodePreemptions(PreemptionHistory.parse(wire([], [])));
    expect(empty.runs).toEqual([]);
    expect(empty.requeues).toEqual([]);
  });

  it('the contract refuses unknown or missing columns', () => {
    const h = wire();
    expect(() => PreemptionHistory.parse({ ...h, runs: { ...h.runs, extra: '' } })).toThrow();
    const { preemptorWhy: _why, ...missing } = h.runs;
    expect(() => PreemptionHistory.parse({ ...h, runs: missing })).toThrow();
    expect(() => PreemptionHistory.parse({ ...h, requeues: { ...h.requeues, extra: '' } })).toThrow();
  });

  it('the encoder refuses values its Uint32 columns cannot hold and runs of clusters not listed', () => {
    expect(() => encodeRuns([{ ...base, lostSeconds: -1 }], ['alpha'])).toThrow(ColumnCodecError);
    expect(() => encodeRuns([{ ...base, jobIdRaw: 2 ** 32 }], ['alpha'])).toThrow(ColumnCodecError);
    expect(() => encodeRuns([base], ['beta'])).toThrow(/does not list/);
  });

  it('refuses malformed columns: wrong length, unknown cluster, half a preemptor, bad basis, fractions', () => {
    const h = wire();
    expect(() => decodePreemptions({ ...h, count: 2 })).toThrow(ColumnCodecError);
    expect(() => decodePreemptions({ ...h, clusters: clusters.slice(0, 1) })).toThrow(/names cluster 1 of 1/);
    const dict = (values: (string | null)[]) => {
      const b = new DictBuilder(values.length);
      for (const v of values) b.push(v);
      return b.build();
    };
    expect(() => decodePreemptions({ ...h, runs: { ...h.runs, preemptorBasis: dict(['partition-tier', 'qos', 'unchecked']) } })).toThrow(/without a preemptor job id/);
    expect(() => decodePreemptions({ ...h, runs: { ...h.runs, preemptorBasis: dict(['magic', null, 'qos']) } })).toThrow(/unknown preemptor basis/);
    expect(() => decodePreemptions({ ...h, runs: { ...h.runs, user: dict(['a', null, 'c']) } })).toThrow(/user is missing/);
    expect(() => decodePreemptions({ ...h, runs: { ...h.runs, gpuSecondsLost: encodeF64(Float64Array.from([1.5, 2, 3])) } })).toThrow(/not an integer/);
    expect(() => decodePreemptions({ ...h, requeues: { ...h.requeues, requeued: encodeU32(Uint32Array.from([0xffffffff, 0])) } })).toThrow(/requeued is missing/);
  });
});
