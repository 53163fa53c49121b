export interface Reservation {
  name: string;
  /** Epoch seconds. */
  start: number;
  end: number | null;
  nodesExpr: string;
  nodes: string[];
  /** `MAINT`, `IGNORE_JOBS`, `DAILY`, … */
  flags: string[];
  users: string[];
  accounts: string[];
  partition: string | null;
  tres: string | null;
  state: 'ACTIVE' | 'INACTIVE' | (string & {});
}
