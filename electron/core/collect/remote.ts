// The collectors' view of a cluster: run one Slurm command (argv + env from shared/slurm/commands.ts) and
// get its output, or a CommandFailed that carries Slurm's own message. Backed by the cluster's one SSH
// connection; tests may back it by anything that runs real commands.
import type { SlurmCommand } from '../../../shared/slurm/commands';
import type { ExecResult } from '../ssh/exec';
import { SessionUnavailable } from './persistent-session';
import { sessionWords, type ScontrolSession } from './scontrol-session';
import { shellSessionRuns, type ShellSession } from './shell-session';

export interface Remote {
  readonly cluster: string;
  run(command: SlurmCommand, options?: { timeoutMs?: number; maxBytes?: number }): Promise<ExecResult>;
  /** Set when a persistent scontrol session answers `scontrol … show …` on this cluster. */
  readonly session?: ScontrolSession;
}

/** A command ran but failed: exit code and Slurm's stderr, e.g. "slurm_load_jobs error: Unable to contact slurm controller". */
export class CommandFailed extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${commandName(argv)} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${firstLine(stderr) || 'no message'}`);
    this.name = 'CommandFailed';
  }

  /** slurmctld did not answer (the controller is down or unreachable). */
  get controllerUnreachable(): boolean {
    return /Unable to contact slurm controller|Socket timed out on send\/recv|Connection refused|Connection reset by peer|Zero Bytes were transmitted/i.test(this.stderr);
  }

  /** slurmdbd did not answer. */
  get accountingUnreachable(): boolean {
    return /slurmdbd|accounting storage|Problem talking to the database|Connection refused/i.test(this.stderr);
  }
}

/** `scontrol show node`, `squeue`, `sacctmgr show user`: the program and its subcommand words. */
function commandName(argv: readonly string[]): string {
  const words = argv.slice(1, 4).filter((a) => /^[a-z]+$/.test(a));
  return [argv[0] ?? '', ...words.slice(0, 2)].join(' ');
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}

/** Run and insist on exit 0: the output of a failed Slurm command is never parsed as if it were data. */
export async function runOk(remote: Remote, command: SlurmCommand, options?: { timeoutMs?: number; maxBytes?: number }): Promise<string> {
  const result = await remote.run(command, options);
  if (result.code !== 0) throw new CommandFailed(command.argv, result.code, result.stderr);
  return result.stdout;
}

/** A Remote over a ClusterConnection (anything with an exec(argv, {env, timeoutMs, maxBytes})). */
export function connectionRemote(
  cluster: string,
  exec: (argv: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number; maxBytes?: number }) => Promise<ExecResult>,
): Remote {
  return {
    cluster,
    run: (command, options) => exec(command.argv, { env: command.env, ...options }),
  };
}

/**
 * `base`, with the collectors' commands sent to the cluster's long-lived sessions instead of a new SSH
 * channel and process each: `scontrol show node|partition|reservation|job` to the scontrol session,
 * squeue, sshare, sprio, sdiag, sinfo and sacct to the shell session. When a session cannot be used
 * (`usable()` is false: too few channels to keep one open; or it failed to start) the command runs on
 * its own channel as before; everything else (probe, sacctmgr) always does.
 */
export function sessionRemote(base: Remote, sessions: { scontrol: ScontrolSession; shell: ShellSession }, usable: () => boolean): Remote {
  const viaSession = async (run: () => Promise<ExecResult>, command: SlurmCommand, options?: { timeoutMs?: number; maxBytes?: number }) => {
    try {
      return await run();
    } catch (err) {
      if (err instanceof SessionUnavailable) return base.run(command, options);
      throw err;
    }
  };
  return {
    cluster: base.cluster,
    session: sessions.scontrol,
    run: async (command, options) => {
      if (!usable()) {
        // The server allows fewer channels than we thought (it refused one): the sessions' channels
        // would leave the plain commands none, so give them back now rather than after the idle time.
        sessions.scontrol.close();
        sessions.shell.close();
        return base.run(command, options);
      }
      const words = sessionWords(command.argv, command.env);
      if (words) return viaSession(() => sessions.scontrol.run(words, options), command, options);
      if (shellSessionRuns(command)) return viaSession(() => sessions.shell.run(command, options), command, options);
      return base.run(command, options);
    },
  };
}
