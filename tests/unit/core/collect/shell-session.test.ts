// The shell session's framing against a real POSIX sh (this machine's /bin/sh, run locally as the channel
// would run it remotely) and stand-in Slurm programs on its PATH: output byte for byte (no trailing
// newline, multi-byte text, lines that look like markers), exit codes, stderr kept apart, a command that
// reads stdin cannot eat the requests after it, and a command past its deadline closes the session.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionChannel } from '../../../../electron/core/collect/persistent-session';
import { ShellSession, shellSessionRuns } from '../../../../electron/core/collect/shell-session';
import type { ExecError } from '../../../../electron/core/ssh/exec';
import { sacctCommand, sdiagCommand, sinfoNodesCommand, sprioCommand, squeueCommand, sshareCommand } from '../../../../shared/slurm/commands';

let bin: string;
const spawned: { killed: boolean }[] = [];

/** A local `sh` behind the SessionChannel interface (what ssh2's exec channel gives the session). */
function localChannel(argv: readonly string[], env: Record<string, string>): Promise<SessionChannel> {
  const child = spawn(argv[0] as string, argv.slice(1), { env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` }, stdio: ['pipe', 'pipe', 'pipe'] });
  const record = { killed: false };
  spawned.push(record);
  const channel: SessionChannel = {
    write: (data) => child.stdin.write(data),
    end: () => child.stdin.end(),
    close: () => {
      record.killed = true;
      child.kill('SIGKILL');
    },
    on: ((event: 'data' | 'close', listener: (chunk?: Buffer) => void) => {
      if (event === 'data') child.stdout.on('data', listener);
      else child.on('close', () => listener());
    }) as SessionChannel['on'],
    stderr: { on: (_event, listener) => child.stderr.on('data', listener) },
  };
  return Promise.resolve(channel);
}

function tool(name: string, script: string): void {
  const file = path.join(bin, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

beforeAll(() => {
  bin = mkdtempSync(path.join(tmpdir(), 'clusterops-shell-session-'));
  // squeue: prints its argv, then text with no final newline; echoes SLURM_TIME_FORMAT
  tool('squeue', `printf 'args:%s|' "$@"; printf 'tf=%s\\nGrüße|co-end-x-1 0\\nlast line without newline' "$SLURM_TIME_FORMAT"`);
  // sdiag: fails like a Slurm client whose controller is down
  tool('sdiag', `echo 'sdiag: error: slurm_get_statistics: Unable to contact slurm controller (connect failure)' >&2; exit 1`);
  // sshare: tries to read stdin (must get /dev/null, not the next request), prints what it read
  tool('sshare', `read -r line; printf 'read=[%s]\\n' "$line"`);
  // sprio: sleeps past the deadline the test gives it
  tool('sprio', `sleep 5; echo late`);
  // sacct: slow, like a big accounting query
  tool('sacct', `sleep 1; echo 'sacct done'`);
  // sinfo: 40 MiB of output (a large answer in many chunks)
  tool('sinfo', `head -c ${40 * 1024 * 1024} /dev/zero | tr '\\0' 'x'`);
});

afterAll(() => {
  for (const s of spawned) s.killed = true;
});

describe('shell session on a real sh', () => {
  it('returns each command\'s stdout byte for byte, its exit code and its stderr, in order', async () => {
    const s = new ShellSession(localChannel);
    const [q, d, q2] = await Promise.all([s.run(squeueCommand()), s.run(sdiagCommand()), s.run(squeueCommand())]);
    expect(q.code).toBe(0);
    expect(q.stdout).toBe(`args:-a|args:-h|args:-O|args:${squeueCommand().argv[4]}|tf=%s\nGrüße|co-end-x-1 0\nlast line without newline`);
    expect(q.stderr).toBe('');
    expect(d.code).toBe(1);
    expect(d.stdout).toBe('');
    expect(d.stderr).toBe('sdiag: error: slurm_get_statistics: Unable to contact slurm controller (connect failure)\n');
    expect(q2.stdout).toBe(q.stdout);
    s.close();
  });

  it('a command that reads stdin reads nothing, and the next request still runs', async () => {
    const s = new ShellSession(localChannel);
    const [a, b] = await Promise.all([s.run(sshareCommand()), s.run(squeueCommand())]);
    expect(a).toMatchObject({ code: 0, stdout: 'read=[]\n' });
    expect(b.code).toBe(0);
    s.close();
  });

  it('a command past its deadline fails as timeout and the session is replaced', async () => {
    const s = new ShellSession(localChannel);
    const before = spawned.length;
    const err = (await s.run(sprioCommand({ major: 24, minor: 11, patch: 5 }), { timeoutMs: 200 }).catch((e: unknown) => e)) as ExecError;
    expect(err.kind).toBe('timeout');
    expect(spawned[before]?.killed).toBe(true);
    expect((await s.run(squeueCommand())).code).toBe(0);
    expect(spawned.length).toBe(before + 2);
    s.close();
  });

  it('sacct runs on a shell of its own: a slow one does not hold up the slurmctld queries', async () => {
    const s = new ShellSession(localChannel);
    const sacct = sacctCommand(['JobID', 'JobName'], { start: 0, end: 1, timeZone: 'UTC' });
    const t = performance.now();
    const slow = s.run(sacct).then((r) => ({ r, at: performance.now() - t }));
    const quick = await Promise.all([s.run(squeueCommand()), s.run(squeueCommand()), s.run(squeueCommand())]);
    const quickAt = performance.now() - t;
    const { r, at } = await slow;
    expect(r).toMatchObject({ code: 0, stdout: 'sacct done\n' });
    expect(quick.every((q) => q.code === 0)).toBe(true);
    expect(quickAt).toBeLessThan(at);
    s.close();
  });

  it('a request that runs longer than the idle time is not cut; the session closes once idle', async () => {
    const s = new ShellSession(localChannel, { idleMs: 200 });
    const r = await s.run(sacctCommand(['JobID'], { start: 0, end: 1, timeZone: 'UTC' }));
    expect(r.stdout).toBe('sacct done\n');
    expect(s.isOpen).toBe(true);
    await new Promise((done) => setTimeout(done, 400));
    expect(s.isOpen).toBe(false);
  });

  it('a large answer arriving in many chunks is read whole and in linear time', async () => {
    const s = new ShellSession(localChannel);
    const t = performance.now();
    const r = await s.run(sinfoNodesCommand());
    const ms = performance.now() - t;
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(40 * 1024 * 1024);
    expect(ms).toBeLessThan(5_000); // ~0.2 s here; appending and searching one string took 10 s
    s.close();
  });

  it('runs only the collectors\' query programs', async () => {
    expect(shellSessionRuns(squeueCommand())).toBe(true);
    expect(shellSessionRuns(sdiagCommand())).toBe(true);
    expect(shellSessionRuns(sacctCommand(['JobID'], { start: 0, end: 1, timeZone: 'UTC' }))).toBe(true);
    const other = { argv: ['sacctmgr', 'show', 'user'], env: {} };
    expect(shellSessionRuns(other)).toBe(false);
    await expect(new ShellSession(localChannel).run(other)).rejects.toThrow(/does not run sacctmgr/);
  });
});
