import { describe, expect, it } from 'vitest';
import { parseSacct, parseSacctHelpformat, SacctStreamParser } from '../../../../../shared/slurm/parse/sacct';
import type { AccountingRun } from '../../../../../shared/model/run';
import { expectTypedOutcome, mutations, rng } from './fuzz';

const HEADER = 'JobID|JobIDRaw|User|Account|Partition|QOS|State|ExitCode|Submit|Eligible|Start|End|ElapsedRaw|Timelimit|AllocTRES|ReqTRES|NodeList|Restarts|JobName';
const ROWS = [
  '1005|1005|alice|nlp|gpu-low|low|PREEMPTED|0:0|1795694662|1795694662|1795694663|1795694690|27|06:00:00|billing=36,cpu=8,gres/gpu:a100=4,gres/gpu=4,mem=8000M,node=1|billing=36,cpu=8,gres/gpu:a100=4,gres/gpu=4,mem=8000M,node=1|gpu-a100-01|0|llm-finetune-lowprio',
  '1007_1|1010|bob|inference|gpu|normal|CANCELLED by 1003|0:15|1795694662|1795694662|1795694662|1795694700|38|04:00:00|billing=18,cpu=2,gres/gpu:v100=1,gres/gpu=1,mem=2000M,node=1|billing=18,cpu=2,gres/gpu:v100=1,gres/gpu=1,mem=2000M,node=1|gpu-v100-01|0|serve|bench',
  '1007_[2-3]|1007|bob|inference|gpu|normal|PENDING|0:0|1795694662|1795694662|Unknown|Unknown|0|04:00:00||billing=18,cpu=2,mem=2000M,node=1|None assigned|0|serve-bench',
  '1001|1001|alice|nlp|cpu|normal|FAILED|3:0|1795694662|1795694662|1795694662|1795694664|2|00:05:00|billing=1,cpu=1,mem=1000M,node=1|billing=1,cpu=1,mem=1000M,node=1|cpu-[01-02]||tokenize corpus',
];

