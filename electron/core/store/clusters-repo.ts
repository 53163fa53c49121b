// Clusters the user configured, and what the probe found on each. Everything else in the store refers to
// a cluster by its integer id (compact rows, cheap joins); names are what people and the CLI use.
import type Database from 'better-sqlite3';
import type { Capabilities } from '../../../shared/model/capabilities';
import { CLUSTER_NAME, type ClusterConfig } from '../../../shared/model/cluster';
import { StoreError } from './errors';
import { prepared } from './prepared';

export interface StoredCluster {
  id: number;
  name: string;
  config: ClusterConfig;
  createdAt: number;
  updatedAt: number;
}

/** Keys that would hold a secret. A config is refused if any carries a value: secrets go to the SecretStore. */
const SECRET_KEY = /pass(word|phrase)$|secret|token|private_?key|^key$/i;

function findSecret(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findSecret(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k) && typeof v === 'string' && v !== '') return `${path}.${k}`;
      const hit = findSecret(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return null;
}

interface Row {
  id: number;
  name: string;
  config: string;
  created_at: number;
  updated_at: number;
}

const toCluster = (r: Row): StoredCluster => ({ id: r.id, name: r.name, config: JSON.parse(r.config) as ClusterConfig, createdAt: r.created_at, updatedAt: r.updated_at });

export class ClustersRepo {
  constructor(private readonly db: Database.Database) {}

  /** Add or update a cluster by name; returns its id. */
  save(config: ClusterConfig, now: number): number {
    if (!CLUSTER_NAME.test(config.name)) throw new StoreError('bad-value', `cluster name ${JSON.stringify(config.name)} is not allowed (letters, digits, . _ -)`);
    const secret = findSecret(config, 'config');
    if (secret) throw new StoreError('bad-value', `refusing to store a secret in the cluster config (${secret}); secrets belong in the SecretStore`);
    const row = prepared(this.db, `INSERT INTO clusters (name, config, created_at, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at RETURNING id`)
      .get(config.name, JSON.stringify(config), now, now) as { id: number };
    return row.id;
  }

  get(name: string): StoredCluster | undefined {
    const r = prepared(this.db, 'SELECT * FROM clusters WHERE name = ?').get(name) as Row | undefined;
    return r && toCluster(r);
  }

  /** The id of a cluster by name; a typed not-found error names what exists. */
  idOf(name: string): number {
    const r = prepared(this.db, 'SELECT id FROM clusters WHERE name = ?').get(name) as { id: number } | undefined;
    if (r) return r.id;
    const known = this.list().map((c) => c.name);
    throw new StoreError('not-found', `no cluster named ${JSON.stringify(name)}${known.length ? ` (known: ${known.join(', ')})` : ' (none configured)'}`);
  }

  list(): StoredCluster[] {
    return (prepared(this.db, 'SELECT * FROM clusters ORDER BY name').all() as Row[]).map(toCluster);
  }

  /** Remove a cluster and everything stored for it. Returns false when there was none. */
  remove(name: string): boolean {
    return prepared(this.db, 'DELETE FROM clusters WHERE name = ?').run(name).changes > 0;
  }

  saveCapabilities(clusterId: number, caps: Capabilities): void {
    prepared(this.db, `INSERT INTO capabilities (cluster_id, probed_at, slurm_version, time_zone, data) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (cluster_id) DO UPDATE SET probed_at = excluded.probed_at, slurm_version = excluded.slurm_version,
                time_zone = excluded.time_zone, data = excluded.data`)
      .run(clusterId, caps.probedAt, caps.slurmVersion, caps.timeZone, JSON.stringify(caps));
  }

  capabilities(clusterId: number): Capabilities | null {
    const r = prepared(this.db, 'SELECT data FROM capabilities WHERE cluster_id = ?').get(clusterId) as { data: string } | undefined;
    return r ? (JSON.parse(r.data) as Capabilities) : null;
  }

  /** The cluster's IANA zone as probed; UTC until a probe said otherwise. */
  timeZone(clusterId: number): string {
    const r = prepared(this.db, 'SELECT time_zone FROM capabilities WHERE cluster_id = ?').get(clusterId) as { time_zone: string } | undefined;
    return r?.time_zone ?? 'UTC';
  }
}
