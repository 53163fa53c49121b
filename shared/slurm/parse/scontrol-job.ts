// `scontrol show job -d -o`: one line per job. The console reads it for what squeue does not print: the
// GPU indices each node gave the job (`-d` adds `Nodes=<hostlist> CPU_IDs=… Mem=… GRES=gpu:a100:2(IDX:0-1)`
// groups, one per set of identically allocated nodes), and the restart count on versions whose sacct has
// none. `JobName=`, `Comment=`, `Command=`, `WorkDir=` and the std* paths are free text.
import type { JobState } from '../../model/job';
import type { Tres } from '../../model/tres';
import { SlurmParseError } from './errors';
import { parseGres, type GresEntry } from './gres';
import { expandNodeField } from './hostlist';
import { isUnset, splitKeyValues } from './key-value';
import { parseInteger } from './numbers';
import { collect, outputLines, type ParseResult } from './result';
import { parseJobState } from './states';
import { parseTres } from './tres';

export interface NodeAllocation {
  nodesExpr: string;
  nodes: string[];
  /** CPU ids on each of these nodes, as printed (`0-7`). */
  cpuIds: string | null;
  memMiB: number | null;
  /** GRES on each of these nodes, with `IDX:` indices. */
  gres: GresEntry[];
}

export interface JobDetail {
  jobIdRaw: number;
  /** As a person types it: `123`, `123_4`, `123_[5-9%2]`. */
  jobId: string;
  arrayJobId: number | null;
  arrayTaskId: number | null;
  name: string;
  user: string;
  account: string | null;
  partition: string | null;
  state: JobState;
  reason: string | null;
  restarts: number;
  batch: boolean;
  requeueable: boolean;
  /** `AllocTRES=` (23.02+) or `TRES=` (22.05) of a running job; null when none printed. */
  allocTres: Tres | null;
  /** Per-node allocation groups, only with `-d` and only for jobs holding nodes. */
  allocations: NodeAllocation[];
}

const JOB_KEYS = new Set([
  'JobId', 'ArrayJobId', 'ArrayTaskId', 'ArrayTaskThrottle', 'HetJobId', 'HetJobOffset', 'HetJobIdSet', 'JobName', 'UserId',
  'GroupId', 'MCS_label', 'Priority', 'Nice', 'Account', 'QOS', 'JobState', 'Reason', 'Dependency', 'Requeue', 'Restarts',
  'BatchFlag', 'Reboot', 'ExitCode', 'DerivedExitCode', 'RunTime', 'TimeLimit', 'TimeMin', 'SubmitTime', 'EligibleTime',
  'AccrueTime', 'StartTime', 'EndTime', 'Deadline', 'PreemptEligibleTime', 'PreemptTime', 'SuspendTime', 'SecsPreSuspend',
  'LastSchedEval', 'Scheduler', 'Partition', 'AllocNode:Sid', 'ReqNodeList', 'ExcNodeList', 'NodeList', 'SchedNodeList',
  'BatchHost', 'NumNodes', 'NumCPUs', 'NumTasks', 'CPUs/Task', 'ReqB:S:C:T', 'ReqTRES', 'AllocTRES', 'TRES', 'Socks/Node',
  'NtasksPerN:B:S:C', 'CoreSpec', 'JOB_GRES', 'Nodes', 'CPU_IDs', 'Mem', 'GRES', 'MinCPUsNode', 'MinMemoryCPU', 'MinMemoryNode',
  'MinTmpDiskNode', 'Features', 'Prefer', 'DelayBoot', 'OverSubscribe', 'Contiguous', 'Licenses', 'LicensesAlloc', 'Network',
  'Command', 'WorkDir', 'StdErr', 'StdIn', 'StdOut', 'Power', 'TresPerNode', 'TresPerTask', 'TresPerJob', 'CpusPerTres',
  'MemPerTres', 'TresBind', 'TresFreq', 'Comment', 'AdminComment', 'SystemComment', 'Reservation', 'MailUser', 'MailType',
  'CPU_IDs', 'Container', 'ContainerID', 'OOMKillStep', 'Segment', 'ResvPort', 'NtasksPerTRES', 'KillOInInvalidDependent',
  'Partitions', 'EligibleTime', 'Extra', 'Wckey', 'ClusterFeatures', 'BurstBuffer', 'BurstBufferState', 'SelinuxContext',
]);
const FREE_TEXT = new Set(['JobName', 'Comment', 'AdminComment', 'SystemComment', 'Command', 'WorkDir', 'StdErr', 'StdIn', 'StdOut', 'Extra', 'Reason']);

