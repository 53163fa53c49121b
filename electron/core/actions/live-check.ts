// The live check just before a preview or a run: ask squeue about exactly the selected ids and match each
// requested id to what Slurm holds now. A bare id of an array job stands for all of its tasks (that is
// what scontrol does with it), so it expands to every task record squeue returns.
import { squeueJobsCommand, LIVE_CHECK_CHUNK } from '../../../shared/actions/commands';
import type { QueuedJob } from '../../../shared/model/job';
import { parseSqueue } from '../../../shared/slurm/parse/squeue';
import { CommandFailed, type Remote } from '../collect/remote';

export interface LiveTarget {
  requested: string;
  /** null: Slurm does not know the job (vanished). */
  job: QueuedJob | null;
}

function rangeHas(range: string, task: number): boolean {
  const body = range.replace(/%\d+$/, '');
  return body.split(',').some((part) => {
    const [lo, rest] = part.split('-') as [string, string | undefined];
    if (rest === undefined) return Number(lo) === task;
    const [hi, step] = rest.split(':') as [string, string | undefined];
    const s = Number(step ?? '1');
    return task >= Number(lo) && task <= Number(hi) && (task - Number(lo)) % s === 0;
  });
}

/** Which records a requested id stands for. */
export function matchRequested(requested: string, jobs: readonly QueuedJob[]): QueuedJob[] {
  const [base, task] = requested.split('_') as [string, string | undefined];
  const b = Number(base);
  if (task === undefined) {
    const own = jobs.filter((j) => j.jobIdRaw === b && j.arrayJobId === null);
    if (own.length) return own;
    const tasks = jobs.filter((j) => j.arrayJobId === b);
    // An array task asked for by its own raw id (`1119` for `1118_1`).
    return tasks.length ? tasks : jobs.filter((j) => j.jobIdRaw === b);
  }
  const t = Number(task);
  const exact = jobs.filter((j) => j.arrayJobId === b && j.arrayTaskId === t);
  if (exact.length) return exact.slice(0, 1);
  // A task not yet split out of its pending array record (`123_[5-9%2]`): report it as that record, under
  // the task's own id.
  const pending = jobs.find((j) => j.arrayJobId === b && j.arrayTaskRange !== null && rangeHas(j.arrayTaskRange, t));
  return pending ? [{ ...pending, jobId: requested, arrayTaskId: t, arrayTaskRange: null }] : [];
}

async function squeueChunk(remote: Remote, ids: readonly string[], timeZone: string): Promise<QueuedJob[]> {
  const command = squeueJobsCommand(ids);
  const r = await remote.run(command, { timeoutMs: 60_000 });
  if (r.code !== 0) {
    // squeue fails as a whole only when no id of the list exists.
    if (/Invalid job id specified/i.test(r.stderr)) return [];
    throw new CommandFailed(command.argv, r.code, r.stderr);
  }
  const parsed = parseSqueue(r.stdout, { timeZone });
  if (parsed.errors.length) throw new Error(`cannot read squeue's answer for the live check: ${parsed.errors[0]?.message ?? ''}`);
  return parsed.items;
}

/**
 * One target per job: requested ids in order, array parents expanded into their tasks, duplicates (the
 * same job asked for twice, e.g. `5` and `5_1`) dropped.
 */
export async function liveCheck(remote: Remote, requested: readonly string[], timeZone: string): Promise<LiveTarget[]> {
  const found: QueuedJob[] = [];
  for (let i = 0; i < requested.length; i += LIVE_CHECK_CHUNK) found.push(...(await squeueChunk(remote, requested.slice(i, i + LIVE_CHECK_CHUNK), timeZone)));
  const targets: LiveTarget[] = [];
  const seen = new Set<string>();
  for (const id of requested) {
    const jobs = matchRequested(id, found);
    if (jobs.length === 0) {
      if (!seen.has(id)) targets.push({ requested: id, job: null });
      seen.add(id);
      continue;
    }
    for (const job of jobs) {
      if (seen.has(job.jobId)) continue;
      seen.add(job.jobId);
      targets.push({ requested: id, job });
    }
  }
  return targets;
}
