// A filter selection over the cached queue (the latest queue snapshot of the cluster): the same rule as
// the Jobs view — fields ANDed, values within a field ORed, names compared case-insensitively. The result
// is a list of ids; the live check then decides what still exists.
import type { JobFilter } from '../../../shared/api/methods/actions';
import { expandJobIds } from '../../../shared/actions/job-id-list';
import type { QueuedJob } from '../../../shared/model/job';
import { JOB_ID_ARG } from '../../../shared/slurm/parse/job-id';
import { ClustersRepo } from '../store/clusters-repo';
import type { Store } from '../store/db';
import { JobsRepo } from '../store/jobs-repo';
import { SnapshotsRepo } from '../store/snapshots-repo';

function within(values: readonly string[] | undefined, value: string | null): boolean {
  if (!values || values.length === 0) return true;
  return value !== null && values.some((v) => v.toLowerCase() === value.toLowerCase());
}

function between(from: number | undefined, to: number | undefined, value: number | null): boolean {
  if (from === undefined && to === undefined) return true;
  if (value === null) return false;
  return (from === undefined || value >= from) && (to === undefined || value <= to);
}

export function matchesFilter(job: QueuedJob, f: JobFilter): boolean {
  return (
    within(f.states, job.state) &&
    within(f.users, job.user) &&
    within(f.accounts, job.account) &&
    within(f.partitions, job.partition) &&
    within(f.qos, job.qos) &&
    within(f.reasons, job.reason) &&
    (!f.nodes?.length || job.nodes.some((n) => within(f.nodes, n))) &&
    between(f.submittedFrom, f.submittedTo, job.submitTime) &&
    between(f.startedFrom, f.startedTo, job.startTime)
  );
}

/** The ids of the cached jobs that match, pending array records expanded into their tasks. */
export function idsFromFilter(jobs: readonly QueuedJob[], filter: JobFilter): string[] {
  const ids: string[] = [];
  for (const job of jobs) {
    if (!matchesFilter(job, filter)) continue;
    if (JOB_ID_ARG.test(job.jobId)) ids.push(job.jobId);
    else if (job.arrayJobId !== null && job.arrayTaskRange !== null) ids.push(`${job.arrayJobId}_[${job.arrayTaskRange.replace(/%\d+$/, '')}]`);
  }
  return expandJobIds(ids);
}

/** The latest cached queue of a cluster (empty when it was never synced). */
export function cachedQueue(store: Store, cluster: string): { jobs: QueuedJob[]; asOf: number | null } {
  const clusters = new ClustersRepo(store.db);
  const snap = new SnapshotsRepo(store.db).latest(clusters.idOf(cluster), 'queue');
  if (!snap) return { jobs: [], asOf: null };
  return { jobs: new JobsRepo(store.db).current(snap.id), asOf: snap.finishedAt };
}
