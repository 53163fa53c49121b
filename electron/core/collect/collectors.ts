// One collector per snapshot kind: run the command chosen for this cluster's version, parse it into the
// model. A record that cannot be parsed is reported (never silently dropped); the rest is kept.
import type { Capabilities } from '../../../shared/model/capabilities';
import type { SnapshotKind } from '../../../shared/model/snapshot';
import {
  SACCT_ACTIVE_STATES,
  SACCT_ENDED_STATES,
  sacctCommand,
  scontrolJobsCommand,
  sacctFields,
  type SacctSelection,
  scontrolNodesCommand,
  scontrolPartitionsCommand,
  scontrolReservationsCommand,
  sdiagCommand,
  sprioCommand,
  sprioHasAccount,
  squeueCommand,
  squeueJsonCommand,
  nodesJsonCommand,
  sshareCommand,
} from '../../../shared/slurm/commands';
import type { SlurmParseError } from '../../../shared/slurm/parse/errors';
import { JOB_ID_ARG } from '../../../shared/slurm/parse/job-id';
import { parseSacct } from '../../../shared/slurm/parse/sacct';
import { parseScontrolNodes } from '../../../shared/slurm/parse/scontrol-node';
import { parseScontrolQueue } from '../../../shared/slurm/parse/scontrol-queue';
import { parseScontrolPartitions } from '../../../shared/slurm/parse/scontrol-partition';
import { parseScontrolReservations } from '../../../shared/slurm/parse/scontrol-reservation';
import { parseSdiag } from '../../../shared/slurm/parse/sdiag';
import { parseSprio, sprioColumns } from '../../../shared/slurm/parse/sprio';
import { parseSqueue } from '../../../shared/slurm/parse/squeue';
import { parseSshare } from '../../../shared/slurm/parse/sshare';
import { parseSlurmVersion, versionAtLeast } from '../../../shared/slurm/version';
import { normaliseScontrolNodeJson } from '../../../shared/slurm/json/nodes';
import { normaliseSinfoNodesJson } from '../../../shared/slurm/json/sinfo';
import { normaliseSqueueJson } from '../../../shared/slurm/json/squeue';
import type { AccountingBatch, Collection } from '../store/snapshot-writer';
import { CommandFailed, runOk, type Remote } from './remote';

/** Parsed items plus a note about records that could not be read. */
export interface Collected<T> {
  value: T;
  /** Null when every record parsed. */
  problem: string | null;
}

function problemOf(kind: string, errors: readonly SlurmParseError[], total: number): string | null {
  if (errors.length === 0) return null;
  const first = errors[0] as SlurmParseError;
  return `${errors.length} of ${total} ${kind} records could not be read; first: ${first.message}`;
}

const time = (caps: Capabilities) => ({ timeZone: caps.timeZone });

/**
 * Format strings first (4–6× faster to produce and parse than JSON, and the same on every Slurm build);
 * when some records of a text answer cannot be read and the cluster offers --json, ask again in JSON and
 * keep whichever answer read more completely. Both paths produce the same model.
 */
async function withJsonFallback<T>(
  kind: string,
  text: () => Promise<{ items: T[]; errors: readonly SlurmParseError[] }>,
  json: (() => Promise<{ items: T[]; errors: readonly { message: string }[] }>) | null,
): Promise<Collected<T[]>> {
  const r = await text();
  const problem = problemOf(kind, r.errors, r.items.length + r.errors.length);
  if (!problem || !json) return { value: r.items, problem };
  const j = await json().catch(() => null);
  if (j && j.errors.length < r.errors.length && j.items.length >= r.items.length) {
    const rest = j.errors.length ? `; ${j.errors.length} ${kind} records unreadable in JSON too: ${j.errors[0]?.message}` : '';
    return { value: j.items, problem: j.errors.length ? `read from --json after the text answer failed${rest}` : null };
  }
  return { value: r.items, problem };
}

