// The one table every usage format writes: column names and types, and each UsageRow as values in column
// order. CSV, XLSX, Parquet and JSON all take their columns from here, so the formats cannot drift apart.
import { isoWithOffset } from '../../../shared/usage/iso-time';
import type { UsageDimension, UsageRow, UsageSums } from '../../../shared/usage/usage-accumulator';

export type ColumnType = 'string' | 'timestamp' | 'double' | 'int';

export interface UsageColumn {
  name: string;
  type: ColumnType;
}

export type Cell = string | number;

const DIMENSION_COLUMN: Record<UsageDimension, string> = {
  cluster: 'cluster', account: 'account', user: 'user', partition: 'partition', qos: 'qos', gpuType: 'gpu_type', day: 'day', week: 'week', month: 'month',
};

export const MEASURE_COLUMNS: readonly UsageColumn[] = [
  { name: 'gpu_hours', type: 'double' },
  { name: 'billing_hours', type: 'double' },
  { name: 'cpu_hours', type: 'double' },
  { name: 'preempted_gpu_hours', type: 'double' },
  { name: 'runs', type: 'int' },
  { name: 'jobs', type: 'int' },
  { name: 'running_runs', type: 'int' },
];

export class UsageTable {
  readonly columns: UsageColumn[];

  constructor(
    readonly groupBy: readonly UsageDimension[],
    readonly timeZone: string,
    readonly withScope: boolean,
  ) {
    this.columns = [
      ...(withScope ? [{ name: 'scope', type: 'string' as const }] : []),
      ...groupBy.map((d) => ({ name: DIMENSION_COLUMN[d], type: 'string' as const })),
      { name: 'period_start', type: 'timestamp' },
      { name: 'period_end', type: 'timestamp' },
      ...MEASURE_COLUMNS,
    ];
  }

  /** Values in column order; timestamps as epoch seconds (each writer renders them its own way). */
  cells(row: UsageRow): Cell[] {
    return [...(this.withScope ? [row.scope] : []), ...row.keys, row.periodStart, row.periodEnd, ...measures(row)];
  }

  iso(epochSeconds: number): string {
    return isoWithOffset(epochSeconds, this.timeZone);
  }
}

export function measures(s: UsageSums): number[] {
  return [s.gpuSeconds / 3600, s.billingSeconds / 3600, s.cpuSeconds / 3600, s.preemptedGpuSeconds / 3600, s.runs, s.jobs, s.runningRuns];
}