describe('parseSacct', () => {
  it('reads runs by the header: states, exit codes, times, TRES, nodes, restarts', () => {
    const { items, errors, summary } = parseSacct([HEADER, ...ROWS].join('\n'), { timeZone: 'UTC' });
    expect(errors).toEqual([]);
    expect(summary.rows).toBe(4);
    const [preempted, cancelled, pendingRange, failed] = items as [AccountingRun, AccountingRun, AccountingRun, AccountingRun];
    expect(preempted).toMatchObject({ jobId: '1005', jobIdRaw: 1005, state: 'PREEMPTED', elapsed: 27, timeLimit: 21600, restarts: 0, nodes: ['gpu-a100-01'] });
    expect(preempted.allocTres).toMatchObject({ cpu: 8, gpu: 4, gpuByType: { a100: 4 }, memMiB: 8000, billing: 36 });
    expect(cancelled).toMatchObject({ jobId: '1007_1', jobIdRaw: 1010, arrayJobId: 1007, arrayTaskId: 1, state: 'CANCELLED', stateDetail: '1003', exitCode: { code: 0, signal: 15 } });
    // The `|` in this job name comes back into the name, since JobName is the only free-text column.
    expect(cancelled.name).toBe('serve|bench');
    expect(pendingRange).toMatchObject({ arrayJobId: 1007, arrayTaskId: null, startTime: null, endTime: null, nodes: [], nodesExpr: null });
    expect(pendingRange.allocTres.cpu).toBe(0);
    expect(failed).toMatchObject({ exitCode: { code: 3, signal: 0 }, nodes: ['cpu-01', 'cpu-02'], restarts: null, name: 'tokenize corpus', submitTime: 1795694662 });
  });

  it('takes fields in any order, ignores unknown ones and leaves missing optional ones null', () => {
    const header = 'State|JobName|Comment2|User|JobID|Account|Partition|QOS|ExitCode|Submit|Start|End|Elapsed|AllocTRES|NodeList';
    const row = 'COMPLETED|x|zz|opsuser|1000|vision|cpu|normal|0:0|2025-11-26T11:00:00|2025-11-26T11:00:05|2025-11-26T11:01:05|00:01:00|cpu=1,mem=1G,node=1|cpu-01';
    const { items, errors, summary } = parseSacct(`${header}\n${row}\n`, { timeZone: 'Europe/Berlin' });
    expect(errors).toEqual([]);
    expect(summary.ignoredColumns).toEqual(['Comment2']);
    expect(items[0]).toMatchObject({ jobIdRaw: 1000, elapsed: 60, restarts: null, reqTres: null, eligibleTime: null, timeLimit: null });
    expect(items[0]?.submitTime).toBe(Date.parse('2025-11-26T10:00:00Z') / 1000);
  });

  it('refuses a file without the required columns, and reports bad rows without losing the good ones', () => {
    expect(() => parseSacct('JobID|State\n1|COMPLETED\n', { timeZone: 'UTC' })).toThrow(/header lacks/);
    expect(() => parseSacct('', { timeZone: 'UTC' })).toThrow(/no header/);
    const bad = [HEADER, ROWS[0], ROWS[0]?.slice(0, 40), ROWS[3]?.replace('FAILED', 'fail ed'), ROWS[3]].join('\n');
    const { items, errors } = parseSacct(bad, { timeZone: 'UTC' });
    expect(items).toHaveLength(2);
    expect(errors.map((e) => e.line)).toEqual([3, 4]);
  });

  it('needs JobIDRaw to tell array tasks apart', () => {
    const header = 'JobID|JobName|User|Account|Partition|QOS|State|ExitCode|Submit|Start|End|ElapsedRaw|AllocTRES|NodeList';
    const { items, errors } = parseSacct(`${header}\n5_1|a|u|acc|p|q|COMPLETED|0:0|1795694662|1795694662|1795694663|1|cpu=1|n1\n6|a|u|acc|p|q|COMPLETED|0:0|1795694662|1795694662|1795694663|1|cpu=1|n1\n`, { timeZone: 'UTC' });
    expect(items.map((r) => r.jobIdRaw)).toEqual([6]);
    expect(errors[0]?.message).toMatch(/JobIDRaw/);
  });

  it('skips job steps and counts them', () => {
    const { items, summary } = parseSacct([HEADER, ROWS[3], ROWS[3]?.replace(/^1001\|1001/, '1001.batch|1001.batch')].join('\n'), { timeZone: 'UTC' });
    expect(items).toHaveLength(1);
    expect(summary.skippedSteps).toBe(1);
  });

  it('streams: chunk boundaries anywhere give the same runs', () => {
    const text = `${[HEADER, ...ROWS].join('\n')}\n`;
    const whole = parseSacct(text, { timeZone: 'UTC' }).items;
    for (const size of [1, 7, 64, 1000]) {
      const runs: AccountingRun[] = [];
      const p = new SacctStreamParser({ timeZone: 'UTC' }, (r) => runs.push(r));
      for (let i = 0; i < text.length; i += size) p.write(text.slice(i, i + size));
      p.end();
      expect(runs).toEqual(whole);
    }
  });

  it('returns fresh TRES and node objects per run (cached parsing is not shared state)', () => {
    const { items } = parseSacct([HEADER, ROWS[0], ROWS[0]].join('\n'), { timeZone: 'UTC' });
    (items[0] as AccountingRun).allocTres.gpuByType.a100 = 99;
    (items[0] as AccountingRun).nodes.push('x');
    expect(items[1]?.allocTres.gpuByType.a100).toBe(4);
    expect(items[1]?.nodes).toEqual(['gpu-a100-01']);
  });

  it('shared mode (the ingest worker): the same runs, with frozen shared TRES and exit codes and node lists checked but not expanded', () => {
    const lines = [HEADER, ...ROWS, ROWS[0] as string, (ROWS[3] as string).replace('cpu-[01-02]', 'cpu-[02-01')];
    const plain = parseSacct(lines.join('\n'), { timeZone: 'UTC' });
    const runs: AccountingRun[] = [];
    const p = new SacctStreamParser({ timeZone: 'UTC', shared: true }, (r) => runs.push(r));
    for (const line of lines) p.writeLine(line);
    const summary = p.end();
    expect(runs).toEqual(plain.items.map((r) => ({ ...r, nodes: [] })));
    // A malformed node list is still an error on the same line.
    expect(summary.errors.map((e) => [e.line, e.parser])).toEqual(plain.errors.map((e) => [e.line, e.parser]));
    expect(summary.errors).toHaveLength(1);
    const [first, , , , again] = runs as AccountingRun[];
    expect(again?.allocTres).toBe(first?.allocTres);
    expect(again?.exitCode).toBe(first?.exitCode);
    expect(Object.isFrozen(first?.allocTres) && Object.isFrozen(first?.allocTres.gpuByType) && Object.isFrozen(first?.exitCode) && Object.isFrozen(first?.nodes)).toBe(true);
    // Copies for everyone else stay their own.
    expect(Object.isFrozen(plain.items[0]?.allocTres)).toBe(false);
  });

  it('reads the field list of sacct --helpformat', () => {
    expect(parseSacctHelpformat('Account             AdminComment\nRestarts            SLUID\n')).toEqual(['Account', 'AdminComment', 'Restarts', 'SLUID']);
  });

  it('never crashes on truncated or mutated rows (fuzz)', () => {
    const next = rng(37);
    const rows = ROWS.flatMap((r) => mutations(r, next, 200));
    expectTypedOutcome(rows, (row) => {
      const { items, errors } = parseSacct(`${HEADER}\n${row}\n`, { timeZone: 'UTC' });
      if (errors.length > 0) throw errors[0];
      return items;
    }, (items) => {
      for (const r of items) {
        expect(Number.isSafeInteger(r.jobIdRaw)).toBe(true);
        expect(r.elapsed).toBeGreaterThanOrEqual(0);
      }
    });
  });
});
