// A full refresh over the kept-open connection vs its slowest single command, on both test-bed clusters
// (sudo tests/testbed/up.sh first). Each command alone: the raw exec over the open connection; the full
// refresh: every slurmctld kind collected concurrently, parsed and stored as one snapshot. Medians of 7.
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClusterSync } from '../electron/core/runtime/cluster-sync';
import { ConnectionPool } from '../electron/core/ssh/pool';
import { ClustersRepo } from '../electron/core/store/clusters-repo';
import { openStore } from '../electron/core/store/db';
import {
  scontrolNodesCommand,
  scontrolPartitionsCommand,
  scontrolReservationsCommand,
  sdiagCommand,
  sprioCommand,
  squeueCommand,
  sshareCommand,
  type SlurmCommand,
} from '../shared/slurm/commands';
import { parseSlurmVersion } from '../shared/slurm/version';
import { KNOWN_HOSTS, testbedCluster, testbedVerifier } from '../tests/integration/ssh-helpers';
import { STATE } from '../tests/integration/testbed';

const RUNS = 7;
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
    queue: squeueCommand(),
    nodes: scontrolNodesCommand(),
    partitions: scontrolPartitionsCommand(),
    reservations: scontrolReservationsCommand(),
    fairshare: sshareCommand(),
    priority: sprioCommand(version),
    controller: sdiagCommand(),
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
  // The floor: the same seven commands sent at once over the connection, nothing parsed or stored.
  const floorTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await Promise.all(Object.values(commands).map((c) => conn.exec(c.argv, { env: c.env })));
    floorTimes.push(performance.now() - t);
  }
  const floor = median(floorTimes);
  const defaultCycle = await timeSync(['queue', 'nodes']);
  const full = await timeSync(['queue', 'nodes', 'partitions', 'reservations', 'fairshare', 'priority', 'controller']);
  const slowest = Math.max(...Object.values(single));
  const slowestDefault = Math.max(single.queue as number, single.nodes as number);
  console.log(`${name} (Slurm ${caps.slurmVersion}), medians of ${RUNS}:`);
  console.log(`  single commands (ms): ${Object.entries(single).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
  console.log(`  default cycle (queue + nodes, parsed + stored): ${defaultCycle.toFixed(1)} ms, ratio to its slowest command ${(defaultCycle / slowestDefault).toFixed(2)} (target <= 1.5)`);
  console.log(`  full refresh (7 kinds, parsed + stored): ${full.toFixed(1)} ms, ratio to the slowest command ${(full / slowest).toFixed(2)}`);
  console.log(`  the 7 raw commands at once (the cluster's own floor): ${floor.toFixed(1)} ms, ratio ${(floor / slowest).toFixed(2)}; our overhead over it ${(full / floor).toFixed(2)}x`);
}
await pool.closeAll();
store.close();
