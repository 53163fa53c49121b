// `squeue --json` and `scontrol show job --json` (the same job_info records) into the model's `QueuedJob`.
// Every generation from openapi v0.0.38 (22.05) to data_parser v0.0.44 (25.11) uses the same field names
// for what we read; the values' encodings differ and are read by shape (see values.ts, job-state.ts).
//
// The JSON knows more than squeue's text, and says it where the text cannot: `tresReq` is the request
// (`tres_req_str`) also for running jobs, where squeue's text has only the allocation; `gpuType` also
// comes from per-job, per-socket and per-task GPU requests (`--gpus=h100:8`), not only per-node ones.
import { z } from 'zod';
import type { QueuedJob } from '../../model/job';
import { expandNodeField } from '../parse/hostlist';
import { parseGresRequest, parseTres, type GresRequest } from '../parse/tres';
import { parseEnvelope, mainList } from './envelope';
import type { JsonCommand } from './errors';
import { printedJobId } from './job-id';
import { flexJobState, inDefaultSqueueStates, jobStateFrom } from './job-state';
import { convertRecords, field, type JsonResult } from './result';
import { bool, epochOrNull, flexBool, flexNumber, minutesLimit, numberOr, numberOrNull, requiredInteger, textOrNull } from './values';

const str = z.string().nullable().optional();

const jobSchema = z.object({
  job_id: flexNumber,
  array_job_id: flexNumber,
  array_task_id: flexNumber,
  array_task_string: str,
  het_job_id: flexNumber,
  het_job_offset: flexNumber,
  name: str,
  user_name: str,
  account: str,
  partition: str,
  qos: str,
  job_state: flexJobState,
  state_reason: str,
  state_description: str,
  priority: flexNumber,
  tres_req_str: str,
  tres_alloc_str: str,
  tres_per_node: str,
  tres_per_job: str,
  tres_per_socket: str,
  tres_per_task: str,
  nodes: str,
  node_count: flexNumber,
  cpus: flexNumber,
  submit_time: flexNumber,
  start_time: flexNumber,
  end_time: flexNumber,
  time_limit: flexNumber,
  restart_cnt: flexNumber,
  batch_flag: flexBool,
  requeue: flexBool,
  dependency: str,
});
type JobRecord = z.infer<typeof jobSchema>;

export interface SqueueJsonOptions {
  /**
   * Keep jobs in every state. Default false: only the states squeue shows without `--states` (pending,
   * running, suspended, completing), because 22.05 lists finished jobs too and the text path does not.
   */
  allStates?: boolean;
}

function gresRequest(text: string | null | undefined, name: string): GresRequest | null {
  const t = textOrNull(text ?? null);
  return t === null ? null : field(name, () => parseGresRequest(t));
}

/** squeue's Reason: slurmctld's own description when it wrote one, else the reason code's name. */
function reasonOf(j: JobRecord): string | null {
  const described = textOrNull(j.state_description ?? null);
  if (described !== null) return described;
  return j.state_reason && j.state_reason !== 'None' ? j.state_reason : null;
}

function toQueuedJob(j: JobRecord): QueuedJob {
  const state = jobStateFrom(j.job_state, 'job_state');
  const jobIdRaw = requiredInteger(j.job_id, 'job_id');
  // An array's record only when it names a task or pending tasks (as squeue's %K/%i show it).
  const arrayTaskRange = textOrNull(j.array_task_string ?? null);
  const taskId = numberOrNull(j.array_task_id, 'array_task_id');
  const arrayJobId = (taskId !== null || arrayTaskRange !== null ? numberOrNull(j.array_job_id, 'array_job_id') : null) || null;
  const arrayTaskId = arrayJobId === null ? null : taskId;
  const perNode = gresRequest(j.tres_per_node, 'tres_per_node');
  // The GPU type: from the per-node request, else whichever other request form the job used.
  const requests = [perNode, gresRequest(j.tres_per_job, 'tres_per_job'), gresRequest(j.tres_per_socket, 'tres_per_socket'), gresRequest(j.tres_per_task, 'tres_per_task')];
  const typed = requests.find((r) => r !== null && r.gpuType !== null);
  const nodesExpr = textOrNull(j.nodes ?? null);
  const alloc = textOrNull(j.tres_alloc_str ?? null);
  // A pending job's start and end are the scheduler's estimate, not times it ran (as on the text path).
  const pending = state.state === 'PENDING' || state.base === 'PENDING';
  return {
    jobId: printedJobId({
      jobId: jobIdRaw,
      arrayJobId,
      arrayTaskId,
      arrayTaskString: arrayTaskRange,
      hetJobId: numberOrNull(j.het_job_id, 'het_job_id'),
      hetJobOffset: numberOrNull(j.het_job_offset, 'het_job_offset'),
    }),
    jobIdRaw,
    arrayJobId,
    arrayTaskId,
    arrayTaskRange,
    name: j.name ?? '',
    user: j.user_name ?? '',
    account: j.account ?? '',
    partition: j.partition ?? '',
    qos: j.qos ?? '',
    state: state.state,
    reason: reasonOf(j),
    priority: numberOr(j.priority, 'priority', 0),
    tresReq: field('tres_req_str', () => parseTres(j.tres_req_str ?? '')),
    tresAlloc: alloc === null ? null : field('tres_alloc_str', () => parseTres(alloc)),
    gpusPerNode: perNode !== null && perNode.gpus > 0 ? perNode.gpus : null,
    gpuType: typed?.gpuType ?? null,
    nodesExpr,
    nodes: nodesExpr === null ? [] : field('nodes', () => expandNodeField(nodesExpr)),
    numNodes: numberOr(j.node_count, 'node_count', 0),
    numCpus: numberOr(j.cpus, 'cpus', 0),
    submitTime: requiredInteger(j.submit_time, 'submit_time'),
    startTime: pending ? null : epochOrNull(j.start_time, 'start_time'),
    endTime: pending ? null : epochOrNull(j.end_time, 'end_time'),
    timeLimit: minutesLimit(j.time_limit, 'time_limit'),
    restarts: numberOr(j.restart_cnt, 'restart_cnt', 0),
    batch: bool(j.batch_flag, false),
    requeueable: bool(j.requeue, false),
    dependency: textOrNull(j.dependency ?? null),
  };
}

function normaliseJobs(text: string, command: JsonCommand, options: SqueueJsonOptions): JsonResult<QueuedJob> {
  const env = parseEnvelope(text, command);
  const records = mainList(env, command, ['jobs']);
  const { items, errors } = convertRecords(command, 'jobs', records, jobSchema, (j) => {
    if (!options.allStates && !inDefaultSqueueStates(jobStateFrom(j.job_state, 'job_state'))) return null;
    return toQueuedJob(j);
  });
  return { items, version: env.version, warnings: env.warnings, errors };
}

/** `squeue --json`. */
export function normaliseSqueueJson(text: string, options: SqueueJsonOptions = {}): JsonResult<QueuedJob> {
  return normaliseJobs(text, 'squeue', options);
}

/** `scontrol show job --json` (23.02+): the same records; it lists finished jobs too, so all states are kept. */
export function normaliseScontrolJobJson(text: string, options: SqueueJsonOptions = { allStates: true }): JsonResult<QueuedJob> {
  return normaliseJobs(text, 'scontrol-job', options);
}
