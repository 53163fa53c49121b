// The optional `utilization` of a cluster configuration: stored configs without it stay valid, the form
// and the CLI refuse what a shell or ssh could misread, and `clusters add` keeps it unless told otherwise.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoredClusterConfig } from '../../../../shared/api/methods/clusters';
import { validateClusterConfig } from '../../../../shared/clusters/config-validation';
import { runCli } from '../../../../electron/host/cli/main';

const base = {
  name: 'alpha',
  host: 'login.alpha.example.org',
  port: 22,
  user: 'ops',
  auth: { kind: 'agent' },
  jump: [],
  knownHostsFiles: [],
  poll: { queue: 60, accounting: 300, fairshare: 900 },
  enabled: true,
};

describe('ClusterConfig.utilization', () => {
  it('is optional: a config stored before it existed is still valid and unchanged', () => {
    expect(validateClusterConfig(base)).toEqual({ ok: true, config: base });
  });

  it('accepts every source with its options', () => {
    const utilization = { nvidiaSmi: { via: 'srun', path: '/usr/bin/nvidia-smi', parallel: 4, timeoutSec: 30 }, slurmGpuUtil: false, prometheus: { url: 'http://prometheus.internal:9090/prom' } };
    expect(validateClusterConfig({ ...base, utilization })).toEqual({ ok: true, config: { ...base, utilization } });
  });

  it('names what is wrong: credentials in the URL, a path a shell would read, unknown keys', () => {
    const r = validateClusterConfig({
      ...base,
      utilization: { nvidiaSmi: { via: 'pdsh', path: 'nvidia-smi;id', parallel: 0 }, prometheus: { url: 'http://u:p@prom:9090' }, bogus: 1 },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
    expect(byField).toMatchObject({
      'utilization.nvidiaSmi.via': 'srun or ssh',
      'utilization.nvidiaSmi.path': expect.stringMatching(/program name or path/),
      'utilization.nvidiaSmi.parallel': 'from 1 to 64',
      'utilization.prometheus.url': expect.stringMatching(/no user name or password/),
    });
    expect(r.errors.some((e) => e.field === 'utilization' || e.message.includes('bogus'))).toBe(true);
  });

  it('the stored-config schema keeps it (the cluster list must not drop it on the way to the form)', () => {
    const stored = StoredClusterConfig.parse({ ...base, utilization: { nvidiaSmi: { via: 'ssh' } } });
    expect(stored.utilization).toEqual({ nvidiaSmi: { via: 'ssh' } });
  });
});

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false, readLine: null }, { HOME: '/nonexistent', USER: 'tester' });
  return { code, stdout, stderr };
}

describe('clusters add --util-*', () => {
  it('sets, keeps on a re-add without options, and turns sources off', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-util-cli-'));
    const list = async () => JSON.parse((await cli('--data-dir', dir, '--json', 'clusters', 'list')).stdout) as { name: string; utilization?: unknown }[];
    const add = await cli('--data-dir', dir, 'clusters', 'add', 'hpc', '--host', 'login', '--util-nvidia-smi', 'srun', '--util-nvidia-smi-path', '/opt/nvidia/bin/nvidia-smi', '--util-prometheus', 'http://prom.internal:9090', '--util-gpuutil', 'off');
    expect(add.code, add.stderr).toBe(0);
    const want = { nvidiaSmi: { via: 'srun', path: '/opt/nvidia/bin/nvidia-smi' }, prometheus: { url: 'http://prom.internal:9090' }, slurmGpuUtil: false };
    expect((await list())[0]?.utilization).toEqual(want);
    expect((await cli('--data-dir', dir, 'clusters', 'add', 'hpc', '--host', 'login', '--port', '2222')).code).toBe(0);
    expect((await list())[0]?.utilization).toEqual(want);
    expect((await cli('--data-dir', dir, 'clusters', 'add', 'hpc', '--host', 'login', '--util-nvidia-smi', 'ssh')).code).toBe(0);
    expect((await list())[0]?.utilization).toEqual({ ...want, nvidiaSmi: { via: 'ssh', path: '/opt/nvidia/bin/nvidia-smi' } });
    expect((await cli('--data-dir', dir, 'clusters', 'add', 'hpc', '--host', 'login', '--util-nvidia-smi', 'off', '--util-prometheus', 'off', '--util-gpuutil', 'on')).code).toBe(0);
    expect((await list())[0]?.utilization).toEqual({ slurmGpuUtil: true });
  });

  it('refuses bad values with exit 1 and says why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-util-cli-'));
    const cases: [string[], RegExp][] = [
      [['--util-nvidia-smi', 'pdsh'], /--util-nvidia-smi takes srun, ssh or off/],
      [['--util-gpuutil', 'maybe'], /--util-gpuutil takes on or off/],
      [['--util-nvidia-smi-path', '/x/nvidia-smi'], /needs --util-nvidia-smi/],
      [['--util-nvidia-smi', 'srun', '--util-nvidia-smi-path', '$(id)'], /nvidiaSmi\.path/],
      [['--util-prometheus', 'http://admin:pw@prom'], /prometheus\.url: no user name or password/],
    ];
    for (const [opts, message] of cases) {
      const r = await cli('--data-dir', dir, 'clusters', 'add', 'hpc', '--host', 'login', ...opts);
      expect(r.code, opts.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
