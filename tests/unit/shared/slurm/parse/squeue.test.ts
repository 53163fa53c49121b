import { describe, expect, it } from 'vitest';
import { squeueCommand } from '../../../../../shared/slurm/commands';
import { parseSqueue, SQUEUE_FIELDS } from '../../../../../shared/slurm/parse/squeue';
import { expectTypedOutcome, mutations, rng } from './fuzz';

// Rows in SQUEUE_FIELDS order, as 22.05 printed them on the test bed (SLURM_TIME_FORMAT=%s).
const PENDING_ARRAY = '1007|1007_[2-3]|1007|2-3|PENDING|AssocGrpGRES|bob|inference|gpu|normal|9008|cpu=2,mem=2000M,node=1,billing=18,gres/gpu=1,gres/gpu:v100=1|gres:gpu:v100:1||1|2|1795694662|1795709062|1795723462|4:00:00|0|1|1|(null)|serve-bench|';
const RUNNING_TASK = '1017|1016_1|1016|1|RUNNING|None|opsuser|vision|cpu|normal|11007|cpu=2,mem=2000M,node=1,billing=2|N/A|cpu-02|1|2|1795694663|1795694663|1795723463|8:00:00|0|1|1|(null)|augment|';

describe('parseSqueue', () => {
  it('builds the -O list from the same field list it parses, name last', () => {
    const argv = squeueCommand().argv;
    expect(argv.slice(0, 4)).toEqual(['squeue', '-a', '-h', '-O']);
    expect(argv[4]?.split(',')).toHaveLength(SQUEUE_FIELDS.length);
    expect(argv[4]?.endsWith('Name:0|')).toBe(true);
  });

  it('reads pending array ranges and running array tasks', () => {
    const { items, errors } = parseSqueue(`${PENDING_ARRAY}\n${RUNNING_TASK}\n`, { timeZone: 'UTC' });
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({
      jobId: '1007_[2-3]', jobIdRaw: 1007, arrayJobId: 1007, arrayTaskId: null, arrayTaskRange: '2-3', state: 'PENDING', reason: 'AssocGrpGRES',
      gpusPerNode: 1, gpuType: 'v100', tresAlloc: null, startTime: null, nodes: [], nodesExpr: null, timeLimit: 14400, dependency: null, batch: true, requeueable: true,
    });
    expect(items[0]?.tresReq).toMatchObject({ cpu: 2, gpu: 1, gpuByType: { v100: 1 } });
    expect(items[1]).toMatchObject({ jobId: '1016_1', jobIdRaw: 1017, arrayJobId: 1016, arrayTaskId: 1, state: 'RUNNING', reason: null, nodes: ['cpu-02'], startTime: 1795694663, gpusPerNode: null });
    expect(items[1]?.tresAlloc).toMatchObject({ cpu: 2 });
  });

  it('keeps | and newlines inside the job name (the last field)', () => {
    const piped = RUNNING_TASK.replace('|augment|', '|a|b c|');
    const split = RUNNING_TASK.replace('|augment|', '|first\nsecond|');
    const { items, errors } = parseSqueue(`${piped}\n${split}\n${PENDING_ARRAY}\n`, { timeZone: 'UTC' });
    expect(errors).toEqual([]);
    expect(items.map((j) => j.name)).toEqual(['a|b c', 'first\nsecond', 'serve-bench']);
  });

  it('reports a bad record with its line and keeps the others', () => {
    const { items, errors } = parseSqueue(`${PENDING_ARRAY.replace('PENDING', 'WAITING?')}\n${RUNNING_TASK}\n1|2|3\n`, { timeZone: 'UTC' });
    expect(items.map((j) => j.jobIdRaw)).toEqual([1017]);
    expect(errors.map((e) => e.line)).toEqual([1, 3]);
  });

  it('never crashes on truncated or mutated records (fuzz)', () => {
    const next = rng(41);
    expectTypedOutcome([...mutations(PENDING_ARRAY, next, 400), ...mutations(RUNNING_TASK, next, 400)], (s) => {
      const r = parseSqueue(s, { timeZone: 'UTC' });
      if (r.errors.length > 0) throw r.errors[0];
      return r.items;
    });
  });
});
