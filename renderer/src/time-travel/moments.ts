// The time-travel list: snapshot times grouped into moments a person would pick from.
import type { SnapshotTimes } from '../../../shared/api/methods/snapshots';

/**
 * Snapshots of different clusters finished within this many seconds of each other are one moment in the
 * list (one poll cycle across the fleet). A cluster's second snapshot always starts a new moment, so
 * each of its snapshots stays reachable.
 */
const SAME_MOMENT_S = 30;

export function moments(times: SnapshotTimes['times']): { at: number; clusters: string[] }[] {
  const out: { at: number; clusters: string[] }[] = [];
  for (const t of times) {
    const last = out.at(-1);
    if (last && last.at - t.at <= SAME_MOMENT_S && !last.clusters.includes(t.cluster)) last.clusters.push(t.cluster);
    else out.push({ at: t.at, clusters: [t.cluster] });
  }
  return out;
}
