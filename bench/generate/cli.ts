// Generate a synthetic cluster's outputs for benches and manual tests:
//   npx tsx bench/generate/cli.ts sacct --rows 1000000 --version 24.11 --out /tmp/sacct.txt
import { parseArgs } from 'node:util';
import { writeSacctFile } from './write';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    rows: { type: 'string', default: '100000' },
    version: { type: 'string', default: '24.11' },
    out: { type: 'string' },
    'jobs-per-day': { type: 'string', default: '50000' },
    now: { type: 'string' },
    seed: { type: 'string', default: '42' },
    'time-format': { type: 'string', default: 'iso' },
  },
});
const [what] = positionals;
if (what !== 'sacct' || !values.out) {
  console.error('usage: cli.ts sacct --out FILE [--rows N] [--version 22.05|24.11] [--jobs-per-day N] [--now EPOCH] [--seed N] [--time-format iso|epoch]');
  process.exit(2);
}
const version = values.version === '22.05' ? '22.05' : '24.11';
const started = performance.now();
const result = writeSacctFile(values.out, {
  rows: Number(values.rows),
  version,
  jobsPerDay: Number(values['jobs-per-day']),
  now: values.now ? Number(values.now) : Math.floor(Date.now() / 1000),
  seed: Number(values.seed),
  timeFormat: values['time-format'] === 'epoch' ? 'epoch' : 'iso',
});
console.error(`${result.rows} rows, ${(result.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${values.out}`);
