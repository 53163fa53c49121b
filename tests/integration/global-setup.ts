// Bring the real Slurm test bed up (idempotent) and put the scenario's jobs on it before any integration
// test runs. Needs root the first time (packages, users, daemons); says what to run otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const state = process.env.CLUSTEROPS_TESTBED_DIR ?? '/var/tmp/clusterops-testbed';

function run(script: string, ...args: string[]): number {
  const started = Date.now();
  const result = spawnSync('bash', [path.join(root, 'tests/testbed', script), ...args], { stdio: 'inherit' });
  console.log(`[integration] ${script} ${args.join(' ')} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status ?? 1;
}

export default function setup(): void {
  const isRoot = process.getuid?.() === 0;
  const ready = ['alpha', 'beta'].every((c) => existsSync(path.join(state, c, 'cluster.json')));
  if (!isRoot && !ready) {
    throw new Error('The integration tests need the Slurm test bed. Start it with: sudo tests/testbed/up.sh (or run npm test as root).');
  }
  if (isRoot) {
    if (run('up.sh', 'all') !== 0) throw new Error('tests/testbed/up.sh failed; see its output above and the logs in ' + state);
    if (process.env.CLUSTEROPS_SKIP_SCENARIO !== '1' && run('scenario.sh', 'all') !== 0) {
      throw new Error('tests/testbed/scenario.sh failed; see its output above');
    }
  }
}
