// One pending job's priority factors from `sprio` (weighted values, as sprio prints by default).
export interface PriorityRow {
  jobIdRaw: number;
  user: string;
  account: string | null;
  partition: string;
  priority: number;
  age: number;
  fairshare: number;
  jobSize: number;
  partitionFactor: number;
  qos: number;
  site: number;
  /** Extra TRES factors as printed, e.g. `cpu=2,gres/gpu=40`. */
  tres: string | null;
}
