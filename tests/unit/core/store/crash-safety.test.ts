// kill -9 in the middle of a big write: on reopen the database passes integrity_check, the last committed
// snapshot is complete, nothing of the interrupted one exists, and (for an ingest) usage_daily still sums
// exactly the runs that did commit. A real child process is killed with SIGKILL, several rounds in one file.
import { fork } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { openStore } from '../../../../electron/core/store/db';
import { SnapshotsRepo } from '../../../../electron/core/store/snapshots-repo';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const CHILD = path.join(import.meta.dirname, 'crash-writer.ts');

interface Committed {
  id: number;
  jobs?: number;
  nodes?: number;
}

/** Run the child until it reports `writing`, wait `delayMs`, SIGKILL it. Returns what it had committed. */
function killMidWrite(dataDir: string, mode: 'snapshot' | 'ingest', round: number, delayMs: number): Promise<Committed> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [dataDir, mode, String(round)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let committed: Committed | null = null;
    let finished = false;
    child.on('message', (m: { type: string } & Committed & { message?: string }) => {
      if (m.type === 'committed') committed = m;
      else if (m.type === 'writing') setTimeout(() => child.kill('SIGKILL'), delayMs);
      else if (m.type === 'done') finished = true;
      else if (m.type === 'error') reject(new Error(m.message));
    });
    child.on('exit', (code, signal) => {
      if (finished) reject(new Error('the write finished before the kill: make it bigger'));
      else if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}`));
      else if (!committed) reject(new Error('child never committed its first snapshot'));
      else resolve(committed);
    });
  });
}

function openAndCheck(dataDir: string) {
  const store = openStore({ dataDir });
  expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(store.db.pragma('foreign_key_check')).toEqual([]);
  return store;
}

describe('crash safety', () => {
  it('kill -9 during a big snapshot write leaves the last committed snapshot complete', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    for (const [round, delay] of [[0, 150], [1, 900]] as const) {
      const committed = await killMidWrite(dir, 'snapshot', round, delay);
      const store = openAndCheck(dir);
      const clusterId = new ClustersRepo(store.db).idOf('crash');
      const latest = new SnapshotsRepo(store.db).latest(clusterId);
      expect(latest?.id).toBe(committed.id);
      expect(latest?.rows).toEqual({ nodes: committed.nodes, queue: committed.jobs });
      expect(store.db.prepare('SELECT count(*) AS n FROM jobs_current WHERE snapshot_id = ?').get(committed.id)).toEqual({ n: committed.jobs });
      expect(store.db.prepare('SELECT count(*) AS n FROM nodes_current WHERE snapshot_id = ?').get(committed.id)).toEqual({ n: committed.nodes });
      expect(store.db.prepare('SELECT count(*) AS n FROM jobs_current WHERE snapshot_id > ?').get(committed.id)).toEqual({ n: 0 });
      expect(store.db.prepare('SELECT count(*) AS n FROM job_spans WHERE from_snapshot > ? OR to_snapshot > ?').get(committed.id, committed.id)).toEqual({ n: 0 });
      store.close();
    }
  });

  it('kill -9 during a streamed sacct ingest: no snapshot of it, and usage_daily matches the runs that committed', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    for (const [round, delay] of [[0, 300], [1, 1200]] as const) {
      const committed = await killMidWrite(dir, 'ingest', round, delay);
      const store = openAndCheck(dir);
      const clusterId = new ClustersRepo(store.db).idOf('crash');
      const snapshots = new SnapshotsRepo(store.db);
      expect(snapshots.latest(clusterId)?.id).toBe(committed.id);
      const sums = store.db
        .prepare(`SELECT (SELECT coalesce(sum(gpus * elapsed), 0) FROM runs WHERE start_time IS NOT NULL) AS runs,
                         (SELECT coalesce(sum(gpu_seconds), 0) FROM usage_daily) AS rollup`)
        .get() as { runs: number; rollup: number };
      expect(sums.rollup).toBe(sums.runs);
      store.close();
    }
  });
});
