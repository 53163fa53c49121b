// Node history as five-minute samples (see node-sample-codec.ts for the row layout). Each nodes snapshot
// writes its bucket; several snapshots in one bucket (60 s polls) overwrite it, so a bucket holds the last
// state seen in its five minutes, and a row is rewritten only when its bucket actually changed.
//
// Node ids, state codes and reason ids are looked up per call, never cached across calls: a cache would
// outlive a rolled-back transaction and hand out ids of rows that no longer exist.
import type Database from 'better-sqlite3';
import { nodeGpuTotals, type SlurmNode } from '../../../shared/model/node';
import { StoreError } from './errors';
import { BUCKET_SECONDS, BUCKETS_PER_DAY, bucketOf, dayOf, NodeDay } from './node-sample-codec';
import { prepared } from './prepared';

/** The state key samples are coded by: base state plus sorted flags, `MIXED+DRAIN`. */
export function nodeStateKey(node: Pick<SlurmNode, 'state' | 'flags'>): string {
  return [node.state, ...[...new Set(node.flags)].sort()].join('+');
}

/** Node × time grids for a heatmap: row-major, `nodes.length` rows of `buckets` columns. */
export interface NodeTimeline {
  /** Epoch seconds of the first bucket. */
  start: number;
  bucketSeconds: number;
  buckets: number;
  nodes: string[];
  /** State code per cell (0 = no sample); `states` maps codes to `MIXED+DRAIN` keys. */
  state: Uint16Array;
  gpusAlloc: Uint16Array;
  gpusTotal: Uint16Array;
  /** node_reasons id per cell (0 = none); `reasons` maps ids to text and who set it. */
  reason: Uint32Array;
  states: Record<number, string>;
  reasons: Record<number, { reason: string; user: string | null }>;
}

export class NodeSamplesRepo {
  constructor(private readonly db: Database.Database) {}

  /** name -> id for the cluster's nodes, adding the names not known yet. */
  private nodeIds(clusterId: number, names: readonly string[]): Map<string, number> {
    const ids = new Map<string, number>();
    for (const r of prepared(this.db, 'SELECT id, name FROM node_names WHERE cluster_id = ?').all(clusterId) as { id: number; name: string }[]) ids.set(r.name, r.id);
    const add = prepared(this.db, 'INSERT INTO node_names (cluster_id, name) VALUES (?, ?) RETURNING id');
    for (const name of names) if (!ids.has(name)) ids.set(name, (add.get(clusterId, name) as { id: number }).id);
    return ids;
  }

  stateCode(key: string): number {
    const found = prepared(this.db, 'SELECT code FROM node_state_codes WHERE state = ?').get(key) as { code: number } | undefined;
    if (found) return found.code;
    try {
      return (prepared(this.db, 'INSERT INTO node_state_codes (state) VALUES (?) RETURNING code').get(key) as { code: number }).code;
    } catch (err) {
      throw new StoreError('bad-value', `cannot code node state ${key}: ${(err as Error).message}`, { cause: err });
    }
  }

  reasonId(reason: string, user: string | null): number {
    const u = user ?? '';
    const found = prepared(this.db, 'SELECT id FROM node_reasons WHERE reason = ? AND reason_user = ?').get(reason, u) as { id: number } | undefined;
    if (found) return found.id;
    return (prepared(this.db, 'INSERT INTO node_reasons (reason, reason_user) VALUES (?, ?) RETURNING id').get(reason, u) as { id: number }).id;
  }

