import type { Command } from '../command';
import { alertsCommand } from './alerts';
import { alertsConfigCommand } from './alerts-config';
import { auditCommand } from './audit';
import { clustersAdd, clustersImport, clustersList, clustersRemove } from './clusters';
import { exportSnapshotCommand, exportUsageCommand } from './export';
import { importCommand } from './import';
import { jobsCommand } from './jobs';
import { nodesCommand } from './nodes';
import { preemptionsCommand } from './preemptions';
import { requeueCommand } from './requeue';
import { statusCommand } from './status';
import { syncCommand } from './sync';

export const COMMANDS: readonly Command[] = [
  clustersAdd,
  clustersList,
  clustersRemove,
  clustersImport,
  syncCommand,
  statusCommand,
  jobsCommand,
  nodesCommand,
  preemptionsCommand,
  importCommand,
  exportUsageCommand,
  exportSnapshotCommand,
  requeueCommand,
  auditCommand,
  alertsCommand,
  alertsConfigCommand,
];
