// Long-lived POSIX `sh` processes on the cluster's connection that run the collectors' commands other than
// scontrol: two for the slurmctld queries (sshare, sprio, sdiag, squeue, sinfo) and one for sacct, each
// shell one command after another, so a poll does not open an SSH session per command. On the test bed that saves the channel's ~2 ms of sshd and login-shell work per command; on a
// real login node each exec channel is a full session (PAM session stack, pam_systemd, lastlog, audit
// records, LDAP lookups), so it saves far more, and the login node's auth log gets one session per
// connection instead of several per minute.
//
// Framing. Each request is one line: the command (built from argv by shared/slurm/quote.ts, its
// environment as POSIX `NAME=value` assignments since this is our own sh, whatever the login shell is;
// stdin from /dev/null so it can never read the requests that follow), then two printf builtins:
//   <command> </dev/null; printf '\n%s %s\n' 'co-end-<nonce>-<seq>' "$?"; printf '\n%s\n' 'co-end-<nonce>-<seq>' >&2
// so stdout ends with "\n<marker> <exit code>\n" and stderr with "\n<marker>\n"; everything before (minus
// the newline we added) is the command's own output, byte for byte. The nonce is random per session.
// Lifecycle and failures: persistent-session.ts. sacct has its own shell: it can take seconds on a big
// cluster and would hold up the small queries behind it. Measured on the test bed (beta, all 8 kinds):
// sacct in a shell instead of its own exec channel took a refresh from 47 to 37 ms of CPU.
import type { SlurmCommand } from '../../../shared/slurm/commands';
import { shellCommand } from '../../../shared/slurm/quote';
import { PersistentSession, type BlockFinder, type OpenSessionChannel, type SessionOptions, type SessionProtocol } from './persistent-session';

/** Programs the shell session runs: slurmctld queries, on the general shells. */
const CTLD_PROGRAMS = new Set(['squeue', 'sshare', 'sprio', 'sdiag', 'sinfo']);
/** slurmdbd queries, on a shell of their own: they can take seconds and must not hold up the others. */
const DBD_PROGRAMS = new Set(['sacct']);

export function shellSessionRuns(command: SlurmCommand): boolean {
  const program = command.argv[0] ?? '';
  return CTLD_PROGRAMS.has(program) || DBD_PROGRAMS.has(program);
}

function stdoutEnd(marker: string): BlockFinder {
  return (text, from) => {
    const at = text.indexOf(`\n${marker} `, from);
    if (at === -1) return null;
    const end = text.indexOf('\n', at + marker.length + 2);
    if (end === -1) return null;
    const code = Number(text.slice(at + marker.length + 2, end));
    return { block: text.slice(0, at), rest: end + 1, code: Number.isInteger(code) ? code : 255 };
  };
}

function stderrEnd(marker: string): BlockFinder {
  return (text, from) => {
    const at = text.indexOf(`\n${marker}\n`, from);
    return at === -1 ? null : { block: text.slice(0, at), rest: at + marker.length + 2 };
  };
}

const framed = (commandLine: string, nonce: string, seq: number) => {
  const marker = `co-end-${nonce}-${seq}`;
  return {
    send: `${commandLine} </dev/null; printf '\\n%s %s\\n' '${marker}' "$?"; printf '\\n%s\\n' '${marker}' >&2\n`,
    stdout: stdoutEnd(marker),
    stderr: stderrEnd(marker),
  };
};

const SHELL: SessionProtocol<SlurmCommand> = {
  argv: ['sh'],
  env: {},
  startup: (nonce, seq) => framed('true', nonce, seq),
  frame: (command, nonce, seq) => framed(shellCommand(command.argv, command.env, { posix: true }), nonce, seq),
  result: (_command, stdout, stderr, code) => ({ code: code ?? 255, stdout, stderr }),
  describe: (command) => command.argv.slice(0, 3).join(' '),
};

export class ShellSession {
  private readonly shells: { session: PersistentSession<SlurmCommand>; queued: number }[];
  private readonly dbd: { session: PersistentSession<SlurmCommand>; queued: number };

  /** `shells`: how many sh processes (each runs its commands one after another) share the slurmctld
   *  queries; sacct has one more of its own. */
  constructor(open: OpenSessionChannel, options: SessionOptions & { shells?: number } = {}) {
    const { shells = 2, ...rest } = options;
    if (!Number.isInteger(shells) || shells < 1) throw new RangeError('shells must be a positive integer');
    this.shells = Array.from({ length: shells }, () => ({ session: new PersistentSession(SHELL, open, rest), queued: 0 }));
    this.dbd = { session: new PersistentSession(SHELL, open, rest), queued: 0 };
  }

  /**
   * Run one of the commands shellSessionRuns() accepts, as an exec channel would (exit code, stdout,
   * stderr): sacct on its own shell, the others on the general shell with the fewest requests waiting.
   */
  run(command: SlurmCommand, options: { timeoutMs?: number; maxBytes?: number } = {}) {
    if (!shellSessionRuns(command)) return Promise.reject(new RangeError(`the shell session does not run ${command.argv[0]}`));
    // Validates argv and env the same way an exec does before anything is written.
    try {
      shellCommand(command.argv, command.env);
    } catch (err) {
      return Promise.reject(err);
    }
    const shell = DBD_PROGRAMS.has(command.argv[0] ?? '') ? this.dbd : this.shells.reduce((a, b) => (b.queued < a.queued ? b : a));
    shell.queued++;
    const done = () => {
      shell.queued--;
    };
    const result = shell.session.run(command, options);
    result.then(done, done);
    return result;
  }

  get isOpen(): boolean {
    return this.dbd.session.isOpen || this.shells.some((s) => s.session.isOpen);
  }

  close(): void {
    for (const s of this.shells) s.session.close();
    this.dbd.session.close();
  }
}