  /** Record the nodes seen at `at` (epoch seconds) into their five-minute bucket. Returns rows written. */
  record(clusterId: number, at: number, nodes: readonly SlurmNode[]): number {
    const day = dayOf(at);
    const bucket = bucketOf(at);
    const ids = this.nodeIds(clusterId, nodes.map((n) => n.name));
    const existing = new Map<number, NodeDay>();
    const rows = prepared(this.db, 'SELECT node_id, samples, reasons FROM node_samples WHERE day = ? AND node_id IN (SELECT id FROM node_names WHERE cluster_id = ?)')
      .all(day, clusterId) as { node_id: number; samples: Buffer; reasons: Buffer }[];
    for (const r of rows) existing.set(r.node_id, new NodeDay(r.samples, r.reasons));
    const codes = new Map<string, number>();
    const reasons = new Map<string, number>();
    let written = 0;
    for (const node of nodes) {
      const id = ids.get(node.name) as number;
      const key = nodeStateKey(node);
      let code = codes.get(key);
      if (code === undefined) codes.set(key, (code = this.stateCode(key)));
      let reasonId = 0;
      if (node.reason) {
        const rk = `${node.reason}\u0000${node.reasonUser ?? ''}`;
        let rid = reasons.get(rk);
        if (rid === undefined) reasons.set(rk, (rid = this.reasonId(node.reason, node.reasonUser)));
        reasonId = rid;
      }
      const gpus = nodeGpuTotals(node);
      let nd = existing.get(id);
      const fresh = nd === undefined;
      nd ??= new NodeDay();
      let changed: boolean;
      try {
        changed = nd.set(bucket, { state: code, gpusAlloc: gpus.used, gpusTotal: gpus.total, reasonId });
      } catch (err) {
        throw new StoreError('bad-value', `node ${node.name}: ${(err as Error).message}`, { cause: err });
      }
      if (changed || fresh) {
        this.putDay(id, day, nd);
        written++;
      }
    }
    return written;
  }

  /** Write one node-day row as a whole (also how a bench or an import fills history in bulk). */
  putDay(nodeId: number, day: number, nd: NodeDay): void {
    prepared(this.db, 'INSERT INTO node_samples (node_id, day, samples, reasons) VALUES (?, ?, ?, ?) ON CONFLICT (node_id, day) DO UPDATE SET samples = excluded.samples, reasons = excluded.reasons')
      .run(nodeId, day, nd.bytes, nd.reasonsBlob());
  }

  /** The id of a node, added if new (for bulk writers using putDay). */
  nodeId(clusterId: number, name: string): number {
    return this.nodeIds(clusterId, [name]).get(name) as number;
  }

  /** Samples of every node of the cluster in [from, to) (epoch seconds, widened to whole buckets). */
  timeline(clusterId: number, from: number, to: number): NodeTimeline {
    const first = Math.floor(from / BUCKET_SECONDS);
    const buckets = Math.max(0, Math.ceil(to / BUCKET_SECONDS) - first);
    const rows = prepared(this.db, `SELECT n.name, s.day, s.samples, s.reasons FROM node_samples s JOIN node_names n ON n.id = s.node_id
                WHERE n.cluster_id = ? AND s.day BETWEEN ? AND ?`)
      .all(clusterId, dayOf(from), dayOf(Math.max(from, to - 1))) as { name: string; day: number; samples: Buffer; reasons: Buffer }[];
    const nodes = [...new Set(rows.map((r) => r.name))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const rowOf = new Map(nodes.map((n, i) => [n, i]));
    const cells = nodes.length * buckets;
    const t: NodeTimeline = {
      start: first * BUCKET_SECONDS,
      bucketSeconds: BUCKET_SECONDS,
      buckets,
      nodes,
      state: new Uint16Array(cells),
      gpusAlloc: new Uint16Array(cells),
      gpusTotal: new Uint16Array(cells),
      reason: new Uint32Array(cells),
      states: {},
      reasons: {},
    };
    const reasonIds = new Set<number>();
    for (const r of rows) {
      const nd = new NodeDay(r.samples, r.reasons);
      const base = (rowOf.get(r.name) as number) * buckets;
      const dayFirst = r.day * BUCKETS_PER_DAY;
      const lo = Math.max(first, dayFirst);
      const hi = Math.min(first + buckets, dayFirst + BUCKETS_PER_DAY);
      for (let b = lo; b < hi; b++) {
        const s = nd.get(b - dayFirst);
        const cell = base + (b - first);
        t.state[cell] = s.state;
        t.gpusAlloc[cell] = s.gpusAlloc;
        t.gpusTotal[cell] = s.gpusTotal;
        t.reason[cell] = s.reasonId;
        if (s.reasonId) reasonIds.add(s.reasonId);
      }
    }
    for (const r of prepared(this.db, 'SELECT code, state FROM node_state_codes').all() as { code: number; state: string }[]) t.states[r.code] = r.state;
    const byId = prepared(this.db, 'SELECT reason, reason_user FROM node_reasons WHERE id = ?');
    for (const id of reasonIds) {
      const r = byId.get(id) as { reason: string; reason_user: string } | undefined;
      if (r) t.reasons[id] = { reason: r.reason, user: r.reason_user === '' ? null : r.reason_user };
    }
    return t;
  }
}
