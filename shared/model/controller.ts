// Controller health from `sdiag`: how busy slurmctld is, and who sends it RPCs.
export interface ControllerHealth {
  /** Epoch seconds when sdiag's counters were last reset. */
  statsSince: number | null;
  serverThreadCount: number | null;
  agentQueueSize: number | null;
  jobsSubmitted: number | null;
  jobsStarted: number | null;
  jobsCompleted: number | null;
  jobsFailed: number | null;
  mainSchedulerLastCycleUs: number | null;
  mainSchedulerMeanCycleUs: number | null;
  backfillLastCycleUs: number | null;
  backfillMeanCycleUs: number | null;
  rpcByType: { name: string; count: number; totalTimeUs: number }[];
  rpcByUser: { user: string; count: number; totalTimeUs: number }[];
}
