import { describe, expect, it } from 'vitest';
import { RunBatchDecoder, RunBatchEncoder } from '../../../../electron/core/store/run-batch';
import { RC, RUN_WIDTH, runToRow, type RunValue } from '../../../../electron/core/store/run-row';
import { UsageDeltas, type UsageEntry } from '../../../../electron/core/store/usage-rollup';
import { LocalDays } from '../../../../shared/usage/local-days';
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

  it('give the rows in key order (ties in input order), and carry summed usage as codes', () => {
    const encoder = new RunBatchEncoder(100);
    const decoder = new RunBatchDecoder();
    // job ids out of order, one run listed twice (a later line must stay later), two runs of one job
    const ids = [7, 3, 9, 3, 5, 9, 1];
    const submits = [1, 2, 1, 2, 1, 0, 1];
    ids.forEach((id, i) => encoder.add(runToRow(1, run(id, { submitTime: submits[i] as number, name: `line-${i}` }))));
    const usage: UsageEntry[] = [
      ['2026-01-01', 'acct', 'alice', 'gpu', 'normal', 'a100', 3600, 7200, 100, 1, ''],
      ['2026-01-02', 'acct', 'bob', 'gpu', 'normal', '', 0, 5, 6, 0, ''],
    ];
    const batch = encoder.take(usage);
    decoder.accept(batch);
    const names = Array.from(batch.order ?? [], (i) => {
      const row = new Array<RunValue>(RUN_WIDTH);
      decoder.row(batch, i, row);
      return `${row[RC.job_id_raw]}@${row[RC.submit_time]}:${row[RC.name]}`;
    });
    expect(names).toEqual(['1@1:line-6', '3@2:line-1', '3@2:line-3', '5@1:line-4', '7@1:line-0', '9@0:line-5', '9@1:line-2']);
    const deltas = new UsageDeltas(new LocalDays('UTC'));
    decoder.usage(batch, deltas);
    expect(deltas.take().map((e) => e.slice(0, 10))).toEqual(usage.map((e) => e.slice(0, 10)));
    // Rows already in key order need no order.
    encoder.add(runToRow(1, run(1)));
    encoder.add(runToRow(1, run(2)));
    expect(encoder.take([]).order).toBeNull();
  });
});
