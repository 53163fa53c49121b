import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { parseSreportAccountUtilization } from '../../../../../shared/slurm/parse/sreport';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../../../fixtures/sreport', name), 'utf8');

describe('parseSreportAccountUtilization', () => {
  it('reads 22.05 -T gres/gpu,billing -t hours: unit, window, account rows and user rows', () => {
    const r = parseSreportAccountUtilization(fixture('account-utilization-by-user-alpha.txt'));
    expect(r.errors).toEqual([]);
    expect(r.unit).toBe('hours');
    expect(r.period).toEqual({ start: '2026-11-24T13:00:00', end: '2026-11-26T12:59:59', seconds: 172800 });
    expect(r.items[0]).toEqual({ cluster: 'alpha', account: 'root', user: null, tres: 'gres/gpu', used: 8, percent: null });
    expect(r.items).toContainEqual({ cluster: 'alpha', account: 'nlp', user: 'alice', tres: 'billing', used: 31, percent: null });
    expect(r.items).toHaveLength(20);
  });

  it('reads 24.11 output the same way', () => {
    const r = parseSreportAccountUtilization(fixture('account-utilization-by-user-beta.txt'));
    expect(r.items.filter((x) => x.user === null && x.tres === 'gres/gpu').map((x) => [x.account, x.used])).toEqual([
      ['root', 12], ['production', 8], ['inference', 8], ['research', 4], ['nlp', 0], ['vision', 4],
    ]);
  });

  it('reads -n output given the unit, and refuses it without one', () => {
    const text = fixture('account-utilization-by-user-alpha-noheader-minutes.txt');
    const r = parseSreportAccountUtilization(text, { unit: 'minutes' });
    expect(r.items[0]).toEqual({ cluster: 'alpha', account: 'root', user: null, tres: 'gres/gpu', used: 462, percent: null });
    expect(() => parseSreportAccountUtilization(text)).toThrow(SlurmParseError);
  });

  it('reads hourper values and the CPU-only layout without -T', () => {
    expect(parseSreportAccountUtilization(fixture('account-utilization-by-user-beta-hourper.txt')).items[0]).toMatchObject({ used: 12, percent: 74.12 });
    const cpu = parseSreportAccountUtilization(fixture('account-utilization-by-user-beta-cpu-default.txt'));
    expect(cpu.unit).toBe('minutes');
    expect(cpu.items[0]).toEqual({ cluster: 'beta', account: 'root', user: null, tres: 'cpu', used: 1844, percent: null });
  });

  it('gives no rows for a window without usage, and a typed error per bad row', () => {
    expect(parseSreportAccountUtilization(fixture('account-utilization-by-user-beta-empty.txt')).items).toEqual([]);
    const bad = parseSreportAccountUtilization('Usage reported in TRES Hours\nCluster|Account|Login|Proper Name|TRES Name|Used\nalpha|root|||gres/gpu|lots\nalpha|root|||billing|3\nalpha|x\n');
    expect(bad.items).toHaveLength(1);
    expect(bad.errors.map((e) => e.line)).toEqual([3, 5]);
  });
});
