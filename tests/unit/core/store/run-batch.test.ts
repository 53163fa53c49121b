import { describe, expect, it } from 'vitest';
import { RunBatchDecoder, RunBatchEncoder } from '../../../../electron/core/store/run-batch';
import { RUN_WIDTH, runToRow, type RunValue } from '../../../../electron/core/store/run-row';
import { run, tres } from './builders';

describe('run batches', () => {
  it('carry rows across exactly: numbers, NULLs, coded and plain strings, over many batches and dictionary resets', () => {
    const encoder = new RunBatchEncoder(7);
    const decoder = new RunBatchDecoder();
    const rows: RunValue[][] = [];
    for (let i = 0; i < 60_000; i++) {
      rows.push(
        runToRow(3, run(1_000_000 + i, {
          jobId: i % 3 === 0 ? `${1_000_000 + i}_${i % 50}` : String(1_000_000 + i),
          // a column that repeats little: forces the dictionary past its limit and through a reset
          account: `acct-${i}`,
          user: `user${i % 17}`,
          state: i % 5 === 0 ? 'CANCELLED' : 'COMPLETED',
          stateDetail: i % 5 === 0 ? `by ${i % 7}` : null,
          exitCode: i % 11 === 0 ? null : { code: i % 3, signal: 0 },
          startTime: i % 13 === 0 ? null : 1_700_000_000 + i,
          endTime: i % 13 === 0 ? null : 1_700_000_100 + i,
          submitTime: i % 29 === 0 ? null : 1_699_999_000 + i,
          allocTres: tres({ cpu: i % 64, gpu: i % 9, gpuByType: i % 9 ? { a100: i % 9 } : {}, billing: 2 ** 40 + i }),
          nodesExpr: i % 4 === 0 ? null : `gpu-[${i % 10}-${(i % 10) + 2}]`,
        })),
      );
    }
    const out: RunValue[][] = [];
    const flush = () => {
      const batch = encoder.take([]);
      decoder.accept(batch);
      for (let i = 0; i < batch.n; i++) {
        const row = new Array<RunValue>(RUN_WIDTH);
        decoder.row(batch, i, row);
        out.push(row);
      }
    };
    let resets = 0;
    for (const row of rows) {
      encoder.add(row);
      if (encoder.full) {
        flush();
      }
    }
    flush();
    // count resets by replaying the flags (a fresh encoder run, cheaper than exposing internals)
    const e2 = new RunBatchEncoder(1000);
    for (const row of rows) {
      e2.add(row);
      if (e2.full && e2.take([]).reset) resets++;
    }
    expect(resets).toBeGreaterThan(0);
    expect(out).toEqual(rows);
  });
});
