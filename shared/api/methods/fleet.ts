// The fleet overview: one card per cluster, and the fleet's totals.
import { z } from 'zod';
import { At, ClusterStatusCounts, ConnectionInfo } from './common';

export const ClusterCard = z.object({
  name: z.string(),
  slurmVersion: z.string().nullable(),
  /** Epoch seconds: newest snapshot, and when the nodes and queue shown were collected. */
  lastSyncAt: z.number().nullable(),
  nodesAt: z.number().nullable(),
  queueAt: z.number().nullable(),
  counts: ClusterStatusCounts,
  /** Kinds the newest snapshot could not collect, with Slurm's message. */
  lastErrors: z.array(z.object({ kind: z.string(), message: z.string() })),
  /** Null when this host keeps no connection (example data, snapshot file, CLI). */
  connection: ConnectionInfo.nullable(),
  /** Active alerts (open + acknowledged; snoozed ones not counted). */
  openAlerts: z.number(),
  user: z.string().nullable(),
  adminLevel: z.string().nullable(),
  timeZone: z.string().nullable(),
});
export type ClusterCard = z.infer<typeof ClusterCard>;

export const FleetOverview = z.object({
  clusters: z.array(ClusterCard),
  totals: ClusterStatusCounts,
});
export type FleetOverview = z.infer<typeof FleetOverview>;

export const fleetMethods = {
  'fleet.overview': { request: At.strict(), response: FleetOverview },
} as const;
