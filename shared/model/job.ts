// A job in the queue (squeue / scontrol show job), normalised across Slurm versions.
import type { Tres } from './tres';

/** Slurm job states (base names as squeue -t and sacct print them in full). */
export type JobState =
  | 'PENDING'
  | 'RUNNING'
  | 'SUSPENDED'
  | 'COMPLETING'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'FAILED'
  | 'TIMEOUT'
  | 'NODE_FAIL'
  | 'PREEMPTED'
  | 'BOOT_FAIL'
  | 'DEADLINE'
  | 'OUT_OF_MEMORY'
  | 'REQUEUED'
  | 'REQUEUE_HOLD'
  | 'REQUEUE_FED'
  | 'RESV_DEL_HOLD'
  | 'SPECIAL_EXIT'
  | 'STAGE_OUT'
  | 'STOPPED'
  | 'SIGNALING'
  | 'RESIZING'
  | 'REVOKED'
  | 'CONFIGURING'
  | (string & {});

export interface QueuedJob {
  /** The id a person types: `123`, `123_4` for an array task, `123_[5-9%2]` for pending array tasks. */
  jobId: string;
  /** Slurm's unique numeric id of this job record. */
  jobIdRaw: number;
  /** For array jobs: the array's job id and this record's task id (null for the pending range record). */
  arrayJobId: number | null;
  arrayTaskId: number | null;
  /** Pending array tasks still held in one record, e.g. `5-9%2`. */
  arrayTaskRange: string | null;
  name: string;
  user: string;
  account: string;
  partition: string;
  qos: string;
  state: JobState;
  /** Pending/hold reason (`Resources`, `Priority`, `Dependency`, `JobHeldUser`, `BeginTime`, …), null when `None`. */
  reason: string | null;
  priority: number;
  /** Requested resources (pending jobs) and allocated resources (running jobs). */
  tresReq: Tres;
  tresAlloc: Tres | null;
  /** GPUs requested per node, where the request was per node (`--gpus-per-node`, `--gres=gpu:2`). */
  gpusPerNode: number | null;
  /** GPU type the job asked for, if any. */
  gpuType: string | null;
  nodesExpr: string | null;
  nodes: string[];
  numNodes: number;
  numCpus: number;
  /** Epoch seconds. */
  submitTime: number;
  startTime: number | null;
  endTime: number | null;
  /** Seconds; null = UNLIMITED. */
  timeLimit: number | null;
  /** Times the job was requeued (preemption or scontrol requeue). */
  restarts: number;
  /** A batch job (sbatch), as opposed to salloc/srun: only batch jobs can be requeued. */
  batch: boolean;
  requeueable: boolean;
  dependency: string | null;
}
