// GPU utilization read from the real test bed over real SSH, as the console does it:
// - nvidia-smi through `srun --overlap --jobid=…` in opsuser's own running GPU jobs on alpha. The test bed
//   has no GPUs, so the nvidia-smi run is a STAND-IN (tests/testbed/lib/nvidia-smi-standin, installed by
//   up.sh into $STATE/alpha/nvidia-smi-standin/): it prints the REAL captured output of an H200 — the idle
//   capture on nodes the test lists in its idle-nodes file, the capture under load on the others. The
//   allocated-but-idle rule must fire for the job on the idle node and stay quiet for the busy one.
// - Prometheus: a STAND-IN too — `python3 -m http.server` on the test-bed host serving a dcgm-exporter-like
//   JSON answer at api/v1/query (built from the live allocations, values of the same captures), reached
//   through the SSH connection's port forwarding (forwardOut), as a real Prometheus inside a cluster would be.
// - Slurm gres/gpuutil: alpha (22.05) does not record it, beta (24.11) does but its nodes gather none
//   (no NVML): both must say so instead of reading nothing.
// The scenario keeps every GPU busy; to get own GPU jobs running the test submits high-QOS opsuser jobs
// (QOS high preempts low, as the scenario's own preemptor does) and cancels them afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUtilization, type UtilizationDeps } from '../../electron/core/alerts/utilization/read-utilization';
import { probeCluster } from '../../electron/core/collect/probe';
import { connectionRemote, runOk } from '../../electron/core/collect/remote';
import type { ClusterConnection } from '../../electron/core/ssh/connection';
import { EMPTY_ALERT_SETTINGS } from '../../shared/alerts/params';
import { allocatedIdleFindings } from '../../shared/alerts/rules/allocated-idle';
import type { AlertInput, UtilizationReading } from '../../shared/alerts/types';
import type { Capabilities } from '../../shared/model/capabilities';
import type { ClusterConfig } from '../../shared/model/cluster';
import type { QueuedJob } from '../../shared/model/job';
import { squeueCommand } from '../../shared/slurm/commands';
import { parseSqueue } from '../../shared/slurm/parse/squeue';
import { testbedCluster, testbedConnection } from './ssh-helpers';
import { STATE, connect, eventually, readCluster, type Connection } from './testbed';

const STANDIN_DIR = path.join(STATE, 'alpha', 'nvidia-smi-standin');
const STANDIN = path.join(STANDIN_DIR, 'nvidia-smi');

async function queue(conn: ClusterConnection): Promise<QueuedJob[]> {
  const out = await runOk(connectionRemote('t', conn.exec.bind(conn)), squeueCommand());
  return parseSqueue(out, { timeZone: 'UTC' }).items;
}

