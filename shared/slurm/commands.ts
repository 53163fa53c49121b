// argv builders for every command the collectors run. They return argv arrays plus the environment the
// command needs; `quote.ts` turns them into a remote command line, nothing here concatenates input into a
// shell string. Values that come from users (names, job ids, node lists) are validated first.
//
// Output formats, and why:
// - Every command runs with SLURM_TIME_FORMAT=%s, so timestamps arrive as epoch seconds and do not depend
//   on the cluster's zone (the parsers still read local ISO times, e.g. from offline sacct files).
// - squeue and sinfo use `-O Field:0|`: width 0 means unpadded and untruncated on 22.05 … 24.11, and `|`
//   is appended to each field. Only free text (job name, node reason) can contain `|`, so exactly one
//   free-text field is requested per command and it comes last: the parser takes the first N-1 fields
//   and gives the rest to it. (`-o %x` would work too, but several fields we need exist only in `-O`.)
// - sacct uses `-P` (`|`), JobName last, header kept: the parser is driven by the header and repairs a
//   row with a `|` in its one free-text column.
// - scontrol uses `-o` (one record per line), and the key=value parser knows which values are free text.
import { assertJobIdArg, assertNameArg } from './parse/job-id';
import { SACCTMGR_USER_FORMAT } from './parse/sacctmgr-user';
import { SINFO_FIELDS } from './parse/sinfo';
import { sprioColumns, sprioFormat } from './parse/sprio';
import { SQUEUE_FIELDS } from './parse/squeue';
import { formatSlurmTime } from './parse/time';
import { versionAtLeast, type SlurmVersion } from './version';

export interface SlurmCommand {
  argv: string[];
  env: Record<string, string>;
}

const EPOCH_TIMES = { SLURM_TIME_FORMAT: '%s' };

function command(argv: string[], env: Record<string, string> = EPOCH_TIMES): SlurmCommand {
  return { argv, env: { ...env } };
}

/** `-O` list with every field unpadded and followed by `|`. */
function longFormat(fields: readonly string[]): string {
  return fields.map((f) => `${f}:0|`).join(',');
}

/** `sinfo -V` → `slurm-wlm 24.11.5` / `slurm 22.05.8`: the probe's first command. */
export function versionCommand(): SlurmCommand {
  return command(['sinfo', '-V'], {});
}

/** All jobs in the queue (pending, running, suspended, completing), every partition incl. hidden ones. */
export function squeueCommand(): SlurmCommand {
  return command(['squeue', '-a', '-h', '-O', longFormat(SQUEUE_FIELDS)]);
}

// scontrol `show` commands use `-a`: nodes, partitions, reservations and jobs of hidden partitions too
// (squeue uses `-a` for the same reason); the persistent scontrol session runs with the same flags.

/** Every node, one line each, with GRES indices (`-d`). */
export function scontrolNodesCommand(): SlurmCommand {
  return command(['scontrol', '-a', '-d', '-o', 'show', 'node']);
}

/** One row per node and partition, for cross-checks and where scontrol is restricted. */
export function sinfoNodesCommand(): SlurmCommand {
  return command(['sinfo', '-N', '-h', '-O', longFormat(SINFO_FIELDS)]);
}

export function scontrolPartitionsCommand(): SlurmCommand {
  return command(['scontrol', '-a', '-o', 'show', 'partition']);
}

/** Job details with per-node GPU indices; one job when `jobId` (validated) is given. */
export function scontrolJobsCommand(jobId?: string): SlurmCommand {
  return command(['scontrol', '-a', '-d', '-o', 'show', 'job', ...(jobId === undefined ? [] : [assertJobIdArg(jobId)])]);
}

export function scontrolReservationsCommand(): SlurmCommand {
  return command(['scontrol', '-a', '-o', 'show', 'reservation']);
}

export function scontrolConfigCommand(): SlurmCommand {
  return command(['scontrol', 'show', 'config']);
}

export function sdiagCommand(): SlurmCommand {
  return command(['sdiag']);
}

/** The fields `sacct --helpformat` lists: how the probe learns whether `Restarts` exists. */
export function sacctHelpformatCommand(): SlurmCommand {
  return command(['sacct', '--helpformat'], {});
}

/** Fields every sacct request asks for; JobName stays last (free text). */
export const SACCT_BASE_FIELDS = [
  'JobID',
  'JobIDRaw',
  'User',
  'Account',
  'Partition',
  'QOS',
  'State',
  'ExitCode',
  'Submit',
  'Eligible',
  'Start',
  'End',
  'ElapsedRaw',
  'Timelimit',
  'AllocTRES',
  'ReqTRES',
  'NodeList',
] as const;

/**
 * sacct fields for a cluster. `Restarts` is asked for only where sacct has it: from the probe's
 * `sacct --helpformat` list when known, else by version (present in 24.11.5, absent in 22.05.8, both
 * checked on the test bed; for versions in between only the helpformat list decides).
 */
