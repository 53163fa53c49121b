import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../../electron/core/store/errors';
import { RUN_COLUMNS, RUN_WIDTH, recordToRun, runToRow, sameRow, type RunRecord } from '../../../../electron/core/store/run-row';
import { TresFormatCache } from '../../../../electron/core/store/tres-text';
import { run, tres } from './builders';

const asRecord = (row: unknown[]) => Object.fromEntries(RUN_COLUMNS.map((c, i) => [c, row[i]])) as RunRecord;

describe('run rows', () => {
  it('round-trips every field of a run, typed GPUs and other TRES included', () => {
    const r = run(4242, {
      jobId: '4240_2',
      arrayJobId: 4240,
      arrayTaskId: 2,
      state: 'CANCELLED',
      stateDetail: 'by 1001',
      exitCode: { code: 0, signal: 15 },
      allocTres: tres({ cpu: 64, memMiB: 500 * 1024, node: 2, billing: 320, gpu: 8, gpuByType: { a100: 6, v100: 2 }, other: { energy: 1234, 'fs/disk': 5_000_000_000, 'license/matlab': 1 } }),
      reqTres: tres({ cpu: 64, memMiB: 500 * 1024, node: 2, billing: 320, gpu: 8 }),
      nodesExpr: 'gpu-[01-02]',
      nodes: ['gpu-01', 'gpu-02'],
      restarts: 2,
    });
    const row = runToRow(7, r);
    expect(row).toHaveLength(RUN_WIDTH);
    expect(row[0]).toBe(7);
    expect(recordToRun(asRecord(row))).toEqual(r);
    // With a format cache (the ingest worker, whose TRES objects are shared): the same row, twice.
    const formats = new TresFormatCache();
    expect(runToRow(7, r, undefined, formats)).toEqual(row);
    expect(runToRow(7, r, undefined, formats)).toEqual(row);
  });

  it('keeps unknown values unknown: submit time, exit code, times, restarts', () => {
    const r = run(1, { submitTime: null, exitCode: null, startTime: null, endTime: null, eligibleTime: null, timeLimit: null, restarts: null, reqTres: null, nodesExpr: null, nodes: [], elapsed: 0, allocTres: tres({}) });
    const row = runToRow(1, r);
    expect(row[2]).toBe(0); // the key column holds 0 for an unknown submit time, as runKey does
    expect(recordToRun(asRecord(row))).toEqual(r);
  });

  it('refuses values a column cannot hold faithfully, naming the run', () => {
    const bad = [
      run(5, { elapsed: -1 }),
      run(5, { elapsed: 1.5 }),
      run(5, { allocTres: tres({ billing: 36.5 }) }),
      run(5, { jobIdRaw: Number.NaN }),
      run(5, { allocTres: tres({ other: { energy: 1e21 } }) }),
    ];
    const formats = new TresFormatCache();
    for (const r of [...bad, ...bad]) {
      for (const cache of [undefined, formats]) {
        let err: unknown;
        try {
          runToRow(1, r, undefined, cache);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).code).toBe('bad-value');
        expect((err as Error).message).toContain('run 5');
      }
    }
  });

  it('compares rows column by column', () => {
    const a = runToRow(1, run(9));
    expect(sameRow(a, runToRow(1, run(9)))).toBe(true);
    expect(sameRow(a, runToRow(1, run(9, { state: 'FAILED' })))).toBe(false);
  });
});
