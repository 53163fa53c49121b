// The persistent scontrol session's framing and failure handling, against a stand-in that behaves like
// interactive scontrol on a pipe: readline builds echo `scontrol: <command>`, builds without readline print
// the prompt with no newline, `show hostnames X` prints X, an unknown word goes to stderr as
// "invalid keyword: …", a failed RPC prints only to stderr. (The real scontrol is driven over SSH in
// tests/integration/scontrol-session-live.test.ts.)
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SessionUnavailable, type SessionChannel } from '../../../../electron/core/collect/persistent-session';
import { ScontrolSession, sessionWords } from '../../../../electron/core/collect/scontrol-session';
import { ShellSession } from '../../../../electron/core/collect/shell-session';
import { sessionRemote, type Remote } from '../../../../electron/core/collect/remote';
import { ExecError } from '../../../../electron/core/ssh/exec';
import { SshError } from '../../../../electron/core/ssh/errors';
import { scontrolJobsCommand, scontrolNodesCommand, scontrolPartitionsCommand, scontrolReservationsCommand, sdiagCommand, squeueCommand } from '../../../../shared/slurm/commands';

interface FakeOptions {
  readline?: boolean;
  answers?: Record<string, { out?: string; err?: string }>;
  /** Split every write into 1-byte chunks (answers arrive in pieces). */
  trickle?: boolean;
  /** Lines after which the fake stops answering. */
  hangOn?: string;
  startupStderr?: string;
  /** Never answers anything (a wedged process). */
  mute?: boolean;
}

class FakeScontrol extends EventEmitter implements SessionChannel {
  readonly stderr = new EventEmitter();
  readonly received: string[] = [];
  closed = false;
  private input = '';

  constructor(private readonly o: FakeOptions = {}) {
    super();
    if (o.startupStderr) queueMicrotask(() => this.err(o.startupStderr as string));
  }

  write(data: string): boolean {
    this.input += data;
    let nl: number;
    while ((nl = this.input.indexOf('\n')) !== -1) {
      const line = this.input.slice(0, nl);
      this.input = this.input.slice(nl + 1);
      this.received.push(line);
      this.handle(line);
    }
    return true;
  }

  end(): void {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    queueMicrotask(() => this.emit('close'));
  }

  private out(text: string): void {
    this.send((b) => this.emit('data', b), text);
  }

  private err(text: string): void {
    this.send((b) => this.stderr.emit('data', b), text);
  }

  private send(emit: (b: Buffer) => void, text: string): void {
    if (this.closed) return;
    const bytes = Buffer.from(text, 'utf8');
    if (!this.o.trickle) return void queueMicrotask(() => emit(bytes));
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes.subarray(i, i + 1);
      queueMicrotask(() => emit(b));
    }
  }

  private hung = false;

  private handle(line: string): void {
    if (this.o.mute || this.hung || line === this.o.hangOn) {
      this.hung = true;
      return;
    }
    if (this.o.readline === false) this.out('scontrol: ');
    else this.out(`scontrol: ${line}\n`);
    const host = /^show hostnames (\S+)$/.exec(line);
    if (host) return this.out(`${host[1]}\n`);
    const answer = this.o.answers?.[line];
    if (answer) {
      if (answer.out) this.out(answer.out);
      if (answer.err) this.err(answer.err);
      return;
    }
    if (line === 'quit') return;
    this.err(`invalid keyword: ${line}\n`);
  }
}

const NODES = 'NodeName=gpu-01 Arch=x86_64 CPUAlloc=8 Gres=gpu:a100:4(S:0)\nNodeName=gpu-02 Arch=x86_64 CPUAlloc=0 Gres=gpu:a100:4(S:0)\n';
const PARTS = 'PartitionName=gpu AllowGroups=ALL Nodes=gpu-[01-02]\n';

function session(fake: FakeScontrol | (() => FakeScontrol), options: ConstructorParameters<typeof ScontrolSession>[1] = {}) {
  const opened: { argv: readonly string[]; env: Record<string, string> }[] = [];
  const s = new ScontrolSession(async (argv, env) => {
    opened.push({ argv, env });
    return typeof fake === 'function' ? fake() : fake;
  }, { nonce: () => 'n0nce', ...options });
  return { s, opened };
}

