// e2e tests drive the console against the live test bed: bring it up (idempotent) and, if no scenario
// has run on it yet, put the scenario's jobs on it. Under `npm test` the integration stage already did.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const state = process.env.CLUSTEROPS_TESTBED_DIR ?? '/var/tmp/clusterops-testbed';

export default function setup(): void {
  const ready = ['alpha', 'beta'].every((c) => existsSync(path.join(state, c, 'cluster.json')));
  if (process.getuid?.() !== 0) {
    if (!ready) throw new Error('The e2e tests need the Slurm test bed. Start it with: sudo tests/testbed/up.sh && sudo tests/testbed/scenario.sh');
    return;
  }
  const run = (script: string, ...args: string[]) => {
    const r = spawnSync('bash', [path.join(root, 'tests/testbed', script), ...args], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`tests/testbed/${script} failed`);
  };
  run('up.sh', 'all');
  if (!existsSync(path.join(state, 'alpha', 'scenario.json'))) run('scenario.sh', 'all');
}
