// `clusterops alerts` on a store with an evaluated snapshot: list (table and JSON), --fail-on exit codes,
// --ack / --snooze with who and until, --history, and `alerts config` changing and validating thresholds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../../electron/core/alerts/engine';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { runCli } from '../../../../electron/host/cli/main';
import { gpuNode, storeWith } from '../../core/store/builders';

async function run(dir: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--data-dir', dir, ...argv], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false, readLine: null }, { HOME: '/nonexistent', USER: 'tester' });
  return { code, stdout, stderr };
}

/** A data directory where alpha's gpu-02 is drained ("xid 79") and evaluated: one open alert. */
async function withAlert(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-cli-alerts-'));
  const store = storeWith(dir, ['alpha']);
  const now = Math.floor(Date.now() / 1000);
  new SnapshotWriter(store).write({
    cluster: 'alpha',
    startedAt: now - 2,
    finishedAt: now,
    nodes: [gpuNode('gpu-01'), gpuNode('gpu-02', { state: 'IDLE', flags: ['DRAIN'], reason: 'xid 79', reasonUser: 'root', reasonTime: now - 3600, gpus: [{ type: 'a100', total: 8, used: 0, usedIndices: [] }] })],
    queue: [],
  });
  await new AlertEngine(store).evaluate('alpha');
  store.close();
  return dir;
}

describe('clusterops alerts', () => {
  it('lists the open alert, exits 3 for --fail-on open / critical, and 0 once acknowledged (for open)', async () => {
    const dir = await withAlert();
    const table = await run(dir, 'alerts');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/alpha\s+critical\s+open\s+gpus-out-of-service\s+60 min ago\s+8 GPUs out of service on gpu-02: xid 79/);
    expect(table.stdout).toMatch(/alpha: rule allocated-idle unavailable: no utilization source/);
    const json = JSON.parse((await run(dir, 'alerts', '--json')).stdout) as { alerts: { id: number; status: string }[] };
    const id = json.alerts[0]?.id as number;
    expect((await run(dir, 'alerts', '--fail-on', 'open')).code).toBe(3);
    expect((await run(dir, 'alerts', '--fail-on', 'critical')).code).toBe(3);
    const ack = await run(dir, 'alerts', '--ack', String(id));
    expect(ack.code).toBe(0);
    expect(ack.stdout).toMatch(new RegExp(`alert ${id} is acknowledged`));
    expect((await run(dir, 'alerts', '--fail-on', 'open')).code).toBe(0);
    expect((await run(dir, 'alerts', '--fail-on', 'active')).code).toBe(3);
    const snooze = await run(dir, 'alerts', '--snooze', String(id), '--until', '+2h');
    expect(snooze.stdout).toMatch(/is snoozed until \d{4}-/);
    expect((await run(dir, 'alerts', '--fail-on', 'active')).code).toBe(0);
    const history = JSON.parse((await run(dir, 'alerts', '--history', '--json')).stdout) as { kind: string; by: string }[];
    expect(history.map((e) => e.kind)).toEqual(['snoozed', 'acknowledged', 'opened']);
    expect(history[1]?.by).not.toBe('rules');
  });

  it('refuses bad arguments with exit 1 and a reason', async () => {
    const dir = await withAlert();
    expect((await run(dir, 'alerts', '--fail-on', 'sometimes')).stderr).toMatch(/--fail-on takes open, active, critical/);
    expect((await run(dir, 'alerts', '--rule', 'nope')).stderr).toMatch(/unknown rule "nope"/);
    expect((await run(dir, 'alerts', '--snooze', '1')).stderr).toMatch(/--snooze needs --until/);
    const missing = await run(dir, 'alerts', '--ack', '999');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no alert with id 999/);
  });

  it('alerts config sets thresholds per level, shows what is in force, and refuses unknown keys and bad values', async () => {
    const dir = await withAlert();
    const set = await run(dir, 'alerts', 'config', '--cluster', 'alpha', '--partition', 'gpu', 'idleUtilPct=10', 'enabled.partition-underused=false', '--json');
    expect(set.code).toBe(0);
    const out = JSON.parse(set.stdout) as { settings: { clusters: Record<string, unknown> }; effective: { idleUtilPct: number; enabled: Record<string, boolean> } };
    expect(out.effective.idleUtilPct).toBe(10);
    expect(out.effective.enabled['partition-underused']).toBe(false);
    expect(out.settings.clusters.alpha).toEqual({ partitions: { gpu: { idleUtilPct: 10, enabled: { 'partition-underused': false } } } });
    expect((await run(dir, 'alerts', 'config', 'idleUtilPct=150')).stderr).toMatch(/percentage/);
    expect((await run(dir, 'alerts', 'config', 'bogus=1')).stderr).toMatch(/unknown setting "bogus"/);
    expect((await run(dir, 'alerts', 'config', '--partition', 'gpu', 'idleUtilPct=1')).stderr).toMatch(/--partition needs --cluster/);
    const reset = JSON.parse((await run(dir, 'alerts', 'config', '--cluster', 'alpha', '--partition', 'gpu', '--reset', '--json')).stdout) as { effective: { idleUtilPct: number } };
    expect(reset.effective.idleUtilPct).toBe(5);
  });
});