/** Write node names into one of the stand-in's state files (as root over SSH: works whoever runs the test). */
async function setNodes(root: Connection, file: 'idle-nodes' | 'failing-nodes', nodes: string[]): Promise<void> {
  const r = await root.run(['sh', '-c', 'f=$1; shift; : >"$f"; for n in "$@"; do printf "%s\\n" "$n" >>"$f"; done', 'sh', path.join(STANDIN_DIR, file), ...nodes]);
  if (r.code !== 0) throw new Error(`writing ${file}: ${r.stderr}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('GPU utilization on alpha: nvidia-smi via srun (stand-in), Prometheus stand-in via forwardOut', () => {
  const cluster = readCluster('alpha');
  let user: Connection;
  let root: Connection;
  let conn: ClusterConnection;
  let config: ClusterConfig;
  const submitted: string[] = [];
  /** The job on the node the stand-in shows idle, and one of opsuser's on another node (busy). */
  let idle: { jobId: string; node: string };
  let busy: { jobId: string; node: string };
  let web: ChildProcess | null = null;
  let webDir: string | null = null;

  async function submitGpuJob(exclude: string | null): Promise<string> {
    const args = ['sbatch', '--parsable', '-p', 'gpu', '--qos=high', '--gres=gpu:a100:1', '-c', '1', '--mem=100M', '-t', '15', '-J', 'util-live-test', '-o', '/dev/null', '-e', '/dev/null', ...(exclude ? [`--exclude=${exclude}`] : []), '--wrap', 'sleep 900'];
    const r = await user.run(args);
    if (r.code !== 0) throw new Error(`sbatch: ${r.stderr}`);
    const id = (r.stdout.trim().split(';')[0] as string).trim();
    submitted.push(id);
    // As in the requeue test: the scenario keeps the partitions saturated, so put the test's job first.
    await root.run(['scontrol', 'update', `jobid=${id}`, 'priority=100000000']);
    return id;
  }

  async function runningOn(id: string, timeoutMs: number): Promise<string> {
    return eventually(`job ${id} running`, timeoutMs, async () => {
      const r = await user.run(['squeue', '-h', '-j', id, '-o', '%T %N']);
      const [state, node] = r.stdout.trim().split(/\s+/);
      return state === 'RUNNING' && node ? node : undefined;
    });
  }

  beforeAll(async () => {
    user = await connect(cluster, 'opsuser');
    root = await connect(cluster, 'root');
    const check = await root.run(['test', '-x', STANDIN]);
    if (check.code !== 0) throw new Error(`the stand-in nvidia-smi is missing (${STANDIN}): run tests/testbed/up.sh alpha`);
    await setNodes(root, 'failing-nodes', []);
    const first = await submitGpuJob(null);
    idle = { jobId: first, node: await runningOn(first, 120_000) };
    // Another own GPU job on another node: the scenario's opsuser job if it runs elsewhere, else one more.
    const own = await user.run(['squeue', '-h', '-u', 'opsuser', '-t', 'RUNNING', '-o', '%i %N %b']);
    const other = own.stdout
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find(([id, node, gres]) => id !== first && node && node !== idle.node && /gpu/.test(gres ?? ''));
    if (other) busy = { jobId: other[0] as string, node: other[1] as string };
    else {
      const second = await submitGpuJob(idle.node);
      busy = { jobId: second, node: await runningOn(second, 120_000) };
    }
    await setNodes(root, 'idle-nodes', [idle.node]);
    config = testbedCluster('alpha', 'opsuser');
    conn = testbedConnection(config);
  });

  afterAll(async () => {
    if (submitted.length) await root?.run(['scancel', ...submitted]);
    if (root) {
      await setNodes(root, 'idle-nodes', []).catch(() => undefined);
      await setNodes(root, 'failing-nodes', []).catch(() => undefined);
    }
    if (web?.pid) web.kill('SIGTERM');
    if (webDir) rmSync(webDir, { recursive: true, force: true });
    await conn?.close(1000);
    user?.close();
    root?.close();
  });

  async function read(utilization: ClusterConfig['utilization'], capabilities: Capabilities | null = { gpuUtilTres: false } as Capabilities): Promise<UtilizationReading> {
    const deps: UtilizationDeps = { exec: conn.exec.bind(conn), forward: conn.forwardOut.bind(conn), config: { ...config, utilization }, capabilities, jobs: await queue(conn) };
    return readUtilization(deps);
  }

  function jobOf(r: UtilizationReading, jobId: string) {
    if (!r.available) throw new Error(`no reading: ${JSON.stringify(r.reasons)}`);
    const j = r.jobs.find((x) => x.jobId === jobId);
    if (!j) throw new Error(`job ${jobId} not measured; warnings: ${r.warnings.join(' | ')}`);
    return j;
  }

  it('srun + stand-in nvidia-smi: the idle node’s job reads 0 %, the other 100 %; the idle rule fires only for the first', async () => {
    const r = await read({ nvidiaSmi: { via: 'srun', path: STANDIN } });
    expect(r.available && r.source).toBe('nvidia-smi');
    const i = jobOf(r, idle.jobId);
    expect(i).toMatchObject({ gpusMeasured: 1, meanPct: 0, maxPct: 0 });
    expect(i.perGpu).toEqual([{ node: idle.node, gpuIndex: expect.any(Number), utilPct: 0 }]);
    const b = jobOf(r, busy.jobId);
    expect(b.meanPct).toBe(100);
    expect(b.perGpu.every((g) => g.node === busy.node && g.utilPct === 100)).toBe(true);
    // Other users' GPU jobs (the scenario's) cannot be joined with srun, and the reading says so.
    expect(r.available && r.warnings.join('\n')).toMatch(/of other users not measured: srun can add steps only to your own jobs/);

    const jobs = await queue(conn);
    const input: AlertInput = { cluster: 'alpha', at: Math.floor(Date.now() / 1000), nodes: [], partitions: null, jobs, outOfServiceHistory: {}, partitionWindow: {}, utilization: r };
    const findings = allocatedIdleFindings(input, EMPTY_ALERT_SETTINGS);
    expect(findings.map((f) => f.subject)).toContain(`job:${idle.jobId}`);
    expect(findings.map((f) => f.subject)).not.toContain(`job:${busy.jobId}`);
    expect(findings.find((f) => f.subject === `job:${idle.jobId}`)?.body).toMatch(/Source: nvidia-smi/);
  });

  it('a node whose nvidia-smi fails (driver message, exit 9) is a warning; the other job still counts', async () => {
    await setNodes(root, 'failing-nodes', [busy.node]);
    try {
      const r = await read({ nvidiaSmi: { via: 'srun', path: STANDIN } });
      expect(jobOf(r, idle.jobId).meanPct).toBe(0);
      expect(r.available && r.jobs.some((j) => j.jobId === busy.jobId)).toBe(false);
      expect(r.available && r.warnings.join('\n')).toMatch(new RegExp(`job ${busy.jobId} on ${busy.node}: the NVIDIA driver is not loaded \\(exit 9\\) — NVIDIA-SMI has failed`));
    } finally {
      await setNodes(root, 'failing-nodes', []);
    }
  });

  it('Prometheus stand-in (python3 http.server on the test-bed host) through forwardOut: same numbers, source prometheus-dcgm', async () => {
    const jobs = await queue(conn);
    const details = await runOk(connectionRemote('t', conn.exec.bind(conn)), { argv: ['scontrol', '-d', '-o', 'show', 'job', idle.jobId], env: {} });
    const idx = Number(/GRES=gpu:a100:1\(IDX:(\d+)\)/.exec(details)?.[1] ?? 'NaN');
    expect(Number.isInteger(idx)).toBe(true);
    // A dcgm-exporter-like answer: every GPU of opsuser's jobs (by Slurm IDX), idle node 0 %, others 100 %.
    const series = [] as unknown[];
    const metric = (name: string, node: string, gpu: number, value: number) => ({
      metric: { __name__: name, Hostname: node, gpu: String(gpu), UUID: `GPU-standin-${node}-${gpu}`, device: `nvidia${gpu}`, modelName: 'NVIDIA H200', job: 'dcgm-exporter-standin' },
      value: [Date.now() / 1000, String(value)],
    });
    series.push(metric('DCGM_FI_DEV_GPU_UTIL', idle.node, idx, 0), metric('DCGM_FI_DEV_FB_USED', idle.node, idx, 0), metric('DCGM_FI_DEV_FB_FREE', idle.node, idx, 143771));
    const busyJob = jobs.find((j) => j.jobId === busy.jobId);
    const busyDetails = await runOk(connectionRemote('t', conn.exec.bind(conn)), { argv: ['scontrol', '-d', '-o', 'show', 'job', String(busyJob?.jobIdRaw ?? busy.jobId)], env: {} });
    const m = /GRES=gpu:\w+:\d+\(IDX:([\d,-]+)\)/.exec(busyDetails);
    const busyIdx = (m?.[1] ?? '').split(',').flatMap((p) => {
      const [a, b] = p.split('-').map(Number);
      return b === undefined ? [a as number] : Array.from({ length: (b as number) - (a as number) + 1 }, (_, k) => (a as number) + k);
    });
    for (const g of busyIdx) series.push(metric('DCGM_FI_DEV_GPU_UTIL', busy.node, g, 100), metric('DCGM_FI_DEV_FB_USED', busy.node, g, 1011));
    webDir = mkdtempSync(path.join(os.tmpdir(), 'prometheus-standin-'));
    mkdirSync(path.join(webDir, 'api', 'v1'), { recursive: true });
    writeFileSync(path.join(webDir, 'api', 'v1', 'query'), JSON.stringify({ status: 'success', data: { resultType: 'vector', result: series } }));
    const port = await freePort();
    web = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', '--directory', webDir, String(port)], { stdio: 'ignore' });
    await eventually('the Prometheus stand-in listening', 15_000, () =>
      new Promise<true | undefined>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(undefined));
      }),
    );
    const r = await read({ prometheus: { url: `http://127.0.0.1:${port}` }, nvidiaSmi: { via: 'srun', path: STANDIN } });
    expect(r.available && r.source).toBe('prometheus-dcgm');
    expect(jobOf(r, idle.jobId)).toMatchObject({ gpusMeasured: 1, meanPct: 0 });
    expect(jobOf(r, busy.jobId).meanPct).toBe(100);
    expect(conn.stats().channelsInUse).toBe(0);
  });

  it('Slurm gres/gpuutil on alpha: the real probe finds AccountingStorageTRES without it, and the reading says so', async () => {
    const caps = await probeCluster(connectionRemote('alpha', conn.exec.bind(conn)), 'opsuser');
    expect(caps.gpuUtilTres).toBe(false);
    const r = await read({}, caps);
    expect(r.available).toBe(false);
    if (r.available) return;
    expect(r.reasons).toEqual([
      { source: 'prometheus-dcgm', reason: 'no Prometheus URL configured' },
      { source: 'nvidia-smi', reason: 'nvidia-smi not enabled for this cluster' },
      { source: 'slurm-gpuutil', reason: 'AccountingStorageTRES lacks gres/gpuutil' },
    ]);
  });
});

