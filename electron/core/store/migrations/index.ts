// Every migration, in order. A new one gets the next free number (gaps are fine) and is appended here;
// an applied migration is never edited (its checksum is stored and checked on every open).
import type { Migration } from './migration';
import { migration as clusters } from './0010-clusters';
import { migration as snapshots } from './0020-snapshots';
import { migration as nodesAndQueue } from './0030-nodes-and-queue';
import { migration as accounting } from './0040-accounting';
import { migration as nodeSamples } from './0050-node-samples';
import { migration as scheduler } from './0060-scheduler';
import { migration as settingsAndHostKeys } from './0070-settings-and-host-keys';
import { migration as actionsAudit } from './0080-actions-audit';
import { migration as runIndexes } from './0090-run-indexes';
import { migration as alerts } from './0100-alerts';

export const MIGRATIONS: readonly Migration[] = [clusters, snapshots, nodesAndQueue, accounting, nodeSamples, scheduler, settingsAndHostKeys, actionsAudit, runIndexes, alerts];
