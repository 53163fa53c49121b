// A full refresh over the kept-open connection vs its slowest single command, on both test-bed clusters
// (sudo tests/testbed/up.sh first). Each command alone: the command a collector runs, as one exec over the
// open connection (the queue's is `scontrol show job`, what the collector reads while the queue is small;
// squeue is printed beside it); the full refresh: every slurmctld kind collected concurrently through
// ClusterSync (show commands answered by the cluster's scontrol session, the others on their own
// channels), parsed and stored as one snapshot. Warm: one sync first. Medians of 9.
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClusterSync } from '../electron/core/runtime/cluster-sync';
import { ConnectionPool } from '../electron/core/ssh/pool';
import { ClustersRepo } from '../electron/core/store/clusters-repo';
import { openStore } from '../electron/core/store/db';
import {
  SACCT_ENDED_STATES,
  sacctCommand,
  sacctFields,
  scontrolNodesCommand,
  scontrolPartitionsCommand,
  scontrolReservationsCommand,
  sdiagCommand,
  scontrolJobsCommand,
  sprioCommand,
  squeueCommand,
  sshareCommand,
  type SlurmCommand,
} from '../shared/slurm/commands';
import { parseSlurmVersion } from '../shared/slurm/version';
import { KNOWN_HOSTS, testbedCluster, testbedVerifier } from '../tests/integration/ssh-helpers';
import { STATE } from '../tests/integration/testbed';

const RUNS = 9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

if (!existsSync(path.join(STATE, 'alpha', 'cluster.json'))) {
  console.error(`the test bed is not up (${STATE}): run sudo tests/testbed/up.sh`);
  process.exit(1);
}

const store = openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'clusterops-bench-')) });
const pool = new ConnectionPool({ verifier: testbedVerifier(), autoReconnect: false });
const sync = new ClusterSync(store, pool);

for (const name of ['alpha', 'beta'] as const) {
  const config = testbedCluster(name, 'opsuser', { knownHostsFiles: [KNOWN_HOSTS] });
  new ClustersRepo(store.db).save(config, Math.floor(Date.now() / 1000));
  const caps = await sync.capabilities(config);
  const conn = pool.get(config);
  const version = parseSlurmVersion(caps.slurmVersion);
  const commands: Record<string, SlurmCommand> = {
    queue: scontrolJobsCommand(),
    nodes: scontrolNodesCommand(),
    partitions: scontrolPartitionsCommand(),
    reservations: scontrolReservationsCommand(),
    fairshare: sshareCommand(),
    priority: sprioCommand(version),
    controller: sdiagCommand(),
    // What an incremental accounting sync asks (runs that ended since the last one, 5 min overlap).
    accounting: sacctCommand(sacctFields(version, caps.sacctFields?.length ? caps.sacctFields : null), {
      start: Math.floor(Date.now() / 1000) - 300,
      end: Math.floor(Date.now() / 1000),
      timeZone: caps.timeZone,
    }, { states: SACCT_ENDED_STATES }),
  };
  const single: Record<string, number> = {};
  for (const [kind, cmd] of Object.entries(commands)) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await conn.exec(cmd.argv, { env: cmd.env });
      times.push(performance.now() - t);
    }
    single[kind] = median(times);
  }
  const squeueTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await conn.exec(squeueCommand().argv, { env: squeueCommand().env });
    squeueTimes.push(performance.now() - t);
  }
  // Warm: the first sync starts the scontrol session, learns the queue's size and stores a day of
  // accounting, so the refreshes below are the steady state (accounting incremental).
  await sync.sync(name, { kinds: ['queue', 'nodes', 'partitions', 'reservations', 'fairshare', 'priority', 'controller', 'accounting'], initialAccountingDays: 1 });
  const timeSync = async (kinds: Parameters<typeof sync.sync>[1]['kinds']) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await sync.sync(name, { kinds });
      times.push(performance.now() - t);
      if (r.errors.length) console.log(`  errors: ${JSON.stringify(r.errors)}`);
    }
    return median(times);
  };
  // For comparison: the same eight commands as one-shot execs sent at once, nothing parsed or stored (what
  // a refresh cost before the scontrol session; on 2 cores it is bound by Slurm clients starting up).
  const floorTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await Promise.all(Object.values(commands).map((c) => conn.exec(c.argv, { env: c.env })));
    floorTimes.push(performance.now() - t);
  }
  const floor = median(floorTimes);
  const defaultCycle = await timeSync(['queue', 'nodes']);
  const ctldKinds = ['queue', 'nodes', 'partitions', 'reservations', 'fairshare', 'priority', 'controller'] as const;
  const ctldOnly = await timeSync(ctldKinds);
  const full = await timeSync([...ctldKinds, 'accounting']);
  const { accounting: _sacct, ...ctldSingle } = single;
  const slowest = Math.max(...Object.values(single));
  const slowestCtld = Math.max(...Object.values(ctldSingle));
  const slowestDefault = Math.max(single.queue as number, single.nodes as number);
  console.log(`${name} (Slurm ${caps.slurmVersion}), medians of ${RUNS}:`);
  console.log(`  single commands (ms): ${Object.entries(single).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')} (squeue ${median(squeueTimes).toFixed(1)})`);
  console.log(`  default cycle (queue + nodes, parsed + stored): ${defaultCycle.toFixed(1)} ms, ratio to its slowest command ${(defaultCycle / slowestDefault).toFixed(2)} (target <= 1.5)`);
  console.log(`  full refresh (all 8 kinds incl. incremental accounting, parsed + stored): ${full.toFixed(1)} ms, ratio to the slowest command ${(full / slowest).toFixed(2)} (target <= 1.5)`);
  console.log(`  the 7 slurmctld kinds alone: ${ctldOnly.toFixed(1)} ms, ratio to their slowest command ${(ctldOnly / slowestCtld).toFixed(2)}`);
  console.log(`  the 8 commands as one-shot execs at once, not parsed: ${floor.toFixed(1)} ms, ratio ${(floor / slowest).toFixed(2)}`);
}
sync.closeSessions();
await pool.closeAll();
store.close();
