// readUtilization: which source serves, what each says when it cannot, and the Prometheus path end to end
// over a real SSH connection (ssh2 server in-process, forwardOut to a local HTTP server that answers like
// Prometheus with dcgm-exporter series — a stand-in, not Prometheus).
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readUtilization, type UtilExec, type UtilizationDeps } from '../../../../electron/core/alerts/utilization/read-utilization';
import { ClusterConnection } from '../../../../electron/core/ssh/connection';
import type { ExecResult } from '../../../../electron/core/ssh/exec';
import { HostVerifier } from '../../../../electron/core/ssh/host-verifier';
import { InMemoryPinnedHostKeys } from '../../../../electron/core/ssh/pinned-host-keys';
import type { Capabilities } from '../../../../shared/model/capabilities';
import type { ClusterConfig, UtilizationConfig } from '../../../../shared/model/cluster';
import type { QueuedJob } from '../../../../shared/model/job';
import { emptyTres } from '../../../../shared/model/tres';
import { clusterFor, knownHostsLine, ParkedScheduler, TempDir } from '../ssh/ssh-fixture';
import { makeKey, TestSshServer } from '../ssh/ssh-test-server';

const job = (jobId: string, jobIdRaw: number, user: string, gpus: number, nodes: string[]): QueuedJob => ({
  jobId, jobIdRaw, arrayJobId: null, arrayTaskId: null, arrayTaskRange: null, name: 'j', user, account: 'vision', partition: 'gpu', qos: 'normal',
  state: 'RUNNING', reason: null, priority: 1, tresReq: emptyTres(), tresAlloc: { ...emptyTres(), gpu: gpus }, gpusPerNode: gpus / nodes.length, gpuType: null,
  nodesExpr: nodes.join(','), nodes, numNodes: nodes.length, numCpus: 1, submitTime: 0, startTime: 0, endTime: null, timeLimit: null, restarts: 0, batch: true,
  requeueable: false, dependency: null,
});

const JOBS = [job('501', 501, 'ops', 2, ['gpu01']), job('502', 502, 'ops', 1, ['gpu02']), job('503', 503, 'alice', 4, ['gpu03'])];

/** `scontrol -d -o show job` lines for JOBS (what the ssh and Prometheus sources read for IDX). */
const SCONTROL = [
  'JobId=501 JobName=a UserId=ops(1001) GroupId=ops(1001) Account=vision JobState=RUNNING Reason=None Partition=gpu NodeList=gpu01 NumNodes=1 NumCPUs=1 Nodes=gpu01 CPU_IDs=0 Mem=100 GRES=gpu:a100:2(IDX:2-3) TresPerNode=gres:gpu:2',
  'JobId=502 JobName=b UserId=ops(1001) GroupId=ops(1001) Account=vision JobState=RUNNING Reason=None Partition=gpu NodeList=gpu02 NumNodes=1 NumCPUs=1 Nodes=gpu02 CPU_IDs=0 Mem=100 GRES=gpu:a100:1(IDX:0) TresPerNode=gres:gpu:1',
  'JobId=503 JobName=c UserId=alice(1002) GroupId=alice(1002) Account=nlp JobState=RUNNING Reason=None Partition=gpu NodeList=gpu03 NumNodes=1 NumCPUs=1 Nodes=gpu03 CPU_IDs=0 Mem=100 GRES=gpu:a100:4(IDX:0-3) TresPerNode=gres:gpu:4',
  '',
].join('\n');

const CAPS = { gpuUtilTres: true } as Capabilities;

function config(utilization?: UtilizationConfig): ClusterConfig {
  return { name: 'c', host: 'login', port: 22, user: 'ops', auth: { kind: 'agent' }, jump: [], knownHostsFiles: [], poll: { queue: 60, accounting: 300, fairshare: 900 }, enabled: true, ...(utilization ? { utilization } : {}) };
}

const result = (stdout: string, code = 0, stderr = ''): ExecResult => ({ code, signal: null, stdout, stderr, durationMs: 1 });

/** A fake login host: answers by program name and records every argv. */
function fakeExec(answers: Partial<Record<string, (argv: readonly string[]) => ExecResult>>): UtilExec & { calls: string[][] } {
  const calls: string[][] = [];
  const fn = async (argv: readonly string[]) => {
    calls.push([...argv]);
    const answer = answers[argv[0] as string];
    if (!answer) throw new Error(`unexpected command ${argv[0]}`);
    return answer(argv);
  };
  return Object.assign(fn, { calls });
}