describe('scontrol session framing', () => {
  it.each([
    ['readline build (echoes commands)', true],
    ['build without readline (prompt without newline)', false],
  ])('%s: answers come back whole and in order', async (_, readline) => {
    const fake = new FakeScontrol({ readline, answers: { 'show node': { out: NODES }, 'show partition': { out: PARTS }, 'show reservation': { out: 'No reservations in the system\n' } } });
    const { s, opened } = session(fake);
    const [a, b, c] = await Promise.all([s.run(['show', 'node']), s.run(['show', 'partition']), s.run(['show', 'reservation'])]);
    expect(a).toMatchObject({ code: 0, stdout: NODES, stderr: '' });
    expect(b).toMatchObject({ code: 0, stdout: PARTS, stderr: '' });
    expect(c).toMatchObject({ code: 0, stdout: 'No reservations in the system\n' });
    expect(opened).toEqual([{ argv: ['scontrol', '-a', '-d', '-o'], env: { SLURM_TIME_FORMAT: '%s' } }]);
    // one session, the startup markers, then per request the command and two markers
    expect(fake.received.filter((l) => l.startsWith('show ') && !l.startsWith('show hostnames'))).toEqual(['show node', 'show partition', 'show reservation']);
    s.close();
  });

  it('answers split into single bytes (multi-byte characters too) still frame exactly', async () => {
    const reason = 'NodeName=gpu-01 State=DRAIN Reason=Lüfter defekt [root@1700000000]\n';
    const fake = new FakeScontrol({ trickle: true, answers: { 'show node': { out: reason } } });
    const { s } = session(fake);
    expect((await s.run(['show', 'node'])).stdout).toBe(reason);
    s.close();
  });

  it('a failed RPC is exit 1 with Slurm\'s stderr; the session goes on answering', async () => {
    const fake = new FakeScontrol({
      answers: {
        'show node': { err: 'slurm_load_node error: Unable to contact slurm controller (connect failure)\n' },
        'show partition': { out: PARTS },
      },
    });
    const { s } = session(fake);
    const failed = await s.run(['show', 'node']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/Unable to contact slurm controller/);
    expect(await s.run(['show', 'partition'])).toMatchObject({ code: 0, stdout: PARTS, stderr: '' });
    s.close();
  });

  it('warnings scontrol prints at start-up are not taken for the first answer', async () => {
    const fake = new FakeScontrol({ startupStderr: 'scontrol: error: gres.conf: something odd\n', answers: { 'show partition': { out: PARTS } } });
    const { s } = session(fake);
    expect(await s.run(['show', 'partition'])).toMatchObject({ code: 0, stdout: PARTS, stderr: '' });
    s.close();
  });

  it('an answer that looks like a marker or echo of another session does not end the block', async () => {
    const tricky = 'NodeName=x Comment=show hostnames coabcx1 Reason=co-mark-abc-1\nNodeName=coabcx1\n';
    const fake = new FakeScontrol({ answers: { 'show node': { out: tricky } } });
    const { s } = session(fake);
    expect((await s.run(['show', 'node'])).stdout).toBe(tricky);
    s.close();
  });

  it('refuses words outside the safe alphabet (nothing is written)', async () => {
    const fake = new FakeScontrol();
    const { s, opened } = session(fake);
    await expect(s.run(['show', 'node; rm -rf /'])).rejects.toThrow(/refusing scontrol word/);
    expect(opened).toHaveLength(0);
  });
});

