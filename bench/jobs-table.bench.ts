// Jobs table with 50,000 queued jobs (issue 4): the store holds one generated queue snapshot, the real web
// host serves the built renderer, Debian's Chromium drives it. Prints: jobs.table in the core (time, JSON
// size), view load, filter keystroke to updated rows (target <= 100 ms), a facet click and a sort click,
// row elements in the DOM (target <= 200) and the renderer's JS heap after GC (target <= 300 MB).
//
//   npm run bench -- jobs-table          (or: npx tsx bench/jobs-table.bench.ts [--jobs N])
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { startLive } from '../electron/core/runtime/live';
import { ClustersRepo } from '../electron/core/store/clusters-repo';
import { openStore } from '../electron/core/store/db';
import { SnapshotWriter } from '../electron/core/store/snapshot-writer';
import { startWebHost } from '../electron/host/web/server';
import { launchChromium } from '../tests/e2e/browser';
import { buildCluster } from './generate/cluster';
import { generateQueue } from './generate/queue';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '50000' } } });
const JOBS = Number(values.jobs);
const root = path.resolve(import.meta.dirname, '..');
const NOW = Math.floor(Date.now() / 1000);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

// 1. The renderer as shipped, and a store with one queue snapshot of JOBS generated jobs.
const build = spawnSync('npm', ['run', 'build:renderer', '--silent'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) throw new Error('renderer build failed');
const dataDir = mkdtempSync(path.join(tmpdir(), 'clusterops-bench-jobs-'));
{
  const store = openStore({ dataDir });
  const cluster = buildCluster(42, 'bench');
  const id = new ClustersRepo(store.db).save(
    { name: 'bench', host: 'bench.example.org', port: 22, user: 'ops', auth: { kind: 'agent' }, jump: [], knownHostsFiles: [], poll: { queue: 60, accounting: 300, fairshare: 900 }, enabled: false },
    NOW,
  );
  new ClustersRepo(store.db).saveCapabilities(id, {
    slurmVersion: '24.11.5', json: {}, accounting: true, accountingError: null, user: 'ops', adminLevel: 'Operator', coordinatorOf: [], privateData: [],
    timeZone: 'Europe/Berlin', commands: {}, probedAt: NOW,
  });
  const t = performance.now();
  const queue = generateQueue(cluster, { jobs: JOBS, now: NOW });
  new SnapshotWriter(store).write({ cluster: 'bench', startedAt: NOW - 2, finishedAt: NOW, queue });
  console.log(`store: ${queue.length} queued jobs generated and written in ${ms(performance.now() - t)}`);
  store.close();
}

const running = startLive({ host: 'web', dataDir, poll: false });
const host = await startWebHost({ api: running.core.api, subscribe: (l) => running.core.on(l), rendererDir: path.join(root, 'dist/renderer') });
const browser = await launchChromium();
try {
  // 2. The core's answer: time and size.
  const coreTimes: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const table = await running.core.api['jobs.table']({});
    bytes = JSON.stringify(table).length;
    coreTimes.push(performance.now() - t);
  }
  console.log(`jobs.table in the core (read + columns + JSON): median ${ms(median(coreTimes))}, ${(bytes / 1e6).toFixed(2)} MB of JSON`);

  // 3. The view: from `g j` to rows on screen.
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(host.url);
  await page.waitForSelector('[data-ready="true"]');
  const t0 = performance.now();
  await page.keyboard.press('g');
  await page.keyboard.press('j');
  await page.getByTestId('job-row').first().waitFor();
  console.log(`view load (g j to first rows, incl. bridge, decode, facets): ${ms(performance.now() - t0)}`);
  const total = Number(await page.getByTestId('jobs-view').getAttribute('data-match-count'));
  if (total !== JOBS) throw new Error(`the table shows ${total} rows, expected ${JOBS}`);

  // 4. Keystrokes: time from keydown (in the page) to the rows changed in the DOM, and to the next frame.
  await page.evaluate(() => {
    const w = window as unknown as { __keyAt: number };
    document.addEventListener('keydown', () => (w.__keyAt = performance.now()), true);
  });
  const search = page.getByLabel('search jobs');
  await search.focus();
  // The observer is installed (and awaited) before the key is pressed, so no change can slip past it.
  const keystroke = async (key: string): Promise<{ dom: number; frame: number; rows: number }> => {
    await page.evaluate(() => {
      const w = window as unknown as { __keyAt: number; __updated: Promise<{ dom: number; frame: number; rows: number }> };
      const view = document.querySelector('[data-testid="jobs-view"]') as HTMLElement;
      const before = view.getAttribute('data-query');
      w.__updated = new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          if (view.getAttribute('data-query') === before) return;
          obs.disconnect();
          const dom = performance.now() - w.__keyAt;
          requestAnimationFrame(() => setTimeout(() => resolve({ dom, frame: performance.now() - w.__keyAt, rows: Number(view.getAttribute('data-match-count')) }), 0));
        });
        obs.observe(view, { attributes: true, attributeFilter: ['data-query'] });
      });
    });
    await page.keyboard.press(key);
    return page.evaluate(() => (window as unknown as { __updated: Promise<{ dom: number; frame: number; rows: number }> }).__updated);
  };
  const typed: { key: string; dom: number; frame: number; rows: number }[] = [];
  for (const word of ['train', 'llama', '4100']) {
    for (const ch of word) typed.push({ key: ch, ...(await keystroke(ch)) });
    for (let i = 0; i < word.length; i++) typed.push({ key: '⌫', ...(await keystroke('Backspace')) });
  }
  const dom = typed.map((k) => k.dom);
  const frame = typed.map((k) => k.frame);
  console.log(`filter keystroke (${typed.length} keys over ${JOBS} rows): to rows updated median ${ms(median(dom))}, max ${ms(Math.max(...dom))}; to next frame median ${ms(median(frame))}, max ${ms(Math.max(...frame))}  [target <= 100 ms]`);
  console.log(`  e.g. ${typed.slice(0, 5).map((k) => `${k.key}:${k.rows} rows ${k.dom.toFixed(0)}ms`).join(', ')}`);

  // 5. A facet click and a sort click.
  const timed = async (what: string, act: (p: Page) => Promise<void>, done: (p: Page) => Promise<unknown>) => {
    const t = performance.now();
    await act(page);
    await done(page);
    console.log(`${what}: ${ms(performance.now() - t)} (Playwright round trips included)`);
  };
  const stateMenu = page.getByTestId('facet-state');
  await stateMenu.locator('summary').click();
  await timed('facet click state=PENDING', (p) => p.getByTestId('facet-state').getByRole('checkbox', { name: /^PENDING\b/ }).check(), (p) => p.waitForFunction((n) => document.querySelector('[data-testid="jobs-view"]')?.getAttribute('data-match-count') !== String(n), JOBS));
  await stateMenu.locator('summary').click();
  await timed('sort by name (natural order over the name dictionary)', (p) => p.getByTitle('sort by Name').click(), (p) => p.waitForSelector('[role="columnheader"][aria-sort="ascending"]'));

  // 6. DOM size while scrolled into the middle, and the JS heap after a GC.
  await page.getByTestId('jobs-grid').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await page.waitForTimeout(200);
  const rowsInDom = await page.getByTestId('job-row').count();
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  console.log(`row elements in the DOM: ${rowsInDom} (all elements: ${elements})  [target <= 200]`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const metrics = (await cdp.send('Performance.getMetrics')).metrics;
  const heap = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 1e6;
  const heapTotal = (metrics.find((m) => m.name === 'JSHeapTotalSize')?.value ?? NaN) / 1e6;
  // Typed-array contents live outside the V8 heap (JSHeapUsedSize leaves them out): report them too.
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number; backingStorageSize?: number; embedderHeapUsedSize?: number };
  const external = ((usage.backingStorageSize ?? 0) + (usage.embedderHeapUsedSize ?? 0)) / 1e6;
  console.log(`renderer JS heap after GC: ${heap.toFixed(1)} MB used, ${heapTotal.toFixed(1)} MB total, + ${external.toFixed(1)} MB array buffers / embedder  [target <= 300 MB]`);
  if (problems.length) console.log(`page problems: ${problems.join(' | ')}`);
  const ok = median(dom) <= 100 && rowsInDom <= 200 && heap + external <= 300 && problems.length === 0;
  console.log(ok ? 'jobs-table: within targets' : 'jobs-table: OUT OF TARGET');
  process.exitCode = ok ? 0 : 1;
} finally {
  await browser.close();
  await host.close();
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });
}
