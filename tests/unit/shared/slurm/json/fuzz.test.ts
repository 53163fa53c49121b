// Property and fuzz tests for every JSON normaliser, on real outputs: whatever the input (garbage, a cut
// transfer, fields of the wrong type, missing or extra fields), a normaliser returns a result or throws a
// typed SlurmParseError, never anything else; a record it cannot read is reported, never dropped silently;
// and what Slurm versions change without changing meaning (extra fields, key order, number encodings)
// does not change the result.
import { describe, expect, it } from 'vitest';
import { normaliseSacctJson } from '../../../../../shared/slurm/json/sacct';
import { normaliseSacctmgrUsersJson } from '../../../../../shared/slurm/json/sacctmgr-users';
import { normaliseScontrolNodeJson } from '../../../../../shared/slurm/json/nodes';
import { normaliseScontrolPartitionJson } from '../../../../../shared/slurm/json/partitions';
import { normaliseSinfoNodesJson, normaliseSinfoPartitionsJson } from '../../../../../shared/slurm/json/sinfo';
import { normaliseSqueueJson } from '../../../../../shared/slurm/json/squeue';
import { normaliseSshareJson } from '../../../../../shared/slurm/json/sshare';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { expectTypedOutcome, randomString, rng } from '../parse/fuzz';
import { slurmrestd, testbed } from './fixtures';

interface Normaliser {
  name: string;
  run: (text: string) => { items: unknown[]; errors: unknown[] };
  /** The document's record list, to count records. */
  list: (doc: Record<string, unknown>) => unknown[];
  text: string;
}

const jobs = (d: Record<string, unknown>) => d.jobs as unknown[];
const NORMALISERS: Normaliser[] = [
  { name: 'squeue 22.05', run: (t) => normaliseSqueueJson(t, { allStates: true }), list: jobs, text: testbed('22.05', 'squeue.json') },
  { name: 'squeue 24.11', run: (t) => normaliseSqueueJson(t, { allStates: true }), list: jobs, text: testbed('24.11', 'squeue.json') },
  { name: 'squeue 25.11', run: (t) => normaliseSqueueJson(t, { allStates: true }), list: jobs, text: slurmrestd('25.11', '0.0.44', 'slurm-job-gpus-pending.json') },
  { name: 'sacct 22.05', run: normaliseSacctJson, list: jobs, text: testbed('22.05', 'sacct.json') },
  { name: 'sacct 24.11', run: normaliseSacctJson, list: jobs, text: testbed('24.11', 'sacct.json') },
  { name: 'sinfo nodes 22.05', run: normaliseSinfoNodesJson, list: (d) => d.nodes as unknown[], text: testbed('22.05', 'sinfo.json') },
  { name: 'sinfo partitions 24.11', run: normaliseSinfoPartitionsJson, list: (d) => d.sinfo as unknown[], text: testbed('24.11', 'sinfo.json') },
  { name: 'scontrol node 24.11', run: normaliseScontrolNodeJson, list: (d) => d.nodes as unknown[], text: testbed('24.11', 'scontrol-node.json') },
  { name: 'scontrol partition 24.11', run: normaliseScontrolPartitionJson, list: (d) => d.partitions as unknown[], text: testbed('24.11', 'scontrol-partition.json') },
  { name: 'sshare 24.11', run: normaliseSshareJson, list: (d) => (d.shares as { shares: unknown[] }).shares, text: testbed('24.11', 'sshare.json') },
  { name: 'sacctmgr 24.11', run: normaliseSacctmgrUsersJson, list: (d) => d.users as unknown[], text: testbed('24.11', 'sacctmgr-user-opscoord.json') },
];

/** Random JSON values of every type, including the awkward ones. */
function randomValue(next: () => number): unknown {
  const pick = Math.floor(next() * 14);
  switch (pick) {
    case 0: return null;
    case 1: return -1;
    case 2: return 1e300;
    case 3: return 4294967294;
    case 4: return Math.floor(next() * 100000);
    case 5: return 0.5;
    case 6: return randomString(next, 12);
    case 7: return '';
    case 8: return [];
    case 9: return {};
    case 10: return true;
    case 11: return { set: next() < 0.5, infinite: next() < 0.3, number: Math.floor(next() * 1000) };
    case 12: return [randomString(next, 6), 7];
    default: return 'x'.repeat(Math.floor(next() * 5000));
  }
}