describe('scontrol session failures', () => {
  it('a request past its deadline fails as timeout, closes the session, and the next request opens a new one', async () => {
    const fakes: FakeScontrol[] = [];
    const { s, opened } = session(() => {
      const f = new FakeScontrol({ hangOn: fakes.length === 0 ? 'show job' : undefined, answers: { 'show job': { out: 'JobId=1 JobName=x\n' } } });
      fakes.push(f);
      return f;
    });
    const err = await s.run(['show', 'job'], { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecError);
    expect((err as ExecError).kind).toBe('timeout');
    expect(fakes[0]?.closed).toBe(true);
    expect((await s.run(['show', 'job'])).stdout).toBe('JobId=1 JobName=x\n');
    expect(opened).toHaveLength(2);
    s.close();
  });

  it('requests are pipelined; when one times out, the ones in flight behind it are asked again on a new session', async () => {
    const fakes: FakeScontrol[] = [];
    const { s, opened } = session(() => {
      const f = new FakeScontrol({ hangOn: fakes.length === 0 ? 'show job' : undefined, answers: { 'show job': { out: 'JobId=1 JobName=x\n' }, 'show node': { out: NODES }, 'show partition': { out: PARTS } } });
      fakes.push(f);
      return f;
    });
    const job = s.run(['show', 'job'], { timeoutMs: 50 });
    const node = s.run(['show', 'node']);
    const part = s.run(['show', 'partition']);
    // all three were written before any answer came back
    await new Promise((r) => setTimeout(r, 10));
    expect(fakes[0]?.received.filter((l) => /^show (job|node|partition)$/.test(l))).toEqual(['show job', 'show node', 'show partition']);
    expect(((await job.catch((e: unknown) => e)) as ExecError).kind).toBe('timeout');
    expect((await node).stdout).toBe(NODES);
    expect((await part).stdout).toBe(PARTS);
    expect(opened).toHaveLength(2);
    s.close();
  });

  it('the channel closing under a request fails it as lost (a cut connection), then a new session is opened', async () => {
    const fakes: FakeScontrol[] = [];
    const { s } = session(() => {
      const f = new FakeScontrol({ hangOn: fakes.length === 0 ? 'show node' : undefined, answers: { 'show node': { out: NODES } } });
      fakes.push(f);
      return f;
    });
    const pending = s.run(['show', 'node']);
    await new Promise((r) => setTimeout(r, 10));
    fakes[0]?.close();
    const err = await pending.catch((e: unknown) => e);
    expect((err as ExecError).kind).toBe('lost');
    expect((await s.run(['show', 'node'])).stdout).toBe(NODES);
  });

  it('an answer above the byte cap fails as too-large and closes the session', async () => {
    const fake = new FakeScontrol({ answers: { 'show job': { out: 'JobId=1 '.repeat(100) + '\n' } } });
    const { s } = session(fake);
    const err = await s.run(['show', 'job'], { maxBytes: 100 }).catch((e: unknown) => e);
    expect((err as ExecError).kind).toBe('too-large');
    expect(fake.closed).toBe(true);
  });

  it('a session that never answers its start-up markers is unavailable, and not retried until later', async () => {
    let t = 0;
    let opens = 0;
    const s = new ScontrolSession(
      async () => {
        opens++;
        return new FakeScontrol({ mute: true });
      },
      { startTimeoutMs: 30, retryAfterMs: 60_000, now: () => t },
    );
    await expect(s.run(['show', 'node'])).rejects.toBeInstanceOf(SessionUnavailable);
    await expect(s.run(['show', 'node'])).rejects.toBeInstanceOf(SessionUnavailable);
    expect(opens).toBe(1);
    t = 61_000;
    await expect(s.run(['show', 'node'])).rejects.toBeInstanceOf(SessionUnavailable);
    expect(opens).toBe(2);
  });

  it('a connection that is down does not mark the session unavailable', async () => {
    let opens = 0;
    const s = new ScontrolSession(async () => {
      opens++;
      if (opens === 1) throw new SshError('unreachable', 'alpha is offline', null, null);
      return new FakeScontrol({ answers: { 'show node': { out: NODES } } });
    });
    await expect(s.run(['show', 'node'])).rejects.toBeInstanceOf(SessionUnavailable);
    expect((await s.run(['show', 'node'])).stdout).toBe(NODES);
    s.close();
  });

  it('is replaced after maxRequests and after maxAgeMs', async () => {
    let t = 0;
    const fakes: FakeScontrol[] = [];
    const s = new ScontrolSession(
      async () => {
        const f = new FakeScontrol({ answers: { 'show node': { out: NODES } } });
        fakes.push(f);
        return f;
      },
      { maxRequests: 2, maxAgeMs: 1_000, now: () => t },
    );
    await s.run(['show', 'node']);
    await s.run(['show', 'node']);
    await s.run(['show', 'node']);
    expect(fakes).toHaveLength(2);
    expect(fakes[0]?.closed).toBe(true);
    t = 2_000;
    await s.run(['show', 'node']);
    expect(fakes).toHaveLength(3);
    s.close();
  });
});

describe('which commands the session answers', () => {
  it('the collectors\' scontrol show commands, and nothing else', () => {
    expect(sessionWords(scontrolNodesCommand().argv, scontrolNodesCommand().env)).toEqual(['show', 'node']);
    expect(sessionWords(scontrolPartitionsCommand().argv, scontrolPartitionsCommand().env)).toEqual(['show', 'partition']);
    expect(sessionWords(scontrolReservationsCommand().argv, scontrolReservationsCommand().env)).toEqual(['show', 'reservation']);
    expect(sessionWords(scontrolJobsCommand().argv, scontrolJobsCommand().env)).toEqual(['show', 'job']);
    // one job by id, other programs, other environments, flags the session does not run with
    expect(sessionWords(scontrolJobsCommand('12').argv, {})).toBeNull();
    expect(sessionWords(scontrolJobsCommand('12').argv, scontrolJobsCommand('12').env)).toBeNull();
    expect(sessionWords(squeueCommand().argv, squeueCommand().env)).toBeNull();
    expect(sessionWords(sdiagCommand().argv, sdiagCommand().env)).toBeNull();
    expect(sessionWords(['scontrol', '-a', '-o', 'show', 'node'], { SLURM_TIME_FORMAT: '%s' })).toBeNull(); // -d missing
    expect(sessionWords(['scontrol', '-o', 'show', 'partition'], { SLURM_TIME_FORMAT: '%s' })).toBeNull(); // -a missing
    expect(sessionWords(['scontrol', '-a', '-o', 'show', 'partition'], {})).toBeNull();
    expect(sessionWords(['scontrol', '-a', '-o', '-v', 'show', 'partition'], { SLURM_TIME_FORMAT: '%s' })).toBeNull();
    expect(sessionWords(['scontrol', '-a', '-o', 'update', 'partition'], { SLURM_TIME_FORMAT: '%s' })).toBeNull();
  });

  it('sessionRemote falls back to a plain command when the session cannot start or too few channels are left', async () => {
    const plain: string[] = [];
    const base: Remote = {
      cluster: 'alpha',
      run: async (cmd) => {
        plain.push(cmd.argv.join(' '));
        return { code: 0, signal: null, stdout: 'plain\n', stderr: '', durationMs: 1 };
      },
    };
    const broken = new ScontrolSession(async () => {
      throw new ExecError('refused', 'channel', { started: false });
    });
    const noShell = new ShellSession(async () => {
      throw new ExecError('refused', 'channel', { started: false });
    });
    expect((await sessionRemote(base, { scontrol: broken, shell: noShell }, () => true).run(scontrolNodesCommand())).stdout).toBe('plain\n');
    const fake = new FakeScontrol({ answers: { 'show node': { out: NODES } } });
    const working = new ScontrolSession(async () => fake);
    let usable = false;
    const remote = sessionRemote(base, { scontrol: working, shell: noShell }, () => usable);
    expect((await remote.run(scontrolNodesCommand())).stdout).toBe('plain\n');
    usable = true;
    expect((await remote.run(scontrolNodesCommand())).stdout).toBe(NODES);
    expect(working.isOpen).toBe(true);
    expect((await remote.run(sdiagCommand())).stdout).toBe('plain\n');
    // The server lowered the channel limit: the session gives its channel back at the next command.
    usable = false;
    expect((await remote.run(scontrolNodesCommand())).stdout).toBe('plain\n');
    expect(working.isOpen).toBe(false);
    expect(fake.closed).toBe(true);
    // sdiag: the shell session could not start either, so it ran on its own channel
    expect(plain).toEqual(['scontrol -a -d -o show node', 'scontrol -a -d -o show node', 'sdiag', 'scontrol -a -d -o show node']);
    working.close();
  });
});
