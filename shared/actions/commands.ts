// argv for the actions' Slurm commands. Every id is checked against JOB_ID_ARG again here, right where
// the command is built, so nothing that skipped the selection parser can reach a command line.
import type { ActionKind } from '../api/methods/actions';
import { assertJobIdArg } from '../slurm/parse/job-id';
import { SQUEUE_FIELDS } from '../slurm/parse/squeue';
import type { SlurmCommand } from '../slurm/commands';

/** Ids per live-check squeue call: keeps the argv well under any shell's limit. */
export const LIVE_CHECK_CHUNK = 500;

/**
 * The live check: these jobs as squeue sees them now, in the collectors' field format (`-t all` so jobs
 * that finished but are still in slurmctld's memory show up rather than look vanished).
 */
export function squeueJobsCommand(ids: readonly string[]): SlurmCommand {
  if (ids.length === 0) throw new Error('squeue -j needs at least one id');
  const list = ids.map(assertJobIdArg).join(',');
  return {
    argv: ['squeue', '-a', '-h', '-t', 'all', '-j', list, '-O', SQUEUE_FIELDS.map((f) => `${f}:0|`).join(',')],
    env: { SLURM_TIME_FORMAT: '%s' },
  };
}

/** `scontrol requeue|requeuehold|release 1,2,3_4`: one comma-separated job list argument. */
export function scontrolActionCommand(action: ActionKind, ids: readonly string[]): SlurmCommand {
  if (ids.length === 0) throw new Error(`scontrol ${action} needs at least one id`);
  return { argv: ['scontrol', action, ids.map(assertJobIdArg).join(',')], env: {} };
}
