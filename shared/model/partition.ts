// A partition with what the console needs for heatmaps, preemption and billing.

export interface Partition {
  name: string;
  /** Hostlist expression as Slurm prints it (`gpu-a100-[01-02]`), and expanded. */
  nodesExpr: string;
  nodes: string[];
  state: string;
  isDefault: boolean;
  priorityTier: number;
  priorityJobFactor: number;
  /** `OFF`, `CANCEL`, `REQUEUE`, `SUSPEND`, `GANG`, or combinations such as `SUSPEND,GANG`. */
  preemptMode: string;
  /** As configured, e.g. `CPU=1.0,Mem=0.25G,GRES/gpu=16.0`; null when unset. */
  tresBillingWeights: string | null;
  /** The partition QOS (`QoS=`), null when none. */
  qos: string | null;
  allowQos: string[];
  /** Seconds; null = UNLIMITED. */
  maxTime: number | null;
  defaultTime: number | null;
  totalCpus: number;
  totalNodes: number;
}
