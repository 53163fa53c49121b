// Time travel and offline clusters in the browser against the live test bed. A held job submitted after
// the first sync makes the live queue differ from the first snapshot: the overview as of that snapshot
// shows the core's numbers as of then, live shows the new ones. Then alpha is moved to a closed port from the settings
// page: it goes offline and the overview keeps its last data, with its age and the offline state.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotAt } from '../../electron/core/api/time-travel';
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import { JobsRepo } from '../../electron/core/store/jobs-repo';
import { STATE } from '../integration/testbed';
import { SHOTS, openConsole, useLiveConsole } from './page-helpers';

const session = useLiveConsole();
const heldJobs: string[] = [];

/** Asynchronously: this process also serves the page, so a blocking call would stall it. */
async function ssh(...argv: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('ssh', ['-F', path.join(STATE, 'ssh_config'), '-l', 'opsuser', 'alpha', ...argv], { encoding: 'utf8', timeout: 20_000 });
  return stdout.trim();
}

/** Job ids in alpha's queue snapshot as of `at` (latest when absent), straight from the store. */
function alphaJobIds(at?: number): string[] {
  const db = session.live.running.core.context.store.db;
  const snap = snapshotAt(db, new ClustersRepo(db).idOf('alpha'), 'queue', at);
  return snap ? new JobsRepo(db).current(snap.id).map((j) => j.jobId) : [];
}

async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await openConsole(session.browser, session.live.host.url, { width: 1280, height: 900 });
  return { page, problems };
}

/** A port nothing listens on: bound by us, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

afterAll(async () => {
  for (const id of heldJobs) await ssh('scancel', id);
});

describe('time travel and offline clusters', () => {
  it('time travel shows the overview as of an earlier snapshot, with a banner; Escape returns to live', async () => {
    const api = session.live.running.core.api;
    const first = await api['snapshots.list']({ cluster: 'alpha' });
    const t1 = first.newest!;
    const before = (await api['fleet.overview']({ at: t1 })).clusters.find((c) => c.name === 'alpha')!;
    heldJobs.push(await ssh('sbatch', '--parsable', '--hold', '-J', 'e2e-time-travel', '--wrap', "'sleep 600'"));
    // Snapshot times are whole seconds: make the next one later than t1.
    while (Date.now() / 1000 < t1 + 1.2) await new Promise((r) => setTimeout(r, 100));

    const { page, problems } = await openPage();
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    const row = page.getByTestId('settings-cluster-alpha');
    await row.getByRole('button', { name: 'Sync now' }).click();
    await row.getByTestId('sync-outcome').waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('sync-outcome').textContent()).toMatch(/^Synced in [\d.]+ s: \d+ snapshots? stored$/);
    const after = (await api['fleet.overview']({})).clusters.find((c) => c.name === 'alpha')!;
    // Other tests share the test bed, so counts may move for other reasons too; our held job is the
    // change we know: in the new snapshot, not in the first.
    expect(alphaJobIds()).toContain(heldJobs[0]);
    expect(alphaJobIds(t1)).not.toContain(heldJobs[0]);
    expect(after.counts.jobs.pending).toBeGreaterThan(0);

    await page.keyboard.press('g');
    await page.keyboard.press('o');
    const card = page.getByTestId('cluster-alpha');
    await page.waitForFunction((want) => document.querySelector('[data-testid=cluster-alpha] [data-testid=jobs]')?.textContent === want, `${after.counts.jobs.running} / ${after.counts.jobs.pending}`);

    // Type the time of the first snapshot (ISO, with zone) into the header control.
    await page.getByTestId('time-travel-toggle').click();
    const panel = page.getByTestId('time-travel-panel');
    expect(await panel.locator('.tt-span').textContent()).toMatch(/^\d+ snapshots since /);
    await panel.getByRole('textbox', { name: 'go to time' }).fill(new Date(t1 * 1000).toISOString());
    await panel.getByRole('button', { name: 'Go', exact: true }).click();
    const banner = page.getByTestId('time-travel-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/^viewing .+ \(\d+ s ago\)back to live$/);
    expect(page.url()).toContain(`at=${t1}`);
    await page.waitForFunction((want) => document.querySelector('[data-testid=cluster-alpha] [data-testid=jobs]')?.textContent === want, `${before.counts.jobs.running} / ${before.counts.jobs.pending}`);
    expect(await card.getByTestId('gpus-allocated').textContent()).toBe(String(before.counts.gpus.allocated));
    await page.screenshot({ path: path.join(SHOTS, 'time-travel.png'), fullPage: true });

    // Escape leaves time travel; the live numbers come back.
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('Escape');
    await banner.waitFor({ state: 'detached' });
    await page.waitForFunction((want) => document.querySelector('[data-testid=cluster-alpha] [data-testid=jobs]')?.textContent === want, `${after.counts.jobs.running} / ${after.counts.jobs.pending}`);

    // Picking a snapshot from the list goes there too; "back to live" leaves.
    await page.getByTestId('time-travel-toggle').click();
    const entries = panel.locator('button[data-at]');
    expect(await entries.count()).toBeGreaterThanOrEqual(2);
    await entries.last().click();
    await banner.waitFor();
    await page.getByTestId('back-to-live').click();
    await banner.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  });

  it('a cluster that becomes unreachable stays in the overview with its last data, its age and "offline"', async () => {
    const api = session.live.running.core.api;
    const last = (await api['fleet.overview']({})).clusters.find((c) => c.name === 'alpha')!;
    const port = await closedPort();
    const { page, problems } = await openPage();
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    const row = page.getByTestId('settings-cluster-alpha');
    await row.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByTestId('cluster-form');
    await form.locator('input[name=port]').fill(String(port));
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await row.locator('.reach').textContent()).toContain(`127.0.0.1:${port}`);
    await row.getByRole('button', { name: 'Sync now' }).click();
    const error = row.getByRole('alert');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toMatch(/sync alpha: .*(refused|unreachable|ECONNREFUSED)/i);
    await page.waitForFunction(() => document.querySelector('[data-testid=settings-cluster-alpha] [data-testid=conn-state]')?.textContent === 'offline');

    await page.keyboard.press('g');
    await page.keyboard.press('o');
    const card = page.getByTestId('cluster-alpha');
    await card.waitFor();
    expect(await card.getAttribute('class')).toContain('offline');
    expect(await card.locator('.conn').textContent()).toBe('offline');
    expect(await card.getByTestId('as-of').textContent()).toMatch(/^as of .+, \d+ (s|min) old · offline$/);
    expect(await card.getByTestId('jobs').textContent()).toBe(`${last.counts.jobs.running} / ${last.counts.jobs.pending}`);
    expect(await card.getByTestId('gpus-total').textContent()).toBe(String(last.counts.gpus.total));
    // beta is untouched.
    expect(await page.getByTestId('cluster-beta').locator('.conn').textContent()).not.toBe('offline');
    await page.screenshot({ path: path.join(SHOTS, 'offline.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