export async function collectNodes(remote: Remote, caps: Capabilities): Promise<Collected<Collection['nodes']>> {
  const version = parseSlurmVersion(caps.slurmVersion);
  const hasJson = versionAtLeast(version, 23, 2) ? Boolean(caps.json.scontrol) : Boolean(caps.json.sinfo);
  return withJsonFallback(
    'node',
    async () => parseScontrolNodes(await runOk(remote, scontrolNodesCommand()), time(caps)),
    hasJson
      ? async () => {
          const out = await runOk(remote, nodesJsonCommand(version), { timeoutMs: 120_000 });
          return versionAtLeast(version, 23, 2) ? normaliseScontrolNodeJson(out) : normaliseSinfoNodesJson(out);
        }
      : null,
  );
}

export async function collectPartitions(remote: Remote): Promise<Collected<Collection['partitions']>> {
  const r = parseScontrolPartitions(await runOk(remote, scontrolPartitionsCommand()));
  return { value: r.items, problem: problemOf('partition', r.errors, r.items.length + r.errors.length) };
}

/**
 * Up to this many jobs the queue is read from the cluster's scontrol session (`show job`): no process to
 * start, ~2 ms warm. Its text is ~6× squeue's per job (1.2 kB against 0.2 kB on the test bed), so above
 * this a fresh `squeue` with only the fields we read costs less than the bytes saved (and keeps a slow
 * link to a big cluster light). The size is the last queue read through that session (squeue's jobs, or
 * the records `show job` printed, ended jobs included).
 */
export const SESSION_QUEUE_MAX_JOBS = 2_000;

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export async function collectQueue(remote: Remote, caps: Capabilities): Promise<Collected<Collection['queue']>> {
  const session = remote.session;
  const viaSession = session !== undefined && session.lastQueueSize !== null && session.lastQueueSize <= SESSION_QUEUE_MAX_JOBS;
  // scontrol also prints jobs that ended within MinJobAge: through the session, count its records.
  let records: number | null = null;
  const result = await withJsonFallback(
    'job',
    viaSession
      ? async () => {
          const out = await runOk(remote, scontrolJobsCommand(), { timeoutMs: 120_000 });
          records = countLines(out);
          return parseScontrolQueue(out, time(caps));
        }
      : async () => parseSqueue(await runOk(remote, squeueCommand(), { timeoutMs: 120_000 }), time(caps)),
    caps.json.squeue ? async () => normaliseSqueueJson(await runOk(remote, squeueJsonCommand(), { timeoutMs: 180_000 })) : null,
  );
  if (session) session.lastQueueSize = records ?? result.value.length;
  return result;
}

export async function collectReservations(remote: Remote, caps: Capabilities): Promise<Collected<Collection['reservations']>> {
  const command = scontrolReservationsCommand();
  const res = await remote.run(command);
  // "No reservations in the system" is an empty list, whatever exit code a version gives it.
  if (/No reservations in the system/i.test(res.stdout + res.stderr)) return { value: [], problem: null };
  if (res.code !== 0) throw new CommandFailed(command.argv, res.code, res.stderr);
  const r = parseScontrolReservations(res.stdout, time(caps));
  return { value: r.items, problem: problemOf('reservation', r.errors, r.items.length + r.errors.length) };
}

export async function collectFairshare(remote: Remote): Promise<Collected<Collection['fairshare']>> {
  const r = parseSshare(await runOk(remote, sshareCommand()));
  return { value: r.items, problem: problemOf('fairshare', r.errors, r.items.length + r.errors.length) };
}

export async function collectPriority(remote: Remote, caps: Capabilities): Promise<Collected<Collection['priority']>> {
  const version = parseSlurmVersion(caps.slurmVersion);
  const command = sprioCommand(version);
  const res = await remote.run(command);
  if (res.code !== 0) {
    // Some versions exit 1 when no job is pending: an empty list, not a failure.
    if (/no pending jobs|Unable to find jobs/i.test(res.stderr + res.stdout)) return { value: [], problem: null };
    throw new CommandFailed(command.argv, res.code, res.stderr);
  }
  const r = parseSprio(res.stdout, sprioColumns(sprioHasAccount(version)));
  return { value: r.items, problem: problemOf('priority', r.errors, r.items.length + r.errors.length) };
}

