// One ClusterConnection per cluster name for the whole process: the poller, actions and the CLI all ask
// the pool, so no code path opens a second connection to a cluster. A changed configuration replaces the
// connection (the old one is closed gracefully).
import type { ClusterConfig } from '../../../shared/model/cluster';
import { ClusterConnection, type ConnectionOptions, type ConnectionStatus } from './connection';

type Listener = (status: ConnectionStatus) => void;

export class ConnectionPool {
  private readonly entries = new Map<string, { config: string; connection: ClusterConnection; unsubscribe: () => void }>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly options: ConnectionOptions) {}

  /** The connection for this cluster, created on first use (not connected until used or connect()). */
  get(cluster: ClusterConfig): ClusterConnection {
    const config = JSON.stringify(cluster);
    const existing = this.entries.get(cluster.name);
    if (existing && existing.config === config) return existing.connection;
    if (existing) this.drop(cluster.name);
    const connection = new ClusterConnection(cluster, this.options);
    const unsubscribe = connection.onState((s) => {
      for (const l of [...this.listeners]) l(s);
    });
    this.entries.set(cluster.name, { config, connection, unsubscribe });
    return connection;
  }

  find(name: string): ClusterConnection | undefined {
    return this.entries.get(name)?.connection;
  }

  statuses(): ConnectionStatus[] {
    return [...this.entries.values()].map((e) => e.connection.status());
  }

  /** State changes of every connection in the pool, now and later. */
  onState(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async remove(name: string): Promise<void> {
    await this.drop(name);
  }

  async closeAll(graceMs?: number): Promise<void> {
    await Promise.all([...this.entries.keys()].map((name) => this.drop(name, graceMs)));
  }

  private drop(name: string, graceMs?: number): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return Promise.resolve();
    this.entries.delete(name);
    const closing = entry.connection.close(graceMs);
    // The closed state still reaches listeners; later events of the old connection do not.
    return closing.finally(() => entry.unsubscribe());
  }
}
