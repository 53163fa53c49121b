import { describe, expect, it } from 'vitest';
import { tresFromList } from '../../../../../shared/slurm/json/tres-list';
import { FieldError } from '../../../../../shared/slurm/json/values';

describe('tresFromList', () => {
  it('reads sacct TRES lists with typed GPUs, as the AllocTRES text would read', () => {
    // A preempted run on the 24.11 test bed (job 10; ids left out): sacct -P printed
    // billing=15,cpu=8,gres/gpu:h100=4,gres/gpu=4,mem=16000M,node=1
    const t = tresFromList(
      [
        { type: 'cpu', name: '', count: 8 },
        { type: 'mem', name: '', count: 16000 },
        { type: 'energy', name: '', count: -2 },
        { type: 'node', name: '', count: 1 },
        { type: 'billing', name: '', count: 15 },
        { type: 'gres', name: 'gpu', count: 4 },
        { type: 'gres', name: 'gpu:h100', count: 4 },
      ],
      'tres.allocated',
    );
    expect(t).toEqual({ cpu: 8, memMiB: 16000, node: 1, billing: 15, gpu: 4, gpuByType: { h100: 4 }, other: {} });
  });

  it('leaves out counts Slurm did not fill in (22.05 null, later negative markers)', () => {
    expect(tresFromList([{ type: 'energy', name: null, count: null }, { type: 'cpu', name: null, count: 1 }], 't')).toMatchObject({ cpu: 1, other: {} });
    expect(tresFromList([], 't')).toEqual(tresFromList(null, 't'));
  });

  it('keeps other TRES in their base units (fs in bytes, licenses as counts)', () => {
    const t = tresFromList([{ type: 'fs', name: 'disk', count: 1048576 }, { type: 'license', name: 'matlab', count: 2 }], 't');
    expect(t.other).toEqual({ 'fs/disk': 1048576, 'license/matlab': 2 });
  });

  it('refuses duplicated or malformed entries with the field name', () => {
    expect(() => tresFromList([{ type: 'cpu', name: '', count: 1 }, { type: 'cpu', name: '', count: 2 }], 'tres.allocated')).toThrow(FieldError);
    expect(() => tresFromList([{ type: 'cpu', name: '', count: 1.5 }], 't')).toThrow(/not an integer/);
    expect(() => tresFromList([{ type: 'bad type!', name: '', count: 1 }], 't')).toThrow(FieldError);
  });

  it('hands out a fresh object each time, so a caller changing one run cannot change another', () => {
    const list = [{ type: 'gres', name: 'gpu:h100', count: 4 }];
    const a = tresFromList(list, 't');
    a.gpuByType.h100 = 99;
    a.other.x = 1;
    expect(tresFromList(list, 't')).toMatchObject({ gpu: 4, gpuByType: { h100: 4 }, other: {} });
  });
});
