// The Jobs view in Chromium over a live core fed by both test-bed clusters: filters give the same jobs
// squeue prints, multi-select (click, ctrl-click, shift-range, select all matching) ends in the selection,
// and the drawer of the scenario's preempted job lists its runs from accounting, PREEMPTED included.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLUSTERS, STATE, connect, readCluster } from '../integration/testbed';
import { SHOTS, openConsole, useLiveConsole, watchProblems } from './page-helpers';

const session = useLiveConsole();

interface SqueueJob {
  key: string;
  id: string;
  state: string;
  reason: string;
  user: string;
  name: string;
  account: string;
  partition: string;
  qos: string;
}

/** Every cluster's queue as squeue prints it (the same `-a` the collector uses), keyed `cluster:jobid`. */
async function squeueAll(): Promise<SqueueJob[]> {
  const out: SqueueJob[] = [];
  for (const name of CLUSTERS) {
    const c = await connect(readCluster(name), 'opsuser');
    try {
      // Name last: it is the only free-text field, so a `|` in it cannot shift the others.
      const r = await c.run(['squeue', '-a', '-h', '-o', '%i|%T|%r|%u|%a|%P|%q|%j']);
      if (r.code !== 0) throw new Error(`squeue on ${name}: ${r.stderr}`);
      for (const line of r.stdout.split('\n').filter(Boolean)) {
        const [id = '', state = '', reason = '', user = '', account = '', partition = '', qos = '', ...rest] = line.split('|');
        out.push({ key: `${name}:${id}`, id, state, reason, user, account, partition, qos, name: rest.join('|') });
      }
    } finally {
      c.close();
    }
  }
  return out;
}

/** Sync the queue of both clusters now and read squeue right after, so both see the same moment. */
async function syncAndSqueue(): Promise<SqueueJob[]> {
  const sync = session.live.running.core.context.sync;
  if (!sync) throw new Error('live core without a syncer');
  for (const name of CLUSTERS) await sync.sync(name, { kinds: ['queue'] });
  return squeueAll();
}

async function openJobs(page: Page): Promise<void> {
  await page.goto(session.live.host.url);
  await page.waitForSelector('[data-ready="true"]');
  await page.keyboard.press('g');
  await page.keyboard.press('j');
  await page.getByTestId('jobs-grid').waitFor();
}

/** `cluster:jobid` of every row the table shows (the viewport is tall enough for the test bed's queue). */
async function shownJobs(page: Page): Promise<string[]> {
  const count = Number(await page.getByTestId('jobs-view').getAttribute('data-match-count'));
  const rows = page.getByTestId('job-row');
  const keys = await rows.evaluateAll((els) =>
    els.map((el) => `${el.querySelector('[data-col="cluster"]')?.textContent ?? ''}:${el.querySelector('.job-id')?.textContent ?? ''}`),
  );
  expect(keys.length).toBe(count);
  return keys.sort();
}

async function chooseFacet(page: Page, facet: string, value: string): Promise<void> {
  const menu = page.getByTestId(`facet-${facet}`);
  await menu.locator('summary').click();
  await menu.getByRole('checkbox', { name: new RegExp(`^${value}\\b`) }).check();
  await menu.locator('summary').click();
}

