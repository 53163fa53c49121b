import { describe, expect, it } from 'vitest';
import { NVIDIA_SMI_FIELDS, nvidiaSmiExitReason, parseNvidiaSmiCsv, parseSmiScriptOutput } from '../../../../shared/alerts/util/nvidia-smi';
import { smiFixture } from './fixtures';

/** The capture's columns, in order (the header of query-gpu.*.csv without units). */
const CAPTURE_FIELDS = [
  'index', 'uuid', 'name', 'pci.bus_id', 'utilization.gpu', 'utilization.memory', 'memory.used', 'memory.total', 'temperature.gpu',
  'power.draw', 'power.limit', 'clocks.current.sm', 'clocks.current.memory', 'ecc.errors.uncorrected.volatile.total',
  'retired_pages.pending', 'clocks_event_reasons.active', 'pstate', 'fan.speed', 'driver_version',
];

const H200 = { index: 0, uuid: 'GPU-b2f57cec-4e46-2eac-c33e-f2d4dabc3333', busId: '00000000:00:06.0', memTotalMiB: 143771 };

describe('parseNvidiaSmiCsv on the real H200 captures', () => {
  it('reads the header with units (incl. the newer clocks_event_reasons column) and the values with units', () => {
    expect(parseNvidiaSmiCsv(smiFixture('query-gpu.busy.csv'))).toEqual({ gpus: [{ ...H200, utilPct: 100, memUsedMiB: 1011 }], errors: [] });
    expect(parseNvidiaSmiCsv(smiFixture('query-gpu.idle.csv'))).toEqual({ gpus: [{ ...H200, utilPct: 0, memUsedMiB: 0 }], errors: [] });
  });

  it('reads noheader,nounits output given the column list ([N/A] in other columns does not matter)', () => {
    expect(parseNvidiaSmiCsv(smiFixture('query-gpu-nounits.busy.csv'), CAPTURE_FIELDS).gpus).toEqual([{ ...H200, utilPct: 100, memUsedMiB: 1011 }]);
    expect(parseNvidiaSmiCsv(smiFixture('query-gpu-nounits.idle.csv'), CAPTURE_FIELDS).gpus).toEqual([{ ...H200, utilPct: 0, memUsedMiB: 0 }]);
  });

  it('without a column list, a 19-column line is not taken for our 6 fields', () => {
    const r = parseNvidiaSmiCsv(smiFixture('query-gpu-nounits.busy.csv'));
    expect(r.gpus).toEqual([]);
    expect(r.errors).toHaveLength(1);
  });

  it('reads what our scripts ask for (the six fields, noheader, nounits), several GPUs', () => {
    const text = [
      '0, GPU-aaaaaaaa-0000-0000-0000-000000000000, 00000000:18:00.0, 97, 70211, 81559',
      '1, GPU-aaaaaaaa-0000-0000-0000-000000000001, 00000000:3B:00.0, 0, 3, 81559',
      '',
    ].join('\n');
    const r = parseNvidiaSmiCsv(text);
    expect(r.errors).toEqual([]);
    expect(r.gpus.map((g) => [g.index, g.busId, g.utilPct, g.memUsedMiB])).toEqual([
      [0, '00000000:18:00.0', 97, 70211],
      [1, '00000000:3B:00.0', 0, 3],
    ]);
    expect(NVIDIA_SMI_FIELDS.join(',')).toBe('index,uuid,pci.bus_id,utilization.gpu,memory.used,memory.total');
  });

  it('[N/A] and [Not Supported] become null (MIG, vGPU), the GPU is still listed', () => {
    const r = parseNvidiaSmiCsv('0, GPU-x, 00000000:18:00.0, [N/A], [Not Supported], 81559\n1, GPU-y, 00000000:3b:00.0, N/A, 12, 81559\n');
    expect(r.errors).toEqual([]);
    expect(r.gpus).toEqual([
      { index: 0, uuid: 'GPU-x', busId: '00000000:18:00.0', utilPct: null, memUsedMiB: null, memTotalMiB: 81559 },
      { index: 1, uuid: 'GPU-y', busId: '00000000:3B:00.0', utilPct: null, memUsedMiB: 12, memTotalMiB: 81559 },
    ]);
  });

  it('a failing GPU prints a message among the records: the others still count', () => {
    const text = ['0, GPU-x, 00000000:18:00.0, 40, 100, 81559', 'Unable to determine the device handle for GPU0000:3B:00.0: Unknown Error', '2, GPU-z, 00000000:86:00.0, 60, 100, 81559'].join('\n');
    const r = parseNvidiaSmiCsv(text);
    expect(r.gpus.map((g) => g.index)).toEqual([0, 2]);
    expect(r.errors).toEqual(['Unable to determine the device handle for GPU0000:3B:00.0: Unknown Error']);
  });

  it('a node without a driver: only the message, no GPU', () => {
    const text = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n";
    expect(parseNvidiaSmiCsv(text)).toEqual({ gpus: [], errors: [text.trim()] });
  });

  it('a header may come again (outputs concatenated) and may use the aliases gpu_uuid / gpu_bus_id', () => {
    const text = ['gpu_bus_id, index, utilization.gpu [%]', '00000000:18:00.0, 3, 55 %'].join('\n');
    expect(parseNvidiaSmiCsv(text).gpus).toEqual([{ index: 3, uuid: null, busId: '00000000:18:00.0', utilPct: 55, memUsedMiB: null, memTotalMiB: null }]);
  });

  it('a line with the right number of commas that is not a record is an error, not a GPU', () => {
    expect(parseNvidiaSmiCsv('Failed, to, initialize, NVML, Driver/library, mismatch').gpus).toEqual([]);
  });
});

