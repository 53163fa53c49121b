// One collection cycle for one cluster: the chosen kinds run concurrently over the cluster's one
// connection (the channel cap keeps it polite), and whatever came back becomes one Collection. A kind that
// fails is recorded with Slurm's own message; the others are kept, so a dead slurmdbd never stops queue
// and node updates.
import type { Capabilities } from '../../../shared/model/capabilities';
import type { SnapshotKind } from '../../../shared/model/snapshot';
import type { Collection } from '../store/snapshot-writer';
import {
  collectAccounting,
  collectController,
  collectFairshare,
  collectNodes,
  collectPartitions,
  collectPriority,
  collectQueue,
  collectReservations,
  type AccountingRequest,
  type Collected,
} from './collectors';
import type { Remote } from './remote';
import { ExecError } from '../ssh/exec';
import { SshError } from '../ssh/errors';

/**
 * The connection was lost (or could not be used) during the cycle. The whole collection is dropped, not
 * stored as a partial snapshot: kinds that happened to finish before the cut would otherwise mix a new
 * queue with nodes of an older moment. The previous snapshot stays the latest; the next cycle retries.
 */
export class CycleAborted extends Error {
  constructor(
    readonly cluster: string,
    failure: Error,
  ) {
    super(`${cluster}: collection abandoned, the connection failed: ${failure.message}`, { cause: failure });
    this.name = 'CycleAborted';
  }
}

function isConnectionFailure(err: unknown): err is Error {
  return err instanceof SshError || (err instanceof ExecError && (err.kind === 'lost' || err.kind === 'channel'));
}

export interface CycleRequest {
  kinds: readonly SnapshotKind[];
  /** Required when kinds include accounting: the sacct window (epoch seconds) and what to ask for in it. */
  accountingWindow?: AccountingRequest;
}

export async function runCycle(remote: Remote, caps: Capabilities, request: CycleRequest, now: () => number = () => Date.now()): Promise<Collection> {
  const startedAt = Math.floor(now() / 1000);
  const jobs: Partial<Record<SnapshotKind, Promise<Collected<unknown>>>> = {};
  for (const kind of new Set(request.kinds)) {
    switch (kind) {
      case 'nodes':
        jobs.nodes = collectNodes(remote, caps);
        break;
      case 'partitions':
        jobs.partitions = collectPartitions(remote);
        break;
      case 'queue':
        jobs.queue = collectQueue(remote, caps);
        break;
      case 'reservations':
        jobs.reservations = collectReservations(remote, caps);
        break;
      case 'fairshare':
        jobs.fairshare = collectFairshare(remote);
        break;
      case 'priority':
        jobs.priority = collectPriority(remote, caps);
        break;
      case 'controller':
        jobs.controller = collectController(remote);
        break;
      case 'accounting': {
        if (!request.accountingWindow) throw new Error('an accounting collection needs a window');
        jobs.accounting = collectAccounting(remote, caps, request.accountingWindow);
        break;
      }
    }
  }
  const collection: Collection = { cluster: remote.cluster, startedAt, finishedAt: startedAt, source: 'poll' };
  const fields = collection as unknown as Record<SnapshotKind, unknown>;
  const errors: { kind: SnapshotKind; message: string }[] = [];
  const entries = Object.entries(jobs) as [SnapshotKind, Promise<Collected<unknown>>][];
  const settled = await Promise.allSettled(entries.map(([, p]) => p));
  const lost = settled.find((r) => r.status === 'rejected' && isConnectionFailure(r.reason));
  if (lost && lost.status === 'rejected') throw new CycleAborted(remote.cluster, lost.reason as Error);
  settled.forEach((result, i) => {
    const kind = entries[i]?.[0] as SnapshotKind;
    if (result.status === 'fulfilled') {
      fields[kind] = result.value.value;
      if (result.value.problem) errors.push({ kind, message: result.value.problem });
    } else {
      const err = result.reason as Error;
      errors.push({ kind, message: err?.message ?? String(err) });
    }
  });
  collection.finishedAt = Math.floor(now() / 1000);
  if (errors.length) collection.errors = errors;
  return collection;
}