describe('jobs view', () => {
  it('filters (state, reason, user, text, combined) show the same jobs squeue prints', async () => {
    const cases: { set: [string, string][]; text?: string; expect: (j: SqueueJob) => boolean }[] = [
      { set: [], expect: () => true },
      { set: [['state', 'PENDING']], expect: (j) => j.state === 'PENDING' },
      { set: [['reason', 'Resources']], expect: (j) => j.reason === 'Resources' },
      { set: [['user', 'alice']], expect: (j) => j.user === 'alice' },
      { set: [['state', 'PENDING'], ['user', 'alice']], expect: (j) => j.state === 'PENDING' && j.user === 'alice' },
      { set: [['state', 'RUNNING'], ['state', 'PENDING']], expect: (j) => j.state === 'RUNNING' || j.state === 'PENDING' },
    ];
    // Jobs move on (a pending job starts, another ends): sync and squeue again when the moment was missed
    // (or the shared test bed was briefly restarting).
    let lastError: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 3000));
      const page = await session.browser.newPage({ viewport: { width: 1700, height: 3000 } });
      const problems = watchProblems(page);
      try {
        const jobs = await syncAndSqueue();
        await openJobs(page);
        expect(jobs.filter((j) => j.state === 'PENDING').length).toBeGreaterThan(0);
        for (const c of cases) {
          await page.getByRole('button', { name: 'Clear filters' }).click({ timeout: 1000 }).catch(() => undefined);
          for (const [facet, value] of c.set) await chooseFacet(page, facet, value);
          expect(await shownJobs(page), JSON.stringify(c.set)).toEqual(jobs.filter(c.expect).map((j) => j.key).sort());
        }
        // Free text: a word of a job name, matched case-insensitively against id, name, user, account, …
        await page.getByRole('button', { name: 'Clear filters' }).click();
        const word = (jobs.find((j) => j.name.length >= 4)?.name ?? 'x').slice(0, 4).toUpperCase();
        await page.getByLabel('search jobs').fill(word);
        const w = word.toLowerCase();
        const byText = jobs.filter((j) => [j.id, j.name, j.user, j.account, j.partition, j.qos, j.state, j.reason === 'None' ? '' : j.reason].some((f) => f.toLowerCase().includes(w)));
        expect(byText.length).toBeGreaterThan(0);
        expect(await shownJobs(page)).toEqual(byText.map((j) => j.key).sort());
        expect(problems).toEqual([]);
        return;
      } catch (err) {
        lastError = err;
      } finally {
        await page.close();
      }
    }
    throw lastError;
  });

  it('multi-select: click, ctrl-click, shift-range, select all matching, clear', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1700, height: 1200 } });
    const problems = watchProblems(page);
    await openJobs(page);
    const rows = page.getByTestId('job-row');
    const count = page.getByTestId('selection-count');
    await rows.nth(0).click();
    await expect.poll(() => count.textContent()).toBe('1 selected');
    await rows.nth(3).click({ modifiers: ['Shift'] });
    await expect.poll(() => count.textContent()).toBe('4 selected');
    expect(await rows.evaluateAll((els) => els.slice(0, 5).map((e) => e.getAttribute('aria-selected')))).toEqual(['true', 'true', 'true', 'true', 'false']);
    await rows.nth(1).click({ modifiers: ['ControlOrMeta'] });
    await expect.poll(() => count.textContent()).toBe('3 selected');
    expect(await rows.nth(1).getAttribute('aria-selected')).toBe('false');
    // A plain click starts over.
    await rows.nth(2).click();
    await expect.poll(() => count.textContent()).toBe('1 selected');
    // Select all matching takes the filtered set, not the whole queue.
    await chooseFacet(page, 'user', 'alice');
    const matching = Number(await page.getByTestId('jobs-view').getAttribute('data-match-count'));
    const total = Number((await page.getByTestId('jobs-count').textContent())?.match(/of ([\d,]+)/)?.[1]?.replace(/,/g, ''));
    expect(matching).toBeGreaterThan(1);
    expect(matching).toBeLessThan(total);
    await page.getByRole('button', { name: /^Select all .* matching$/ }).click();
    await expect.poll(() => count.textContent()).toBe(`${matching} selected`);
    expect(await rows.evaluateAll((els) => els.every((e) => e.getAttribute('aria-selected') === 'true'))).toBe(true);
    // The selection as it looks in the dark theme (a second screenshot, for the eye).
    await page.getByLabel('theme').selectOption('dark');
    await page.screenshot({ path: path.join(SHOTS, 'jobs-dark.png') });
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await expect.poll(() => count.textContent()).toBe('0 selected');
    expect(problems).toEqual([]);
  });

  it('drawer of the preempted job (Enter or double click) lists its runs, PREEMPTED among them', async () => {
    const scenario = JSON.parse(readFileSync(path.join(STATE, 'alpha', 'scenario.json'), 'utf8')) as { jobs: Record<string, number> };
    const preempted = scenario.jobs.preempted;
    expect(preempted).toBeGreaterThan(0);
    const page = await session.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const problems = watchProblems(page);
    await openJobs(page);
    await chooseFacet(page, 'cluster', 'alpha');
    expect(page.url()).toMatch(/#\/jobs\?cluster=alpha$/);
    await page.getByLabel('search jobs').fill(String(preempted));
    const row = page.locator(`[data-testid="job-row"][data-key="alpha:${preempted}"]`);
    await row.dblclick();
    const drawer = page.getByTestId('job-drawer');
    await drawer.waitFor();
    await drawer.getByTestId('job-runs').waitFor();
    const states = await drawer.getByTestId('run-state').allTextContents();
    expect(states.length).toBeGreaterThanOrEqual(2);
    expect(states).toContain('PREEMPTED');
    expect(await drawer.getByTestId('runs-gpu-hours').textContent()).toMatch(/^[\d.,]+ GPU-h$/);
    // The drawer stays while the search is cleared: the screenshot shows alpha's whole queue beside it.
    await page.getByLabel('search jobs').fill('');
    await page.screenshot({ path: path.join(SHOTS, 'jobs.png') });
    // Escape closes it (wherever the focus is); Enter on the keyboard cursor opens it again.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await page.getByTestId('jobs-grid').focus();
    await page.keyboard.press('Enter');
    await drawer.waitFor();
    expect(await drawer.getAttribute('aria-label')).toBe(`job ${preempted} on alpha`);
    expect(problems).toEqual([]);
  });

  it('copies a job id from its row', async () => {
    const context = await session.browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${session.live.host.port}` });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await openJobs(page);
    const row = page.getByTestId('job-row').nth(2);
    const id = (await row.locator('.job-id').textContent()) ?? '';
    await row.hover();
    await row.getByRole('button', { name: `copy job id ${id}` }).click();
    await page.getByText(`copied ${id}`).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(id);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('time travel before the first snapshot shows an empty queue with a readable message', async () => {
    const { page, problems } = await openConsole(session.browser, session.live.host.url);
    await page.evaluate(() => {
      location.hash = '#/jobs?at=1000000000';
    });
    await page.getByText('No jobs in the queue').waitFor();
    expect(await page.getByTestId('jobs-asof-alpha').textContent()).toContain('never synced');
    expect(problems).toEqual([]);
  });
});
