// The JSON path and the format-string path must describe a cluster the same way. Each test-bed fixture
// pair (tests/fixtures/slurm/<version>/json/<name>.json + .txt) was captured back to back with nothing
// changing in between (see the README there), so the two parses must give equal model objects, record by
// record. The only differences allowed are the ones a Slurm version makes unavoidable, each named here:
//   - sacct `stateDetail`: the text names the requester of a cancellation by uid, the JSON by user name;
//   - 22.05 sacct `exitCode`: dbv0.0.38 prints 0 for every exit that is not a signal, so JSON leaves
//     those unknown (null); where it has one, it must equal the text's;
//   - partitions: JSON has no PreemptMode and no Default flag; completed from the text, they must be equal.
import { describe, expect, it } from 'vitest';
import type { AccountingRun } from '../../../../../shared/model/run';
import { completePartition } from '../../../../../shared/slurm/json/partitions';
import { normaliseSacctJson } from '../../../../../shared/slurm/json/sacct';
import { normaliseSacctmgrUsersJson } from '../../../../../shared/slurm/json/sacctmgr-users';
import { normaliseScontrolNodeJson } from '../../../../../shared/slurm/json/nodes';
import { normaliseScontrolPartitionJson } from '../../../../../shared/slurm/json/partitions';
import { normaliseSinfoNodesJson, normaliseSinfoPartitionsJson } from '../../../../../shared/slurm/json/sinfo';
import { normaliseSqueueJson } from '../../../../../shared/slurm/json/squeue';
import { normaliseSshareJson } from '../../../../../shared/slurm/json/sshare';
import { parseSacct } from '../../../../../shared/slurm/parse/sacct';
import { parseSacctmgrUser } from '../../../../../shared/slurm/parse/sacctmgr-user';
import { parseScontrolNodes } from '../../../../../shared/slurm/parse/scontrol-node';
import { parseScontrolPartitions } from '../../../../../shared/slurm/parse/scontrol-partition';
import { parseSqueue } from '../../../../../shared/slurm/parse/squeue';
import { parseSshare } from '../../../../../shared/slurm/parse/sshare';
import { runKey } from '../../../../../shared/model/run';
import { testbed } from './fixtures';

const UTC = { timeZone: 'UTC' };
const pair = (v: '22.05' | '24.11', name: string) => ({ json: testbed(v, `${name}.json`), text: testbed(v, `${name}.txt`) });

function byKey<T>(items: readonly T[], key: (x: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of items) {
    expect(m.has(key(x)), `duplicate key ${key(x)}`).toBe(false);
    m.set(key(x), x);
  }
  return m;
}

/** Compare two lists record by record (same keys, equal records after `adjust`). */
function expectSameRecords<T>(text: readonly T[], json: readonly T[], key: (x: T) => string, adjust: (t: T, j: T) => [T, T] = (t, j) => [t, j]): void {
  expect(text.length).toBeGreaterThan(0);
  const a = byKey(text, key);
  const b = byKey(json, key);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [k, t] of a) {
    const [x, y] = adjust(t, b.get(k) as T);
    expect(y, k).toEqual(x);
  }
}

function sacctAdjust(exitCodesKnown: boolean) {
  return (t: AccountingRun, j: AccountingRun): [AccountingRun, AccountingRun] => {
    expect(j.stateDetail === null, `stateDetail of ${t.jobId}`).toBe(t.stateDetail === null);
    // A running job's elapsed time moved on between the text and the JSON command (a second or two).
    let elapsed = j.elapsed;
    if (t.endTime === null && j.endTime === null) {
      expect(j.elapsed - t.elapsed, `elapsed of running ${t.jobId}`).toBeGreaterThanOrEqual(0);
      expect(j.elapsed - t.elapsed, `elapsed of running ${t.jobId}`).toBeLessThan(30);
      elapsed = t.elapsed;
    }
    const json = { ...j, stateDetail: null, elapsed };
    if (!exitCodesKnown && j.exitCode === null) return [{ ...t, stateDetail: null, exitCode: null }, json];
    return [{ ...t, stateDetail: null }, json];
  };
}

describe('JSON and text paths agree on the 22.05 test bed', () => {
  it('squeue: the same jobs, field for field', () => {
    const p = pair('22.05', 'squeue');
    const text = parseSqueue(p.text, UTC);
    const json = normaliseSqueueJson(p.json);
    expect(text.errors).toEqual([]);
    expect(json.errors).toEqual([]);
    expectSameRecords(text.items, json.items, (j) => j.jobId);
  });

  it('sacct: the same runs; exit codes where 22.05 JSON has them', () => {
    const p = pair('22.05', 'sacct');
    const text = parseSacct(p.text, UTC);
    const json = normaliseSacctJson(p.json);
    expect(text.errors).toEqual([]);
    expect(json.errors).toEqual([]);
    expectSameRecords(text.items, json.items, runKey, sacctAdjust(false));
    // How much the 22.05 bug costs on this capture: runs whose exit code only the text knows.
    const unknown = json.items.filter((r) => r.exitCode === null).length;
    expect(unknown).toBe(70);
    expect(json.items).toHaveLength(110);
  });

  it('nodes: sinfo --json (per node) against scontrol show node', () => {
    const p = pair('22.05', 'sinfo');
    const text = parseScontrolNodes(p.text, UTC);
    const json = normaliseSinfoNodesJson(p.json);
    expect(json.errors).toEqual([]);
    expectSameRecords(text.items, json.items, (n) => n.name);
  });
});

describe('JSON and text paths agree on the 24.11 test bed', () => {
  it('squeue', () => {
    const p = pair('24.11', 'squeue');
    expectSameRecords(parseSqueue(p.text, UTC).items, normaliseSqueueJson(p.json).items, (j) => j.jobId);
  });

  it('sacct: every field, exit codes and Restarts included', () => {
    const p = pair('24.11', 'sacct');
    const json = normaliseSacctJson(p.json);
    expect(json.items.some((r) => r.restarts === 1)).toBe(true);
    expectSameRecords(parseSacct(p.text, UTC).items, json.items, runKey, sacctAdjust(true));
  });

  it('scontrol show node', () => {
    const p = pair('24.11', 'scontrol-node');
    expectSameRecords(parseScontrolNodes(p.text, UTC).items, normaliseScontrolNodeJson(p.json).items, (n) => n.name);
  });

  it('partitions from scontrol show partition --json and from sinfo --json, completed from the text', () => {
    for (const [name, normalise] of [
      ['scontrol-partition', normaliseScontrolPartitionJson],
      ['sinfo', normaliseSinfoPartitionsJson],
    ] as const) {
      const p = pair('24.11', name);
      const text = parseScontrolPartitions(p.text).items;
      const json = normalise(p.json).items;
      const completed = json.map((j) => completePartition(j, text.find((t) => t.name === j.name) ?? { isDefault: false, preemptMode: 'missing', state: 'missing' }));
      expectSameRecords(text, completed, (x) => x.name);
    }
  });

  it('sshare: the same tree, shares and factors (six decimals, as sshare prints them)', () => {
    const p = pair('24.11', 'sshare');
    expectSameRecords(parseSshare(p.text).items, normaliseSshareJson(p.json).items, (r) => `${r.account}|${r.user ?? ''}`);
  });

  it('sacctmgr show user', () => {
    for (const user of ['opscoord', 'opsoper']) {
      const p = pair('24.11', `sacctmgr-user-${user}`);
      expect(normaliseSacctmgrUsersJson(p.json).items).toEqual([parseSacctmgrUser(p.text)]);
    }
  });
});