const deps = (over: Partial<UtilizationDeps>): UtilizationDeps => ({ exec: fakeExec({}), config: config(), capabilities: CAPS, jobs: JOBS, now: () => 1_800_000_000_000, ...over });

describe('readUtilization: sources and reasons', () => {
  it('nothing configured and no gres/gpuutil: unavailable, with a reason per source', async () => {
    const r = await readUtilization(deps({ capabilities: { gpuUtilTres: false } as Capabilities }));
    expect(r).toEqual({
      available: false,
      reasons: [
        { source: 'prometheus-dcgm', reason: 'no Prometheus URL configured' },
        { source: 'nvidia-smi', reason: 'nvidia-smi not enabled for this cluster' },
        { source: 'slurm-gpuutil', reason: 'AccountingStorageTRES lacks gres/gpuutil' },
      ],
    });
    const never = await readUtilization(deps({ capabilities: null }));
    expect(never.available === false && never.reasons[2]?.reason).toMatch(/not been probed yet/);
    const old = await readUtilization(deps({ capabilities: {} as Capabilities }));
    expect(old.available === false && old.reasons[2]?.reason).toMatch(/probe the cluster again/);
  });

  it('nvidia-smi via srun: own jobs only, one exec, per-node idle/busy, a failed node does not lose the others', async () => {
    const exec = fakeExec({
      sh: (argv) => {
        expect(argv.slice(-2)).toEqual(['501:1', '502:1']); // alice's job 503 is not asked for
        return result(
          [
            'J|501|gpu01|gpus|2,3|2,3',
            'J|501|gpu01|smi|0, GPU-a, 00000000:18:00.0, 100, 1011, 143771',
            'J|501|gpu01|smi|1, GPU-b, 00000000:3B:00.0, 100, 1011, 143771',
            'J|501|gpu01|smi|2, GPU-c, 00000000:86:00.0, 0, 0, 143771',
            'J|501|gpu01|smi|3, GPU-d, 00000000:AF:00.0, 0, 0, 143771',
            'J|501|gpu01|rc|0',
            'X|501|0',
            'J|502|gpu02|gpus|0|0',
            "J|502|gpu02|smi|NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
            'J|502|gpu02|rc|9',
            'X|502|0',
          ].join('\n'),
        );
      },
    });
    const r = await readUtilization(deps({ exec, config: config({ nvidiaSmi: { via: 'srun' } }) }));
    expect(exec.calls).toHaveLength(1);
    expect(r.available).toBe(true);
    if (!r.available) return;
    expect(r.source).toBe('nvidia-smi');
    expect(r.at).toBe(1_800_000_000);
    // The node shows all 4 GPUs (no device cgroup): the job's are IDX 2 and 3, both idle.
    expect(r.jobs).toEqual([{ jobId: '501', gpusMeasured: 2, meanPct: 0, maxPct: 0, perGpu: [{ node: 'gpu01', gpuIndex: 2, utilPct: 0 }, { node: 'gpu01', gpuIndex: 3, utilPct: 0 }] }]);
    expect(r.warnings).toEqual([
      '1 running GPU job of other users not measured: srun can add steps only to your own jobs',
      expect.stringMatching(/^job 502 on gpu02: the NVIDIA driver is not loaded \(exit 9\) — NVIDIA-SMI has failed/),
      'no GPU sample for 1 running GPU job: 502',
    ]);
  });

  it('nvidia-smi via srun with nothing measured falls back to Slurm gres/gpuutil, and says why', async () => {
    const exec = fakeExec({
      sh: () => result('E|501|srun: error: Unable to create step for job 501: Job/step already completing or completed\nX|501|1\nE|502|srun: error: Unable to create step for job 502: Job/step already completing or completed\nX|502|1\n'),
      sstat: (argv) => {
        expect(argv).toContain('501,502');
        return result('501.batch|1|cpu=00:00:01,gres/gpuutil=30|cpu=00:00:01,gres/gpuutil=30\n502.batch|1|cpu=00:00:01,gres/gpuutil=95|cpu=00:00:01,gres/gpuutil=95\n');
      },
    });
    const r = await readUtilization(deps({ exec, config: config({ nvidiaSmi: { via: 'srun' } }) }));
    expect(r.available).toBe(true);
    if (!r.available) return;
    expect(r.source).toBe('slurm-gpuutil');
    expect(r.jobs.map((j) => [j.jobId, j.meanPct])).toEqual([['501', 15], ['502', 95]]);
    expect(r.warnings[0]).toMatch(/^nvidia-smi could not be used: nvidia-smi gave no GPU sample for any of your 2 running GPU jobs: job 502: srun: error/);
  });

  it('nvidia-smi via ssh: every node, IDX from scontrol -d, an unreachable node is a warning', async () => {
    const exec = fakeExec({
      scontrol: () => result(SCONTROL),
      sh: (argv) => {
        expect(argv.slice(-3)).toEqual(['gpu01', 'gpu02', 'gpu03']);
        return result(
          [
            ...[0, 1, 2, 3].map((i) => `J|gpu01|gpu01|smi|${i}, GPU-${i}, 00000000:${18 + i}:00.0, ${i < 2 ? 0 : 88}, 5, 81559`),
            'X|gpu01|0',
            'E|gpu02|ssh: connect to host gpu02 port 22: Connection timed out',
            'X|gpu02|255',
            ...[0, 1, 2, 3].map((i) => `J|gpu03|gpu03|smi|${i}, GPU-${i}, 00000000:${18 + i}:00.0, 3, 5, 81559`),
            'X|gpu03|0',
          ].join('\n'),
        );
      },
    });
    const r = await readUtilization(deps({ exec, config: config({ nvidiaSmi: { via: 'ssh', parallel: 2, timeoutSec: 5 } }) }));
    expect(r.available).toBe(true);
    if (!r.available) return;
    expect(r.jobs.map((j) => [j.jobId, j.gpusMeasured, j.meanPct])).toEqual([['501', 2, 88], ['503', 4, 3]]);
    expect(r.warnings).toEqual(['gpu02: ssh failed — ssh: connect to host gpu02 port 22: Connection timed out', 'no GPU sample for 1 running GPU job: 502']);
  });

  it('Slurm gres/gpuutil: own jobs, others named; a cluster whose steps carry no gres/gpuutil is unavailable', async () => {
    const none = fakeExec({ sstat: () => result('501.batch|1|cpu=00:00:00,mem=1M|cpu=00:00:00,mem=1M\n502.batch|1|cpu=00:00:00,mem=1M|cpu=00:00:00,mem=1M\n') });
    const r = await readUtilization(deps({ exec: none }));
    expect(r).toEqual({
      available: false,
      reasons: [
        { source: 'prometheus-dcgm', reason: 'no Prometheus URL configured' },
        { source: 'nvidia-smi', reason: 'nvidia-smi not enabled for this cluster' },
        { source: 'slurm-gpuutil', reason: 'no running step of 2 GPU jobs carries gres/gpuutil: the nodes do not gather it (slurmd needs the gpu/nvml plugin, e.g. AutoDetect=nvml)' },
      ],
    });
    const off = await readUtilization(deps({ config: config({ slurmGpuUtil: false }) }));
    expect(off.available === false && off.reasons[2]?.reason).toBe('turned off for this cluster');
  });

  it('no running GPU job: available with nothing to measure, no command run', async () => {
    const exec = fakeExec({});
    const r = await readUtilization(deps({ exec, jobs: [], config: config({ nvidiaSmi: { via: 'srun' } }) }));
    expect(r).toEqual({ available: true, source: 'nvidia-smi', at: 1_800_000_000, jobs: [], warnings: [] });
    expect(exec.calls).toEqual([]);
  });
});

