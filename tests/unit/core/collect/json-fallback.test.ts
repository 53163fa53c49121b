// When a text answer has records the parser cannot read and the cluster offers --json, the collector asks
// again in JSON and keeps the more complete answer. Real 24.11 outputs captured at the same moment.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../../../../shared/model/capabilities';
import { collectQueue } from '../../../../electron/core/collect/collectors';
import type { Remote } from '../../../../electron/core/collect/remote';

const dir = path.resolve(import.meta.dirname, '../../../fixtures/slurm/24.11/json');
const text = readFileSync(path.join(dir, 'squeue.txt'), 'utf8');
const json = readFileSync(path.join(dir, 'squeue.json'), 'utf8');

function caps(withJson: boolean): Capabilities {
  return {
    slurmVersion: '24.11.5',
    json: withJson ? { squeue: 'v0.0.42' } : {},
    accounting: true,
    accountingError: null,
    user: 'opsuser',
    adminLevel: 'None',
    coordinatorOf: [],
    privateData: [],
    timeZone: 'UTC',
    commands: {},
    probedAt: 0,
  };
}

/** Answers squeue with `textOut` and squeue --json with the captured JSON, recording what was asked. */
function remote(textOut: string, asked: string[]): Remote {
  return {
    cluster: 'beta',
    run: async (cmd) => {
      asked.push(cmd.argv.join(' '));
      const out = cmd.argv.includes('--json') ? json : textOut;
      return { code: 0, signal: null, stdout: out, stderr: '', durationMs: 1 };
    },
  };
}

describe('queue collector JSON fallback', () => {
  const lines = text.trimEnd().split('\n');
  // Cut one record short (a truncated line): the text parser rejects it.
  const broken = [...lines.slice(0, 2), (lines[2] as string).slice(0, 20), ...lines.slice(3)].join('\n') + '\n';

  it('uses the text answer alone when it reads completely', async () => {
    const asked: string[] = [];
    const r = await collectQueue(remote(text, asked), caps(true));
    expect(r.problem).toBeNull();
    expect(r.value).toHaveLength(lines.length);
    expect(asked.some((a) => a.includes('--json'))).toBe(false);
  });

  it('asks again in JSON when a text record is unreadable, and keeps every job', async () => {
    const asked: string[] = [];
    const r = await collectQueue(remote(broken, asked), caps(true));
    expect(asked.at(-1)).toContain('--json');
    expect(r.problem).toBeNull();
    expect(r.value?.map((j) => j.jobIdRaw).sort()).toEqual(
      (await collectQueue(remote(text, []), caps(false))).value?.map((j) => j.jobIdRaw).sort(),
    );
  });

  it('reports the unreadable record when the cluster has no --json', async () => {
    const r = await collectQueue(remote(broken, []), caps(false));
    expect(r.value).toHaveLength(lines.length - 1);
    expect(r.problem).toMatch(/1 of \d+ job records could not be read/);
  });
});
