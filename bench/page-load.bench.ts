// Page load to an interactive dashboard (issue 4): a cache holding 1,000 GPU nodes (8 days of samples),
// 50,000 queued jobs and 1,000,000 accounting rows (ingested by the real sacct ingest), the real web host
// serving the built renderer, Debian's Chromium. Measured in the page: navigation start → the fleet overview
// showing the cluster's card with its numbers (the app is `data-ready` and the card's GPU total is drawn).
// Cold = first load in a fresh browser context (nothing cached); warm = reload of an open page.
//
//   npm run bench -- page-load        (or: npx tsx bench/page-load.bench.ts [--rows N] [--jobs N])
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { startLive } from '../electron/core/runtime/live';
import { openStore } from '../electron/core/store/db';
import { ingestSacct } from '../electron/core/store/sacct-ingest';
import { SnapshotWriter } from '../electron/core/store/snapshot-writer';
import { startWebHost } from '../electron/host/web/server';
import { launchChromium } from '../tests/e2e/browser';
import { buildCluster } from './generate/cluster';
import { generateQueue } from './generate/queue';
import { writeSacctFile } from './generate/write';
import { fillStore } from './heatmap/fill-store';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, jobs: { type: 'string', default: '50000' }, loads: { type: 'string', default: '5' } } });
const ROWS = Number(values.rows);
const JOBS = Number(values.jobs);
const LOADS = Math.max(1, Number(values.loads));
const TARGET_MS = 1500;
const root = path.resolve(import.meta.dirname, '..');
const cache = path.join(root, '.cache', 'bench');
mkdirSync(cache, { recursive: true });
const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const stats = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)} (n=${xs.length})`;

// 1. The renderer as shipped.
const build = spawnSync('npm', ['run', 'build:renderer', '--silent'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) throw new Error('renderer build failed');

// 2. The cache: node history, one queue snapshot, a million accounting rows.
const NOW = Math.floor(Date.now() / 1000);
const dataDir = mkdtempSync(path.join(tmpdir(), 'clusterops-bench-load-'));
{
  const store = openStore({ dataDir });
  let t = performance.now();
  const filled = fillStore(store, 'bench', NOW);
  console.log(`store: ${filled.nodes} GPU nodes × ${filled.days} days of samples in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const queue = generateQueue(buildCluster(42, 'bench'), { jobs: JOBS, now: NOW });
  new SnapshotWriter(store).write({ cluster: 'bench', startedAt: NOW - 1, finishedAt: NOW, queue });
  console.log(`store: ${queue.length} queued jobs in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const input = path.join(cache, `sacct-${ROWS}-24.11-epoch.txt`);
  if (!existsSync(input)) writeSacctFile(input, { rows: ROWS, version: '24.11', jobsPerDay: 50_000, now: 1_764_000_000, timeFormat: 'epoch', seed: 42 });
  t = performance.now();
  const r = await ingestSacct(store, { cluster: 'bench', input: { file: input }, timeZone: 'UTC' });
  console.log(`store: ${r.counts.inserted} accounting rows ingested in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  store.close();
}

// 3. The console as a user starts it (no polling: the bench cluster does not exist), and Chromium.
const running = startLive({ host: 'web', dataDir, poll: false });
const host = await startWebHost({ api: running.core.api, subscribe: (l) => running.core.on(l), rendererDir: path.join(root, 'dist/renderer') });
const browser = await launchChromium();

/** ms from navigation start to the overview card with its numbers, read in the page. */
async function loaded(page: Page): Promise<number> {
  await page.waitForSelector('[data-ready="true"]');
  await page.getByTestId('cluster-bench').getByTestId('gpus-total').waitFor();
  return page.evaluate(() => performance.now());
}

try {
  const problems: string[] = [];
  console.log(load());
  for (const method of ['app.info', 'fleet.overview', 'alerts.list', 'clusters.list'] as const) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await (running.core.api[method] as (r: object) => Promise<unknown>)({});
      times.push(performance.now() - t);
    }
    console.log(`core ${method}: ${stats(times)}`);
  }
  const cold: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(host.url);
    cold.push(await loaded(page));
    await context.close();
  }
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  await page.goto(host.url);
  await loaded(page);
  const warm: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    await page.reload();
    warm.push(await loaded(page));
  }
  const total = await page.getByTestId('cluster-bench').getByTestId('gpus-total').textContent();
  console.log(`fleet overview shows bench with ${total} GPUs`);
  console.log(load());
  console.log(`page load → dashboard, cold (fresh context): ${stats(cold)}   target ≤ ${TARGET_MS} ms: ${median(cold) <= TARGET_MS ? 'met' : 'NOT met'}`);
  console.log(`page load → dashboard, warm (reload):        ${stats(warm)}`);
  if (problems.length) throw new Error(`page errors: ${problems.join('; ')}`);
} finally {
  await browser.close();
  await host.close();
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });
}
