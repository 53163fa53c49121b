// Record the example snapshot shipped with the app (build/example/snapshot.db), from the live Slurm test
// bed, by our own collector: both clusters added to a fresh data directory, a first full sync (accounting
// of the last day), then a few queue/nodes/accounting cycles a minute apart so time travel and the
// heatmap have history. After every cycle the alert engine evaluates each cluster, as the live console
// does, so the Alerts view has alerts to show (with the default thresholds: the scenario's drained nodes
// open "GPUs out of service" at once when their drain is older than 5 minutes). The result is copied with SQLite's online backup API and scrubbed: cluster hosts,
// ports, key paths and pinned host keys are replaced or dropped, so the file holds no secret and no local
// path. Run as a user who can reach the test bed (sudo tests/testbed/up.sh && sudo tests/testbed/scenario.sh):
//
//   npx tsx build/example/record.ts [--cycles 6] [--interval 60] [--out build/example/snapshot.db]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DEFAULT_POLL, type ClusterConfig } from '../../shared/model/cluster';
import { startLive } from '../../electron/core/runtime/live';
import { SCHEDULES } from '../../electron/core/runtime/poller';
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import { SNAPSHOT_KINDS } from '../../electron/core/store/snapshots-repo';
import { testbedCluster } from '../../tests/integration/ssh-helpers';
import { CLUSTERS } from '../../tests/integration/testbed';

const args = parseArgs({
  options: {
    cycles: { type: 'string', default: '6' },
    interval: { type: 'string', default: '60' },
    out: { type: 'string', default: path.resolve(import.meta.dirname, 'snapshot.db') },
    user: { type: 'string', default: 'opsuser' },
  },
}).values;
const cycles = Number(args.cycles);
const intervalS = Number(args.interval);
if (!Number.isInteger(cycles) || cycles < 1 || !Number.isInteger(intervalS) || intervalS < 0) throw new Error('--cycles N (>= 1) and --interval SECONDS (>= 0) are whole numbers');

/** What the shipped file says about how a cluster is reached: nothing real. */
function scrubbedConfig(c: ClusterConfig): ClusterConfig {
  return { name: c.name, host: `${c.name}.example.invalid`, port: 22, user: c.user, auth: { kind: 'agent' }, jump: [], knownHostsFiles: [], poll: { ...DEFAULT_POLL }, enabled: true };
}

const log = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clusterops-example-'));
  // No page here to ask about host keys: trust exactly the test bed's known_hosts (the cluster config's).
  const running = startLive({ host: 'web', dataDir, poll: false, hostKeyPrompt: null });
  try {
    const store = running.core.context.store;
    const sync = running.core.context.sync!;
    const repo = new ClustersRepo(store.db);
    for (const name of CLUSTERS) repo.save(testbedCluster(name, args.user), Math.floor(Date.now() / 1000));
    const cycleKinds = [...SCHEDULES.queue, ...SCHEDULES.accounting];
    for (let i = 0; i < cycles; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, intervalS * 1000));
      for (const name of CLUSTERS) {
        const r = await sync.sync(name, { kinds: i === 0 ? SNAPSHOT_KINDS : cycleKinds, initialAccountingDays: 1 });
        // As the live console does after every stored nodes + queue snapshot: the alert engine moves the
        // cluster's alerts along, so the example has open alerts, rule availability and alert history too.
        const evaluation = await running.core.context.alerts.evaluate(name);
        log(
          `cycle ${i + 1}/${cycles} ${name}: ${r.snapshots.length} snapshot(s), ${evaluation.events.length} alert event(s)` +
            `${evaluation.events.length ? ` (${evaluation.events.map((e) => `${e.kind} ${e.rule}`).join(', ')})` : ''}${r.errors.length ? `, errors: ${JSON.stringify(r.errors)}` : ''}`,
        );
        if (i === 0 && r.errors.length) throw new Error(`first sync of ${name} failed: ${JSON.stringify(r.errors)}`);
      }
    }
    rmSync(args.out, { force: true });
    await store.db.backup(args.out);
  } finally {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  // Scrub the copy, then make it a single self-contained file (no WAL) that opens read-only anywhere.
  const db = new Database(args.out);
  db.pragma('journal_mode = DELETE');
  db.transaction(() => {
    const rows = db.prepare('SELECT id, config FROM clusters').all() as { id: number; config: string }[];
    for (const r of rows) db.prepare('UPDATE clusters SET config = ? WHERE id = ?').run(JSON.stringify(scrubbedConfig(JSON.parse(r.config) as ClusterConfig)), r.id);
    db.prepare('DELETE FROM host_keys').run();
    db.prepare('DELETE FROM settings').run();
  })();
  db.exec('VACUUM');
  const leftovers = db.prepare("SELECT count(*) AS n FROM clusters WHERE config LIKE '%127.0.0.1%' OR config LIKE '%/var/tmp%' OR config LIKE '%identityFile%'").get() as { n: number };
  db.close();
  if (leftovers.n > 0) throw new Error('scrubbing left a host or a local path in the cluster configs');
  log(`wrote ${args.out}: ${(statSync(args.out).size / 1024).toFixed(0)} KiB`);
}

await main();