/** One `scontrol -d -o show job` line split: the job's own keys (first value wins) and its `-d` allocation groups. */
export interface ScontrolJobFields {
  values: Map<string, string>;
  allocations: NodeAllocation[];
}

/**
 * Split one line into the job's keys and its per-node allocation groups (`Nodes= CPU_IDs= Mem= GRES=`).
 * Shared by the GPU-index reader here and the queue reader (scontrol-queue.ts).
 */
export function splitScontrolJobLine(line: string, lineNo: number | null = null): ScontrolJobFields {
  const pairs = splitKeyValues(line, { freeText: FREE_TEXT, knownKeys: JOB_KEYS }, 'scontrol-job', lineNo);
  const top = new Map<string, string>();
  const allocations: NodeAllocation[] = [];
  let current: NodeAllocation | null = null;
  for (const [key, value] of pairs) {
    if (key === 'Nodes') {
      current = { nodesExpr: value, nodes: expandNodeField(value), cpuIds: null, memMiB: null, gres: [] };
      allocations.push(current);
    } else if (current && key === 'CPU_IDs') current.cpuIds = isUnset(value) ? null : value;
    else if (current && key === 'Mem') current.memMiB = isUnset(value) ? null : parseInteger(value, 'scontrol-job');
    else if (current && key === 'GRES') current.gres = parseGres(value);
    else {
      // Anything else ends the allocation group; the first value of a key wins.
      if (key !== 'GRES' && key !== 'CPU_IDs' && key !== 'Mem') current = null;
      if (!top.has(key)) top.set(key, value);
    }
  }
  return { values: top, allocations };
}

export function parseScontrolJobLine(line: string, lineNo: number | null = null): JobDetail {
  const { values: top, allocations } = splitScontrolJobLine(line, lineNo);
  const need = (key: string): string => {
    const v = top.get(key);
    if (v === undefined) throw new SlurmParseError('scontrol-job', `no ${key}=`, line, lineNo);
    return v;
  };
  const jobIdRaw = parseInteger(need('JobId'), 'scontrol-job');
  const arrayJob = top.get('ArrayJobId');
  const arrayTask = top.get('ArrayTaskId');
  const arrayJobId = arrayJob === undefined ? null : parseInteger(arrayJob, 'scontrol-job');
  // ArrayTaskId is a number for a task and a range (`5-9%2`) for the pending remainder of the array.
  const arrayTaskId = arrayTask !== undefined && /^\d+$/.test(arrayTask) ? Number(arrayTask) : null;
  const jobId = arrayJobId === null ? String(jobIdRaw) : arrayTaskId !== null ? `${arrayJobId}_${arrayTaskId}` : `${arrayJobId}_[${arrayTask ?? ''}]`;
  const user = need('UserId').replace(/\(\d+\)$/, '');
  const reason = top.get('Reason');
  const tres = top.get('AllocTRES') ?? (need('JobState') === 'PENDING' ? undefined : top.get('TRES'));
  return {
    jobIdRaw,
    jobId,
    arrayJobId,
    arrayTaskId,
    name: top.get('JobName') ?? '',
    user,
    account: isUnset(top.get('Account')) ? null : (top.get('Account') as string),
    partition: isUnset(top.get('Partition')) ? null : (top.get('Partition') as string),
    state: parseJobState(need('JobState')).state,
    reason: isUnset(reason) ? null : (reason as string),
    restarts: parseInteger(top.get('Restarts') ?? '0', 'scontrol-job'),
    batch: top.get('BatchFlag') === '1',
    requeueable: top.get('Requeue') === '1',
    allocTres: isUnset(tres) ? null : parseTres(tres as string),
    allocations,
  };
}

/** The job lines of `scontrol show job -o` output with their line numbers (blank lines and "No jobs in the system" left out). */
export function scontrolJobLines(output: string): { text: string; line: number }[] {
  return outputLines(output)
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim() !== '' && !/^No jobs in the system/.test(l.text));
}

export function parseScontrolJobs(output: string): ParseResult<JobDetail> {
  return collect(scontrolJobLines(output), (l) => l.line, (l) => parseScontrolJobLine(l.text, l.line));
}
