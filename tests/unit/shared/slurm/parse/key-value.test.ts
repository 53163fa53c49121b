import { describe, expect, it } from 'vitest';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { keyValueMap, splitKeyValues } from '../../../../../shared/slurm/parse/key-value';
import { expectTypedOutcome, mutations, randomString, rng } from './fuzz';

const OPTS = { freeText: new Set(['Reason', 'OS', 'JobName']), knownKeys: new Set(['NodeName', 'State', 'RealMemory', 'Reason', 'OS', 'UserId', 'JobName', 'Partitions']) };

describe('splitKeyValues', () => {
  it('splits pairs and keeps free text with spaces, colons, = and brackets whole', () => {
    const line = 'NodeName=gpu01 OS=Linux 6.1.0 #1 SMP PREEMPT_DYNAMIC @0  RealMemory=64000 State=IDLE+DRAIN Reason=ticket=42: xid 79 [ops] [root@2025-11-26T10:00:00]';
    expect(splitKeyValues(line, OPTS, 'scontrol-node')).toEqual([
      ['NodeName', 'gpu01'],
      ['OS', 'Linux 6.1.0 #1 SMP PREEMPT_DYNAMIC @0'],
      ['RealMemory', '64000'],
      ['State', 'IDLE+DRAIN'],
      ['Reason', 'ticket=42: xid 79 [ops] [root@2025-11-26T10:00:00]'],
    ]);
  });

  it('ends a free-text value at the next known key, and splits unknown keys elsewhere', () => {
    const pairs = splitKeyValues('JobName=my job Foo=bar UserId=alice(1004) NewKey=1 Partitions=gpu', OPTS, 'scontrol-job');
    expect(pairs).toEqual([
      ['JobName', 'my job Foo=bar'],
      ['UserId', 'alice(1004)'],
      ['NewKey', '1'],
      ['Partitions', 'gpu'],
    ]);
  });

  it('keeps repeated keys in order and empty values', () => {
    const pairs = splitKeyValues('A=1 Nodes=n1 GRES= Nodes=n2 GRES=gpu:1', OPTS, 'scontrol-job');
    expect(pairs.map(([k]) => k)).toEqual(['A', 'Nodes', 'GRES', 'Nodes', 'GRES']);
    expect(keyValueMap(pairs).get('Nodes')).toBe('n1');
    expect(pairs[2]).toEqual(['GRES', '']);
  });

  it('refuses lines that are not key=value records', () => {
    expect(() => splitKeyValues('No nodes', OPTS, 'scontrol-node')).toThrow(SlurmParseError);
    expect(() => splitKeyValues('garbage NodeName=x', OPTS, 'scontrol-node')).toThrow(/text before/);
  });

  it('never crashes (fuzz)', () => {
    const next = rng(31);
    const inputs = [...Array.from({ length: 2000 }, () => randomString(next, 60)), ...mutations('NodeName=a State=IDLE Reason=x y [root@2025-01-01T00:00:00]', next, 300)];
    expectTypedOutcome(inputs, (s) => splitKeyValues(s, OPTS, 'scontrol-node'));
  });
});