describe('GPU utilization on beta: Slurm records gres/gpuutil, its nodes gather none', () => {
  it('the probe sees gres/gpuutil; sstat of opsuser’s running GPU jobs carries no value, and the reading says why', async () => {
    const c = testbedConnection(testbedCluster('beta', 'opsuser'));
    try {
      const remote = connectionRemote('beta', c.exec.bind(c));
      const caps = await probeCluster(remote, 'opsuser');
      expect(caps.gpuUtilTres).toBe(true);
      const jobs = await queue(c);
      const ownGpu = jobs.filter((j) => j.user === 'opsuser' && j.state === 'RUNNING' && (j.tresAlloc?.gpu ?? 0) > 0);
      const r = await readUtilization({ exec: c.exec.bind(c), config: testbedCluster('beta', 'opsuser'), capabilities: caps, jobs });
      if (ownGpu.length > 0) {
        expect(r.available).toBe(false);
        expect(!r.available && r.reasons[2]).toEqual({ source: 'slurm-gpuutil', reason: expect.stringMatching(/^no running step of \d+ GPU jobs? carries gres\/gpuutil/) });
      } else {
        // Nothing of opsuser's holds GPUs right now: nothing to measure, and other users' jobs are named.
        expect(r.available && r.jobs).toEqual([]);
      }
    } finally {
      await c.close(1000);
    }
  });
});