describe('parseSmiScriptOutput', () => {
  it('splits the srun script output by job and node, with the step GPUs and exit status', () => {
    const text = [
      'J|1412|gpu-a100-01|gpus|0,1|0,1',
      'J|1412|gpu-a100-01|smi|0, GPU-x, 00000000:18:00.0, 0, 0, 81559',
      'J|1412|gpu-a100-01|smi|1, GPU-y, 00000000:3B:00.0, 0, 0, 81559',
      'J|1412|gpu-a100-01|rc|0',
      'J|1412|gpu-a100-02|gpus||',
      'J|1412|gpu-a100-02|smi|',
      'J|1412|gpu-a100-02|rc|9',
      'X|1412|0',
      'E|1413|srun: error: Unable to create step for job 1413: Access/permission denied',
      'X|1413|1',
    ].join('\n');
    const items = parseSmiScriptOutput(text);
    const a = items.get('1412');
    expect(a?.exitCode).toBe(0);
    expect(a?.nodes.get('gpu-a100-01')).toEqual({ node: 'gpu-a100-01', lines: ['0, GPU-x, 00000000:18:00.0, 0, 0, 81559', '1, GPU-y, 00000000:3B:00.0, 0, 0, 81559'], exitCode: 0, stepGpus: [0, 1] });
    expect(a?.nodes.get('gpu-a100-02')).toEqual({ node: 'gpu-a100-02', lines: [], exitCode: 9, stepGpus: null });
    expect(items.get('1413')).toEqual({ item: '1413', exitCode: 1, stderr: ['srun: error: Unable to create step for job 1413: Access/permission denied'], nodes: new Map() });
  });

  it('ignores lines that are not ours and node names no host could have', () => {
    const items = parseSmiScriptOutput('garbage\nJ|1|bad node|smi|x\nJ||n|smi|x\nX|2|\n');
    expect(items.get('1')?.nodes.size ?? 0).toBe(0);
    expect(items.get('2')?.exitCode).toBeNull();
  });
});

it('nvidiaSmiExitReason names the documented exit codes', () => {
  expect(nvidiaSmiExitReason(9)).toMatch(/driver is not loaded/);
  expect(nvidiaSmiExitReason(15)).toMatch(/fallen off the bus/);
  expect(nvidiaSmiExitReason(127)).toMatch(/not found/);
  expect(nvidiaSmiExitReason(42)).toBe('nvidia-smi failed (exit 42)');
});
