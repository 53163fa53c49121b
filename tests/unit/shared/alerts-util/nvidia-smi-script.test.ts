// The collection scripts run for real here: through `sh -c <quoted command line>` as sshd would, with fake
// `srun`, `ssh` and `nvidia-smi` programs first on PATH (stand-ins written by this test, not Slurm).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNvidiaSmiCsv, parseSmiScriptOutput } from '../../../../shared/alerts/util/nvidia-smi';
import { DEFAULT_SMI_LIMITS, smiExecTimeoutMs, srunSmiArgv, sshSmiArgv } from '../../../../shared/alerts/util/nvidia-smi-script';
import { shellCommand } from '../../../../shared/slurm/quote';

let dir: string;

function stub(name: string, body: string): void {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

function run(argv: string[]): { stdout: string; code: number } {
  try {
    const stdout = execFileSync('sh', ['-c', shellCommand(argv)], { env: { PATH: `${dir}:/usr/bin:/bin`, TMPDIR: dir }, encoding: 'utf8', timeout: 30_000 });
    return { stdout, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; status: number };
    return { stdout: e.stdout, code: e.status };
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smi-script-'));
  // Stand-in nvidia-smi: two GPUs, busy on nodes named *busy*, fails on nodes named *nodriver*.
  stub(
    'nvidia-smi',
    `case "$NODE" in
  *nodriver*) echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."; exit 9 ;;
  *busy*) u=100 ;;
  *) u=0 ;;
esac
[ "$1" = "--query-gpu=index,uuid,pci.bus_id,utilization.gpu,memory.used,memory.total" ] || { echo "unexpected $1" >&2; exit 2; }
echo "0, GPU-00000000-0000-0000-0000-00000000000a, 00000000:18:00.0, $u, 1011, 143771"
echo "1, GPU-00000000-0000-0000-0000-00000000000b, 00000000:3B:00.0, $u, 1011, 143771"`,
  );
  // Stand-in srun: job 11 runs on busy-1 and idle-2 with GPUs 0,1; job 12 is someone else's; job 13 hangs.
  stub(
    'srun',
    `for a in "$@"; do case "$a" in --jobid=*) job=\${a#--jobid=} ;; esac; done
while [ "$1" != sh ]; do shift; done; shift
case "$job" in
  11) for n in busy-1 idle-2; do NODE=$n SLURMD_NODENAME=$n SLURM_STEP_GPUS=0,1 CUDA_VISIBLE_DEVICES=0,1 sh "$@"; done ;;
  12) echo "srun: error: Unable to create step for job 12: Access/permission denied" >&2; exit 1 ;;
  13) sleep 30 ;;
esac`,
  );
  stub(
    'ssh',
    `while [ "$1" != -- ]; do shift; done; shift; host=$1; shift
case "$host" in
  unreachable*) echo "ssh: Could not resolve hostname $host: Name or service not known" >&2; exit 255 ;;
esac
NODE=$host "$@"`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('srun script', () => {
  it('one item per job: node-prefixed nvidia-smi lines with the step GPUs, srun errors and time limits per job', () => {
    const limits = { ...DEFAULT_SMI_LIMITS, timeoutSec: 2, parallel: 2 };
    const started = Date.now();
    const r = run(srunSmiArgv([{ jobIdRaw: 11, numNodes: 2 }, { jobIdRaw: 12, numNodes: 1 }, { jobIdRaw: 13, numNodes: 1 }], limits));
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(smiExecTimeoutMs(3, limits));
    const items = parseSmiScriptOutput(r.stdout);
    const ok = items.get('11');
    expect(ok?.exitCode).toBe(0);
    expect([...(ok?.nodes.keys() ?? [])]).toEqual(['busy-1', 'idle-2']);
    const busy = ok?.nodes.get('busy-1');
    expect(busy?.stepGpus).toEqual([0, 1]);
    expect(busy?.exitCode).toBe(0);
    expect(parseNvidiaSmiCsv(busy?.lines.join('\n') ?? '').gpus.map((g) => g.utilPct)).toEqual([100, 100]);
    expect(parseNvidiaSmiCsv(ok?.nodes.get('idle-2')?.lines.join('\n') ?? '').gpus.map((g) => g.utilPct)).toEqual([0, 0]);
    expect(items.get('12')).toMatchObject({ exitCode: 1, stderr: ['srun: error: Unable to create step for job 12: Access/permission denied'] });
    expect(items.get('13')?.exitCode).toBe(124);
  });

  it('refuses what is not a job id or a sane limit before anything runs', () => {
    expect(() => srunSmiArgv([{ jobIdRaw: Number('1;id'), numNodes: 1 }])).toThrow(/refusing job id/);
    expect(() => srunSmiArgv([{ jobIdRaw: 1, numNodes: 0 }])).toThrow(/node count/);
    expect(() => srunSmiArgv([{ jobIdRaw: 1, numNodes: 1 }], { ...DEFAULT_SMI_LIMITS, program: 'nvidia-smi; rm -rf ~' })).toThrow(/refusing nvidia-smi path/);
    expect(() => srunSmiArgv([{ jobIdRaw: 1, numNodes: 1 }], { ...DEFAULT_SMI_LIMITS, program: '-oProxyCommand=x' })).toThrow(/refusing/);
    expect(() => srunSmiArgv([{ jobIdRaw: 1, numNodes: 1 }], { ...DEFAULT_SMI_LIMITS, parallel: 0 })).toThrow(/parallel/);
  });

  it('the scripts are one line (csh-family login shells refuse newlines inside quotes)', () => {
    for (const a of [srunSmiArgv([{ jobIdRaw: 1, numNodes: 1 }]), sshSmiArgv(['n1'])]) expect(a.some((x) => x.includes('\n'))).toBe(false);
  });
});

describe('ssh script', () => {
  it('one item per node: a node without driver or unreachable does not lose the others', () => {
    const r = run(sshSmiArgv(['busy-a', 'nodriver-b', 'unreachable-c', 'idle-d'], { ...DEFAULT_SMI_LIMITS, parallel: 3, timeoutSec: 5 }));
    expect(r.code).toBe(0);
    const items = parseSmiScriptOutput(r.stdout);
    expect(items.get('busy-a')?.exitCode).toBe(0);
    expect(parseNvidiaSmiCsv(items.get('busy-a')?.nodes.get('busy-a')?.lines.join('\n') ?? '').gpus).toHaveLength(2);
    expect(items.get('nodriver-b')?.exitCode).toBe(9);
    expect(items.get('nodriver-b')?.nodes.get('nodriver-b')?.lines[0]).toMatch(/^NVIDIA-SMI has failed/);
    expect(items.get('unreachable-c')).toMatchObject({ exitCode: 255, stderr: [expect.stringMatching(/Could not resolve hostname/)] });
    expect(parseNvidiaSmiCsv(items.get('idle-d')?.nodes.get('idle-d')?.lines.join('\n') ?? '').gpus.map((g) => g.utilPct)).toEqual([0, 0]);
  });

  it('refuses node names ssh would read as options or a shell would interpret', () => {
    for (const bad of ['-oProxyCommand=id', 'n1;id', 'n 1', '$(id)', '']) expect(() => sshSmiArgv([bad]), bad).toThrow(/refusing node name/);
  });
});