export async function collectController(remote: Remote): Promise<Collected<Collection['controller']>> {
  return { value: parseSdiag(await runOk(remote, sdiagCommand())), problem: null };
}

/**
 * What an accounting collection asks sacct for: the runs that ended in the window (`-s <ended states>`),
 * so each run is fetched once, in the window of its End. (sacct's plain window test needs Eligible before
 * the window's end: a job cancelled before it became eligible, a --begin or dependency job, was in no day
 * window at all, 110 of 830 runs on the test bed's alpha.) The queue snapshot has what is pending or running.
 */
export interface AccountingRequest {
  /** The window (epoch seconds, `-S` / `-E`). */
  since: number;
  until: number;
  /** Also the runs pending, running or suspended in the window (a first sync, which has no queue yet). */
  active?: boolean;
  /** Jobs whose current run is fetched by id as well (running jobs not yet stored as started). */
  jobs?: readonly { jobId: string; jobIdRaw: number }[];
}

/** Job ids per `sacct -j` call: keeps argv a few kB however many jobs started since the last sync. */
export const SACCT_JOBS_PER_CALL = 200;

/** The id to give `sacct -j`: the printed id (`123`, `123_4`: just that array task) where it is one sacct
 *  takes, else the raw numeric id (a het job component `123+1`). */
function sacctJobArg(job: { jobId: string; jobIdRaw: number }): string {
  return JOB_ID_ARG.test(job.jobId) ? job.jobId : String(job.jobIdRaw);
}

/** Accounting runs in [since, until], asked for in windows of at most `chunkSeconds` so no single
 *  answer grows past what one string can hold on a busy cluster; then the requested jobs, by id. */
export async function collectAccounting(
  remote: Remote,
  caps: Capabilities,
  window: AccountingRequest,
  chunkSeconds = 86_400,
): Promise<Collected<AccountingBatch>> {
  const fields = sacctFields(parseSlurmVersion(caps.slurmVersion), caps.sacctFields && caps.sacctFields.length ? caps.sacctFields : null);
  const runs: AccountingBatch['runs'][number][] = [];
  const problems: string[] = [];
  const ask = async (start: number, end: number, select: SacctSelection) => {
    const out = await runOk(remote, sacctCommand(fields, { start, end, timeZone: caps.timeZone }, select), { timeoutMs: 300_000 });
    const r = parseSacct(out, { timeZone: caps.timeZone });
    for (const run of r.items) runs.push(run);
    const p = problemOf('accounting', r.errors, r.items.length + r.errors.length);
    if (p) problems.push(p);
  };
  const select: SacctSelection = { states: SACCT_ENDED_STATES };
  for (let start = window.since; start < window.until || start === window.since; start += chunkSeconds) {
    const end = Math.min(window.until, start + chunkSeconds);
    await ask(start, end, select);
    if (end >= window.until) break;
  }
  if (window.active) await ask(window.since, window.until, { states: SACCT_ACTIVE_STATES });
  // Asked last so that, for a run both answers hold (it ended between the calls), the later one wins.
  const ids = [...new Set((window.jobs ?? []).map(sacctJobArg))];
  for (let i = 0; i < ids.length; i += SACCT_JOBS_PER_CALL) await ask(window.since, window.until, { jobs: ids.slice(i, i + SACCT_JOBS_PER_CALL) });
  return { value: { runs: dedupeRuns(runs), since: window.since, until: window.until }, problem: problems.length ? problems.join('; ') : null };
}

/** A run active across a window boundary comes back from both windows: keep the later answer. */
function dedupeRuns<T extends { jobIdRaw: number; submitTime: number | null }>(runs: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const r of runs) byKey.set(`${r.jobIdRaw}@${r.submitTime ?? 0}`, r);
  return [...byKey.values()];
}

export const SLURMCTLD_KINDS: readonly SnapshotKind[] = ['nodes', 'partitions', 'queue', 'reservations', 'fairshare', 'priority', 'controller'];
