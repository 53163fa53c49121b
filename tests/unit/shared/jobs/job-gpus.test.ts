import { describe, expect, it } from 'vitest';
import { jobGpuTypeLabel } from '../../../../shared/jobs/job-gpus';
import { formatExitCode, runGpuHours } from '../../../../shared/jobs/run-summary';
import { emptyTres, type Tres } from '../../../../shared/model/tres';

const tres = (t: Partial<Tres>): Tres => ({ ...emptyTres(), ...t });

describe('jobGpuTypeLabel', () => {
  it('prefers the types a running job holds over the request', () => {
    expect(jobGpuTypeLabel({ tresAlloc: tres({ gpu: 4, gpuByType: { h100: 4 } }), tresReq: tres({ gpu: 4 }), gpuType: null })).toBe('h100');
  });
  it('lists several types sorted, and falls back to the gres request, then to null (any type)', () => {
    expect(jobGpuTypeLabel({ tresAlloc: null, tresReq: tres({ gpu: 3, gpuByType: { l40s: 1, a100: 2 } }), gpuType: null })).toBe('a100,l40s');
    expect(jobGpuTypeLabel({ tresAlloc: null, tresReq: tres({ gpu: 2 }), gpuType: 'a100' })).toBe('a100');
    expect(jobGpuTypeLabel({ tresAlloc: tres({ cpu: 4 }), tresReq: tres({ gpu: 2 }), gpuType: null })).toBeNull();
  });
});

describe('run summary', () => {
  it('GPU-hours are GPUs held times wall-clock hours', () => {
    expect(runGpuHours({ allocTres: tres({ gpu: 8 }), elapsed: 5400 })).toBe(12);
    expect(runGpuHours({ allocTres: tres({ gpu: 0 }), elapsed: 5400 })).toBe(0);
  });
  it('exit codes read as sacct prints them', () => {
    expect(formatExitCode({ code: 0, signal: 9 })).toBe('0:9');
    expect(formatExitCode(null)).toBeNull();
  });
});