/** Every object in `value`, depth first. */
function objects(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const v of value) objects(v, out);
  else if (value !== null && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) objects(v, out);
  }
  return out;
}

/** Break one record: delete a key, or give it a value of a random type, somewhere inside. */
function mutateRecord(record: unknown, next: () => number): void {
  const targets = objects(record);
  const target = targets[Math.floor(next() * targets.length)];
  if (!target) return;
  const keys = Object.keys(target);
  const key = keys[Math.floor(next() * keys.length)];
  if (key === undefined) return;
  if (next() < 0.3) delete target[key];
  else target[key] = randomValue(next);
}

describe('JSON normalisers under fuzzing', () => {
  it('garbage text and JSON that is not Slurm output: typed errors only', () => {
    const next = rng(1);
    const inputs = ['', ' ', 'null', '[]', '{}', '"x"', '42', '{"meta":{}}', '{"meta":{"plugin":{"data_parser":"data_parser/v0.0.42"}}}', '\u0000{'];
    for (let i = 0; i < 200; i++) inputs.push(randomString(next, 60, '{}[]":,0123456789abcdeftrunl .-\\'));
    for (const n of NORMALISERS) expectTypedOutcome(inputs, n.run);
  });

  it('cut transfers (truncated at random points): typed errors, never a partial result', () => {
    const next = rng(2);
    for (const n of NORMALISERS) {
      // Cut inside the document proper: dropping only the trailing newline would leave valid JSON.
      const end = n.text.trimEnd().length;
      const cuts = Array.from({ length: 40 }, () => n.text.slice(0, Math.floor(next() * end)));
      const { ok } = expectTypedOutcome(cuts, n.run);
      expect(ok).toBe(0);
    }
  });

  it('records with missing keys and values of the wrong type: each record read or reported, none lost', () => {
    const next = rng(3);
    for (const n of NORMALISERS) {
      for (let round = 0; round < 30; round++) {
        const doc = JSON.parse(n.text) as Record<string, unknown>;
        const records = n.list(doc);
        for (let k = 0; k < 3; k++) mutateRecord(records[Math.floor(next() * records.length)], next);
        const text = JSON.stringify(doc);
        let result: { items: unknown[]; errors: unknown[] } | null = null;
        try {
          result = n.run(text);
        } catch (err) {
          if (!(err instanceof SlurmParseError)) throw new Error(`${n.name} round ${round}: ${String(err)}`);
          continue;
        }
        // sinfo partitions come once per partition, not once per group; everything else one per record.
        if (n.name.startsWith('sinfo partitions')) expect(result.items.length).toBeLessThanOrEqual(records.length);
        else expect(result.items.length + result.errors.length, `${n.name} round ${round}`).toBe(records.length);
      }
    }
  });

  it('extra fields (what a newer Slurm adds) and another key order do not change the result', () => {
    const next = rng(4);
    for (const n of NORMALISERS) {
      const before = n.run(n.text);
      const doc = JSON.parse(n.text) as unknown;
      for (const o of objects(doc)) {
        o[`added_in_a_future_release_${Math.floor(next() * 1000)}`] = randomValue(next);
        const entries = Object.entries(o).reverse();
        for (const k of Object.keys(o)) delete o[k];
        for (const [k, v] of entries) o[k] = v;
      }
      const after = n.run(JSON.stringify(doc));
      expect(after.items, n.name).toEqual(before.items);
      expect(after.errors).toEqual(before.errors);
    }
  });

  it('22.05 plain numbers read the same when wrapped as {set, infinite, number}', () => {
    for (const [name, run, text] of [
      ['squeue', (t: string) => normaliseSqueueJson(t, { allStates: true }).items, testbed('22.05', 'squeue.json')],
      ['sinfo', (t: string) => normaliseSinfoNodesJson(t).items, testbed('22.05', 'sinfo.json')],
    ] as const) {
      const doc = JSON.parse(text) as { meta: unknown };
      const meta = doc.meta;
      const wrap = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(wrap);
        if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrap(x)]));
        return typeof v === 'number' && Number.isInteger(v) ? { set: true, infinite: false, number: v } : v;
      };
      const wrapped = { ...(wrap(doc) as object), meta };
      expect(run(JSON.stringify(wrapped)), name).toEqual(run(text));
    }
  });
});
