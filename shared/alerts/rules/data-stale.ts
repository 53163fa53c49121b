// Data stale: the console has not stored a queue + nodes collection of a cluster for too long (offline,
// unreachable, or every collection failing). While it is stale, the cluster's other alerts are frozen: they
// neither open nor resolve on data that is not there.
import { paramsFor } from '../params';
import type { AlertSettings, Finding } from '../types';

export interface StaleInput {
  cluster: string;
  at: number;
  /** Finish time of the last stored collection with nodes and queue, null if never. */
  lastCollectedAt: number | null;
  /** The connection state and its reason, when the host knows it. */
  connection: { state: string; message: string | null } | null;
}

export function isStale(input: StaleInput, settings: AlertSettings): boolean {
  const p = paramsFor(settings, input.cluster);
  return input.lastCollectedAt === null || input.at - input.lastCollectedAt > p.staleMinutes * 60;
}

export function staleFinding(input: StaleInput, settings: AlertSettings): Finding | null {
  const p = paramsFor(settings, input.cluster);
  if (!p.enabled['data-stale'] || !isStale(input, settings)) return null;
  const age = input.lastCollectedAt === null ? null : input.at - input.lastCollectedAt;
  const ageText = age === null ? 'never collected' : `last collected ${Math.round(age / 60)} min ago`;
  const conn = input.connection && input.connection.state !== 'ready' ? ` Connection ${input.connection.state}${input.connection.message ? `: ${input.connection.message}` : ''}.` : '';
  return {
    rule: 'data-stale',
    subject: 'cluster',
    severity: 'warning',
    title: `${input.cluster}: data is stale (${ageText})`,
    body: `No queue and node data from ${input.cluster} for more than ${p.staleMinutes} min (${ageText}).${conn} Its other alerts are frozen until data comes back.`,
    holdSeconds: 0,
    since: input.lastCollectedAt,
    detail: { lastCollectedAt: input.lastCollectedAt, ageSeconds: age, connection: input.connection },
    links: { nodes: [], jobs: [], partition: null },
  };
}
