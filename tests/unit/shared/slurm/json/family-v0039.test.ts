// data_parser v0.0.39 (Slurm 23.02). No real 23.02 output was available to us (the test bed runs 22.05
// and 24.11, and the captured slurmrestd sets start at 24.05), so these records are built from the
// v0.0.39 schemas slurmrestd 24.05 publishes (components.schemas."v0.0.39_job_info", "_node", "_job") and
// from src/plugins/data_parser/v0.0.39/parsers.c: job_state a single word (job_state_string), 32-bit
// counts wrapped as {set, infinite, number}, times plain integers, exit_code the raw wait status (wrapped
// from 23.02.4 on), node state an array, sacct exit codes as {status, return_code, signal} objects.
import { describe, expect, it } from 'vitest';
import { normaliseScontrolNodeJson } from '../../../../../shared/slurm/json/nodes';
import { normaliseSacctJson } from '../../../../../shared/slurm/json/sacct';
import { normaliseSqueueJson } from '../../../../../shared/slurm/json/squeue';
import { dataParserDoc } from './fixtures';

const nv = (number: number, set = true, infinite = false) => ({ set, infinite, number });

describe('family v0.0.39 (23.02), from its published schema', () => {
  it('squeue: string states, wrapped counts, plain times', () => {
    const r = normaliseSqueueJson(
      dataParserDoc('v0.0.39', {
        jobs: [
          {
            job_id: nv(4242),
            array_job_id: nv(0),
            array_task_id: nv(0, false),
            array_task_string: '',
            het_job_id: nv(0),
            name: 'train',
            user_name: 'alice',
            account: 'nlp',
            partition: 'gpu',
            qos: 'normal',
            job_state: 'COMPLETING',
            state_reason: 'None',
            state_description: '',
            priority: nv(1200),
            tres_req_str: 'cpu=8,mem=64G,node=1,billing=40,gres/gpu=4',
            tres_alloc_str: 'cpu=8,mem=64G,node=1,billing=40,gres/gpu=4',
            tres_per_node: 'gres:gpu:4',
            nodes: 'g[01-02]',
            node_count: nv(2),
            cpus: nv(16),
            submit_time: 1676000000,
            start_time: 1676000100,
            end_time: 1676003700,
            time_limit: nv(60),
            exit_code: nv(0),
            restart_cnt: 0,
            batch_flag: true,
            requeue: false,
            dependency: '',
          },
        ],
      }),
    );
    expect(r.version.family.id).toBe('v0.0.39');
    expect(r.errors).toEqual([]);
    expect(r.items[0]).toMatchObject({
      jobId: '4242',
      state: 'COMPLETING',
      gpusPerNode: 4,
      gpuType: null,
      nodes: ['g01', 'g02'],
      numCpus: 16,
      startTime: 1676000100,
      timeLimit: 3600,
      requeueable: false,
    });
    expect(r.items[0]?.tresAlloc).toMatchObject({ gpu: 4, memMiB: 65536 });
  });

  it('scontrol show node: state arrays, CSV-free name lists, plain reason time', () => {
    const r = normaliseScontrolNodeJson(
      dataParserDoc('v0.0.39', {
        nodes: [{ name: 'g01', state: ['ALLOCATED', 'DRAIN'], reason: 'bad fan', reason_set_by_user: 'root', reason_changed_at: 1676000000, partitions: ['gpu'], features: ['a100'], active_features: ['a100'], cpus: 64, alloc_cpus: 64, real_memory: 512000, alloc_memory: 256000, gres: 'gpu:a100:4(S:0-1)', gres_used: 'gpu:a100:4(IDX:0-3)' }],
      }),
    );
    expect(r.items[0]).toMatchObject({ state: 'ALLOCATED', flags: ['DRAIN'], reasonTime: 1676000000, gpus: [{ type: 'a100', total: 4, used: 4, usedIndices: [0, 1, 2, 3] }] });
  });

  it('sacct: single-word states and exit-code objects with plain numbers', () => {
    const r = normaliseSacctJson(
      dataParserDoc('v0.0.39', {
        jobs: [
          {
            job_id: 77,
            name: 'sim',
            user: 'bob',
            account: 'phys',
            partition: 'cpu',
            qos: 'normal',
            nodes: 'c01',
            array: { job_id: 0, task_id: nv(0, false), task: '' },
            state: { current: 'OUT_OF_MEMORY', reason: 'None' },
            exit_code: { status: 'ERROR', return_code: 137 },
            time: { elapsed: 30, eligible: 1676000000, start: 1676000001, end: 1676000031, submission: 1676000000, limit: nv(60) },
            tres: { allocated: [{ type: 'cpu', name: '', count: 2 }, { type: 'mem', name: '', count: 4096 }], requested: [] },
          },
        ],
      }),
    );
    // sacct prints exit statuses of 128 and more minus 128: 137 reads 9:0.
    expect(r.items[0]).toMatchObject({ state: 'OUT_OF_MEMORY', exitCode: { code: 9, signal: 0 }, restarts: null, allocTres: { cpu: 2, memMiB: 4096 } });
  });
});
