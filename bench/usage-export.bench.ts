// Usage export target of issue 7: 1,000,000 accounting runs' usage exported (read from the store, split
// by local day in Europe/Berlin, grouped, written with its manifest) with peak RSS under 400 MB, in each
// format. The store is built once from the same seeded sacct generator the ingest bench uses (through our
// own ingest) and cached in .cache/bench, rebuilt when the schema has moved on. Each export runs in a
// child process so its peak RSS is its own.
//
//   npm run bench -- usage-export        (or: npx tsx bench/usage-export.bench.ts [--rows N] [--group-by DIMS])
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../electron/core/store/db';
import { StoreError } from '../electron/core/store/errors';
import { writeSacctFile } from './generate/write';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, 'group-by': { type: 'string', default: 'account,user,day' } } });
const ROWS = Number(values.rows);
const LIMIT_MB = 400;
const root = path.resolve(import.meta.dirname, '..');
const cache = path.join(root, '.cache', 'bench');
mkdirSync(cache, { recursive: true });

const input = path.join(cache, `sacct-${ROWS}-24.11-epoch.txt`);
if (!existsSync(input)) writeSacctFile(input, { rows: ROWS, version: '24.11', jobsPerDay: 50_000, now: 1_764_000_000, timeFormat: 'epoch', seed: 42 });

function child(script: string, args: string[]): Record<string, number> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, script), ...args], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<string, number>;
}

/** The cached store exists and has this version's schema (an older one is rebuilt, not migrated, so its rows are what today's code writes). */
function storeUsable(dir: string): boolean {
  if (!existsSync(path.join(dir, 'clusterops.db'))) return false;
  try {
    openStore({ dataDir: dir, readonly: true }).close();
    return true;
  } catch (err) {
    if (err instanceof StoreError && err.code === 'schema-older') return false;
    throw err;
  }
}

const storeDir = path.join(cache, `usage-store-${ROWS}`);
if (!storeUsable(storeDir)) {
  rmSync(storeDir, { recursive: true, force: true });
  const t = performance.now();
  child('usage-export/build-store.ts', [input, storeDir]);
  console.log(`built the store from ${ROWS} sacct rows in ${((performance.now() - t) / 1000).toFixed(1)} s -> ${path.relative(root, storeDir)}`);
}
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs; group by ${values['group-by']}, zone Europe/Berlin`);

let failed = false;
for (const format of ['csv', 'json', 'parquet', 'xlsx']) {
  const out = path.join(cache, `usage-export.${format}`);
  rmSync(out, { force: true });
  const r = child('usage-export/child.ts', [storeDir, format, values['group-by'] as string, out]);
  const ok = (r.maxRssMB as number) < LIMIT_MB;
  if (!ok) failed = true;
  console.log(
    `${format.padEnd(8)} ${String(r.runsCounted)} of ${String(r.runsInStore)} runs -> ${String(r.rows)} rows, ${((r.bytes as number) / 1e6).toFixed(1)} MB in ${(r.seconds as number).toFixed(1)} s ` +
      `(${Math.round((r.runsCounted as number) / (r.seconds as number))} runs/s), peak RSS ${(r.maxRssMB as number).toFixed(0)} MB ${ok ? '<' : '>='} ${LIMIT_MB} MB`,
  );
}
process.exit(failed ? 1 : 0);