describe('Prometheus through the SSH connection (forwardOut)', () => {
  let dir: TempDir;
  let ssh: TestSshServer;
  let web: http.Server;
  let conn: ClusterConnection | null = null;
  const requests: string[] = [];

  async function setup(answer: (url: string) => { status: number; body: string }, allowForwarding = true): Promise<{ url: string; conn: ClusterConnection }> {
    dir = new TempDir();
    const key = makeKey();
    ssh = await new TestSshServer({
      users: { ops: { keys: [key] } },
      allowForwarding,
      script: (words, ch) => {
        const argv = words[0] === 'env' ? words.slice(words.findIndex((w) => !w.includes('=') && w !== 'env')) : words;
        if (argv[0] === 'scontrol') ch.write(SCONTROL);
        else ch.stderr.write(`${argv[0]}: not in this test\n`);
        ch.exit(argv[0] === 'scontrol' ? 0 : 127);
        ch.end();
      },
    }).start();
    web = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      const a = answer(req.url ?? '');
      res.writeHead(a.status, { 'Content-Type': 'application/json' });
      res.end(a.body);
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const port = (web.address() as net.AddressInfo).port;
    const cluster = clusterFor(ssh, { auth: { kind: 'key', identityFile: dir.write('id', key.private), hasPassphrase: false } });
    const verifier = new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [dir.write('known_hosts', knownHostsLine(ssh))] });
    conn = new ClusterConnection(cluster, { verifier, scheduler: new ParkedScheduler() });
    return { url: `http://127.0.0.1:${port}/prom`, conn };
  }

  afterEach(async () => {
    await conn?.close(100);
    conn = null;
    await ssh?.stop();
    await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
    web.closeAllConnections?.();
    dir?.remove();
    requests.length = 0;
  });

  const vector = (result: unknown[]) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result } });
  const s = (name: string, host: string, gpu: number, v: number) => ({ metric: { __name__: name, Hostname: host, gpu: String(gpu), UUID: `GPU-${host}-${gpu}` }, value: [1, String(v)] });

  it('queries /api/v1/query over a forwarded channel and maps series by node + index via scontrol -d', async () => {
    const body = vector([
      s('DCGM_FI_DEV_GPU_UTIL', 'gpu01.cluster', 2, 0), s('DCGM_FI_DEV_GPU_UTIL', 'gpu01.cluster', 3, 10), s('DCGM_FI_DEV_FB_USED', 'gpu01.cluster', 2, 1011),
      s('DCGM_FI_DEV_GPU_UTIL', 'gpu02.cluster', 0, 97), ...[0, 1, 2, 3].map((i) => s('DCGM_FI_DEV_GPU_UTIL', 'gpu03.cluster', i, 100)),
    ]);
    const { url, conn: c } = await setup(() => ({ status: 200, body }));
    const r = await readUtilization({ exec: c.exec.bind(c), forward: c.forwardOut.bind(c), config: { ...config({ prometheus: { url } }), user: 'ops' }, capabilities: CAPS, jobs: JOBS, now: () => 0 });
    expect(r.available).toBe(true);
    if (!r.available) return;
    expect(r.source).toBe('prometheus-dcgm');
    expect(r.jobs.map((j) => [j.jobId, j.gpusMeasured, j.meanPct, j.maxPct])).toEqual([['501', 2, 5, 10], ['502', 1, 97, 97], ['503', 4, 100, 100]]);
    expect(r.warnings).toEqual([]);
    expect(ssh.forwards).toEqual([`127.0.0.1:${new URL(url).port}`]);
    expect(requests).toEqual([`/prom/api/v1/query?query=${encodeURIComponent('{__name__=~"DCGM_FI_DEV_GPU_UTIL|DCGM_FI_DEV_FB_USED|DCGM_FI_DEV_FB_FREE"}')}`]);
    // The forwarded channel was given back.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(c.stats().channelsInUse).toBe(0);
  });

  it('an HTTP error, or forwarding refused by the login host, is the source’s reason and the next source serves', async () => {
    const { url, conn: c } = await setup(() => ({ status: 503, body: 'Service Unavailable' }));
    const exec = fakeExec({ sstat: () => result('501.batch|1|x=1,gres/gpuutil=40|x=1,gres/gpuutil=40\n502.batch|1|x=1,gres/gpuutil=40|x=1,gres/gpuutil=40\n') });
    const r = await readUtilization({ exec, forward: c.forwardOut.bind(c), config: config({ prometheus: { url } }), capabilities: CAPS, jobs: JOBS });
    expect(r.available && r.source).toBe('slurm-gpuutil');
    expect(r.available && r.warnings[0]).toBe(`prometheus-dcgm could not be used: ${url} answered HTTP 503: Service Unavailable`);
  });

  it('forwarding refused by sshd: a channel error naming the target', async () => {
    const { url, conn: c } = await setup(() => ({ status: 200, body: vector([]) }), false);
    const r = await readUtilization({ exec: fakeExec({}), forward: c.forwardOut.bind(c), config: config({ prometheus: { url } }), capabilities: { gpuUtilTres: false } as Capabilities, jobs: JOBS });
    expect(r.available).toBe(false);
    if (r.available) return;
    expect(r.reasons[0]?.reason).toMatch(new RegExp(`^failed: unit refused a forward to 127\\.0\\.0\\.1:${new URL(url).port}`));
    expect(c.stats().channelsInUse).toBe(0);
  });
});
