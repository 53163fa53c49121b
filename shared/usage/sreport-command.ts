// The argv for `sreport cluster AccountUtilizationByUser` over a window. Minutes, not hours: sreport rounds
// each value to a whole unit, and half a GPU-hour per line hides the differences worth explaining; the
// report is the same otherwise. start/end are the cluster's local wall time (sreport reads them so) and
// sreport widens them to whole hours — the banner says which period it used, and reconciliation compares
// over that period.
import { formatSlurmTime } from '../slurm/parse/time';

export const SREPORT_UNIT = 'minutes' as const;

export function sreportAccountUsageArgv(from: number, to: number, clusterTimeZone: string): string[] {
  return ['sreport', '-P', '-t', SREPORT_UNIT, 'cluster', 'AccountUtilizationByUser', '-T', 'gres/gpu,billing', `start=${formatSlurmTime(from, clusterTimeZone)}`, `end=${formatSlurmTime(to, clusterTimeZone)}`];
}