export function sacctFields(version: SlurmVersion, helpformat: readonly string[] | null = null): string[] {
  const hasRestarts = helpformat !== null ? helpformat.some((f) => f.toLowerCase() === 'restarts') : versionAtLeast(version, 24, 11);
  return [...SACCT_BASE_FIELDS, ...(hasRestarts ? ['Restarts'] : []), 'JobName'];
}

export interface SacctWindow {
  /** Epoch seconds; inclusive start and end of the window (`-S` / `-E`). */
  start: number;
  end: number;
  /** The cluster's zone: `-S`/`-E` are read by sacct as local times. */
  timeZone: string;
}

/**
 * Every state a run (one record of `sacct -D`) can end in, for `-s`: with `-S`/`-E`, sacct then returns
 * only the runs whose End lies in the window (slurmdbd matches `time_end BETWEEN start AND end` for these
 * states), whatever they were doing before. REQUEUED is the record a requeue or preemption closes; RESIZING
 * the one a resize closes; REVOKED a federation sibling's. Every name here is accepted by sacct 22.05.8 and
 * 24.11.5 (checked on the test bed; SPECIAL_EXIT is refused by both, "not supported / accounted").
 */
export const SACCT_ENDED_STATES = [
  'CANCELLED', 'COMPLETED', 'FAILED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE',
  'REQUEUED', 'RESIZING', 'REVOKED',
] as const;

/** States of runs that have not ended: with `-s`, those pending / running / suspended in the window. */
export const SACCT_ACTIVE_STATES = ['PENDING', 'RUNNING', 'SUSPENDED'] as const;

/** Which runs of the window a sacct call asks for; nothing = every run that existed in the window. */
export interface SacctSelection {
  /** `-s`: only runs in one of these states during the window (for ended states: ended in it). */
  states?: readonly string[];
  /** `-j`: only these jobs (validated: `123` or `123_4`). */
  jobs?: readonly string[];
}

/**
 * Every run (`-D`: requeued and preempted runs too) of every user's jobs (`-a`), allocations only (`-X`),
 * that existed in the window; narrowed to some states or some jobs by `select`.
 */
export function sacctCommand(fields: readonly string[], window: SacctWindow, select: SacctSelection = {}): SlurmCommand {
  if (!(window.end >= window.start)) throw new RangeError('sacct window ends before it starts');
  for (const f of fields) if (!/^[A-Za-z][A-Za-z0-9]*$/.test(f)) throw new RangeError(`bad sacct field ${JSON.stringify(f)}`);
  const narrow: string[] = [];
  if (select.states !== undefined) {
    if (select.states.length === 0) throw new RangeError('sacct -s needs at least one state');
    for (const s of select.states) if (!/^[A-Z][A-Z_]*$/.test(s)) throw new RangeError(`bad sacct state ${JSON.stringify(s)}`);
    narrow.push('-s', select.states.join(','));
  }
  if (select.jobs !== undefined) {
    if (select.jobs.length === 0) throw new RangeError('sacct -j needs at least one job');
    narrow.push('-j', select.jobs.map((j) => assertJobIdArg(j)).join(','));
  }
  return command([
    'sacct', '-a', '-D', '-X', '-P',
    '-o', fields.join(','),
    ...narrow,
    '-S', formatSlurmTime(window.start, window.timeZone),
    '-E', formatSlurmTime(window.end, window.timeZone),
  ]);
}

/** Fair share of every association, long form, with header (the parser is header-driven). */
export function sshareCommand(): SlurmCommand {
  return command(['sshare', '-a', '-l', '-P']);
}

/** Whether this version's sprio has `%o` (account): 24.11 does, 22.05 rejects it. */
export function sprioHasAccount(version: SlurmVersion): boolean {
  return versionAtLeast(version, 24, 11);
}

export function sprioCommand(version: SlurmVersion): SlurmCommand {
  return command(['sprio', '-h', '-o', sprioFormat(sprioColumns(sprioHasAccount(version)))]);
}

/** AdminLevel and coordinated accounts of `user` (validated). */
export function sacctmgrUserCommand(user: string): SlurmCommand {
  return command(['sacctmgr', '-n', '-P', 'show', 'user', assertNameArg(user, 'user name'), 'withassoc', 'withcoord', `format=${SACCTMGR_USER_FORMAT.join(',')}`]);
}

// ---- JSON variants: used where the probe found --json and a text answer could not be fully read -------

/** `squeue --json` (`-a`: hidden partitions too). 22.05 also lists finished jobs; the normaliser drops them. */
export function squeueJsonCommand(): SlurmCommand {
  return command(['squeue', '-a', '--json'], {});
}

/** Nodes as JSON: `scontrol show node --json` from 23.02, `sinfo --json` (one record per node) on 22.05. */
export function nodesJsonCommand(version: SlurmVersion): SlurmCommand {
  return versionAtLeast(version, 23, 2) ? command(['scontrol', 'show', 'node', '--json'], {}) : command(['sinfo', '--json'], {});
}
