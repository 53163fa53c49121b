// `squeue -a -h -O <fields>` into `QueuedJob`. The field list lives here (the command builder imports it),
// so the parser always knows the column order. Every field is printed as `Field:0|`: width 0 means "no
// padding, no truncation" (22.05 and 24.11 both), and `|` is appended as a delimiter. Only the job name
// can contain `|` (or a newline), so it is the last field: a record is the first N-1 delimited values and
// then everything up to the final `|`, and a record whose text does not end in `|` continues on the next
// line.
import type { JobState, QueuedJob } from '../../model/job';
import { emptyTres } from '../../model/tres';
import { parseDuration, timeLimitSeconds } from './duration';
import { SlurmParseError } from './errors';
import { expandNodeField } from './hostlist';
import { parseJobId } from './job-id';
import { isUnset } from './key-value';
import { parseDecimal, parseInteger } from './numbers';
import type { ParseResult } from './result';
import type { ClusterTimeOptions } from './scontrol-node';
import { parseJobState } from './states';
import { parseSlurmTime } from './time';
import { parseGresRequest, parseTres } from './tres';

/** squeue `-O` field names, in output order. `Name` must stay last (see header). */
export const SQUEUE_FIELDS = [
  'JobID', // raw numeric id (%A)
  'JobArrayID', // as typed: 123, 123_4, 123_[5-9%2] (%i)
  'ArrayJobID',
  'ArrayTaskID',
  'State',
  'Reason',
  'UserName',
  'Account',
  'Partition',
  'QOS',
  'PriorityLong',
  'tres-alloc', // allocated TRES; for pending jobs squeue prints the requested TRES here
  'tres-per-node',
  'NodeList',
  'NumNodes',
  'NumCPUs',
  'SubmitTime',
  'StartTime',
  'EndTime',
  'TimeLimit',
  'RestartCnt',
  'BatchFlag',
  'Requeue',
  'Dependency',
  'Name',
] as const;

export const SQUEUE_DELIMITER = '|';

function time(value: string, zone: string): number | null {
  return parseSlurmTime(value, zone);
}

function toJob(values: readonly string[], options: ClusterTimeOptions): QueuedJob {
  const v = (i: number): string => values[i] as string;
  const [rawId, typedId, arrayJob, arrayTask, stateText, reason, user, account, partition, qos, priority, tres, perNode, nodeList, numNodes, numCpus, submit, start, end, limit, restarts, batch, requeue, dependency, name] =
    SQUEUE_FIELDS.map((_, i) => v(i));
  const state: JobState = parseJobState(stateText as string).state;
  const parsedId = parseJobId(typedId as string);
  const isArray = !isUnset(arrayTask);
  const request = parseGresRequest(perNode as string);
  const tresValue = isUnset(tres) ? emptyTres() : parseTres(tres as string);
  const submitTime = time(submit as string, options.timeZone);
  if (submitTime === null) throw new SlurmParseError('squeue', 'job without a submit time', values.join('|'));
  const pending = state === 'PENDING';
  return {
    jobId: typedId as string,
    jobIdRaw: parseInteger(rawId as string, 'squeue'),
    arrayJobId: isArray ? parseInteger(arrayJob as string, 'squeue') : null,
    arrayTaskId: isArray ? parsedId.arrayTaskId : null,
    arrayTaskRange: parsedId.arrayTaskRange,
    name: name as string,
    user: user as string,
    account: account as string,
    partition: partition as string,
    qos: qos as string,
    state,
    reason: isUnset(reason) ? null : (reason as string),
    priority: parseDecimal(priority as string, 'squeue'),
    tresReq: tresValue,
    tresAlloc: pending ? null : tresValue,
    gpusPerNode: request.gpus > 0 ? request.gpus : null,
    gpuType: request.gpuType,
    nodesExpr: isUnset(nodeList) ? null : (nodeList as string),
    nodes: expandNodeField(nodeList as string),
    numNodes: parseInteger(numNodes as string, 'squeue'),
    numCpus: parseInteger(numCpus as string, 'squeue'),
    submitTime,
    // A pending job's StartTime is the scheduler's estimate, not a start: it is not reported as one.
    startTime: pending ? null : time(start as string, options.timeZone),
    endTime: pending ? null : time(end as string, options.timeZone),
    timeLimit: timeLimitSeconds(parseDuration(limit as string)),
    restarts: parseInteger(restarts as string, 'squeue'),
    batch: batch === '1',
    requeueable: requeue === '1',
    dependency: isUnset(dependency) ? null : (dependency as string),
  };
}

/** Split one record into the N field values (the name last, possibly containing the delimiter). */
function splitRecord(record: string, line: number): string[] {
  const n = SQUEUE_FIELDS.length;
  const values: string[] = [];
  let from = 0;
  for (let i = 0; i < n - 1; i++) {
    const at = record.indexOf(SQUEUE_DELIMITER, from);
    if (at === -1) throw new SlurmParseError('squeue', `expected ${n} fields, found ${values.length + 1}`, record, line);
    values.push(record.slice(from, at));
    from = at + 1;
  }
  if (!record.endsWith(SQUEUE_DELIMITER) || record.length - 1 < from) throw new SlurmParseError('squeue', 'record does not end with the delimiter', record, line);
  values.push(record.slice(from, record.length - 1));
  return values;
}

/** Parse squeue output produced with `SQUEUE_FIELDS`. */
export function parseSqueue(output: string, options: ClusterTimeOptions): ParseResult<QueuedJob> {
  const items: QueuedJob[] = [];
  const errors: SlurmParseError[] = [];
  const lines = output.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let i = 0;
  while (i < lines.length) {
    const first = i + 1;
    let record = lines[i] as string;
    i++;
    if (record.trim() === '') continue;
    // A job name with a newline: the record goes on until a line ends with the delimiter.
    while (!record.endsWith(SQUEUE_DELIMITER) && i < lines.length && countDelimiters(record) >= SQUEUE_FIELDS.length - 1) {
      record += `\n${lines[i] as string}`;
      i++;
    }
    try {
      items.push(toJob(splitRecord(record, first), options));
    } catch (err) {
      if (!(err instanceof SlurmParseError)) throw err;
      errors.push(err.line === null ? new SlurmParseError('squeue', `${err.parser}: ${err.reason}`, err.input, first) : err);
    }
  }
  return { items, errors };
}

function countDelimiters(s: string): number {
  let n = 0;
  for (let i = s.indexOf(SQUEUE_DELIMITER); i !== -1; i = s.indexOf(SQUEUE_DELIMITER, i + 1)) n++;
  return n;
}
