// A snapshot is one collection from one cluster. It is written in a single transaction: either all of
// what it collected is stored, or nothing is.

export type SnapshotKind = 'nodes' | 'partitions' | 'queue' | 'accounting' | 'fairshare' | 'priority' | 'reservations' | 'controller';

export interface SnapshotInfo {
  id: number;
  cluster: string;
  /** Epoch seconds when the collection started and finished. */
  startedAt: number;
  finishedAt: number;
  kinds: SnapshotKind[];
  /** `ok`: everything asked for was collected; `partial`: some kinds failed (see errors). */
  status: 'ok' | 'partial';
  errors: { kind: SnapshotKind; message: string }[];
}
