// Bulk job actions from the Jobs view in Chromium over a live core (as opsuser) against the real test bed:
// select jobs, preview (each job's verdict, with why not), confirm (above 20 jobs only once the cluster
// name is typed), run, and read each job's result; then check with squeue / scontrol that Slurm did it.
// The tests act only on jobs they submit themselves and cancel them afterwards.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, readCluster, type ClusterName, type Connection } from '../integration/testbed';
import { allRunning, settled, showJob, squeueByName, submitJob } from './own-jobs';
import { SHOTS, openConsole, useLiveConsole } from './page-helpers';

const session = useLiveConsole();
const conns = new Map<ClusterName, { user: Connection; root: Connection }>();
const submitted = new Map<ClusterName, string[]>();
const RUN = `h6e2e-${process.pid}`;

function on(cluster: ClusterName): { user: Connection; root: Connection } {
  const c = conns.get(cluster);
  if (!c) throw new Error(`no connection to ${cluster}`);
  return c;
}

async function submit(cluster: ClusterName, name: string, options: Parameters<typeof submitJob>[3] = {}): Promise<string> {
  const id = await submitJob(on(cluster).user, on(cluster).root, name, options);
  submitted.set(cluster, [...(submitted.get(cluster) ?? []), id]);
  return id;
}

async function cancelSubmitted(): Promise<void> {
  for (const [cluster, ids] of submitted) {
    if (ids.length) await conns.get(cluster)?.root.run(['scancel', ...ids]);
    submitted.set(cluster, []);
  }
}

/** Sync the queue of these clusters now, so the Jobs view lists the jobs just submitted. */
async function syncQueue(...clusters: ClusterName[]): Promise<void> {
  const sync = session.live.running.core.context.sync;
  if (!sync) throw new Error('live core without a syncer');
  for (const c of clusters) await sync.sync(c, { kinds: ['queue'] });
}

/** The Jobs view with exactly the jobs named `name` selected (search, then "Select all N matching"). */
async function selectByName(name: string, expected: number): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await openConsole(session.browser, session.live.host.url, { width: 1600, height: 1100 });
  await page.keyboard.press('g');
  await page.keyboard.press('j');
  await page.getByTestId('jobs-grid').waitFor();
  await page.getByLabel('search jobs').fill(name);
  await expect.poll(() => page.getByTestId('jobs-view').getAttribute('data-match-count')).toBe(String(expected));
  await page.getByRole('button', { name: `Select all ${expected} matching` }).click();
  await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe(`${expected} selected`);
  return { page, problems };
}

beforeAll(async () => {
  for (const name of ['alpha', 'beta'] as const) {
    const cluster = readCluster(name);
    conns.set(name, { user: await connect(cluster, 'opsuser'), root: await connect(cluster, 'root') });
  }
});
afterEach(cancelSubmitted);
afterAll(async () => {
  await cancelSubmitted();
  for (const c of conns.values()) {
    c.user.close();
    c.root.close();
  }
});

describe('bulk actions from the jobs view', () => {
  it('more than 20 jobs across two clusters: a confirmation per cluster, alpha only once its name is typed; release really releases', async () => {
    const name = `${RUN}-held`;
    const alphaIds: string[] = [];
    for (let i = 0; i < 21; i++) alphaIds.push(await submit('alpha', name, { held: true }));
    const betaIds = [await submit('beta', name, { held: true }), await submit('beta', name, { held: true })];
    await syncQueue('alpha', 'beta');
    const { page, problems } = await selectByName(name, 23);

    await page.getByTestId('bulk-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    expect(await dialog.getByTestId('bulk-step-alpha').textContent()).toContain('21 jobs');
    expect(await dialog.getByTestId('bulk-step-beta').textContent()).toContain('2 jobs');
    expect(await dialog.getByTestId('bulk-step-alpha').getAttribute('aria-current')).toBe('step');

    // Requeue (the default) skips every held job and says why; there is nothing to confirm.
    await dialog.getByTestId('bulk-preview').waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('total-will-run').textContent()).toBe('0');
    expect(await dialog.getByTestId('total-skipped').textContent()).toBe('21');
    expect(await dialog.getByTestId('verdict').first().textContent()).toMatch(/already pending and held \(JobHeldUser\)/);
    await dialog.getByTestId('bulk-nothing').waitFor();
    expect(await dialog.getByTestId('bulk-confirm').count()).toBe(0);

    // Release: 21 jobs to act on, so the cluster name must be typed, exactly.
    await dialog.getByRole('radio', { name: 'Release' }).check();
    await expect.poll(() => dialog.getByTestId('total-will-run').textContent({ timeout: 30_000 }), { timeout: 30_000 }).toBe('21');
    expect(await dialog.getByTestId('total-users').textContent()).toBe('opsuser');
    expect(await dialog.getByTestId('total-accounts').textContent()).toBe('vision');
    expect(await dialog.getByTestId('preview-row').count()).toBe(21);
    const confirm = dialog.getByTestId('bulk-confirm');
    expect(await confirm.textContent()).toBe('Release 21 jobs on alpha');
    expect(await confirm.isDisabled()).toBe(true);
    const typed = dialog.getByLabel('cluster name to confirm');
    await typed.fill('alph');
    expect(await confirm.isDisabled()).toBe(true);
    await typed.fill('beta');
    expect(await confirm.isDisabled()).toBe(true);
    await typed.fill('alpha');
    expect(await confirm.isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'jobs-actions-confirm.png') });
    await confirm.click();

    const results = dialog.getByTestId('bulk-results');
    await results.waitFor({ timeout: 60_000 });
    expect(await results.getByTestId('bulk-outcome').textContent()).toMatch(/^completed/);
    expect(await results.getByTestId('result-count-done').textContent()).toBe('21');
    expect(await results.getByTestId('result-count-failed').textContent()).toBe('0');
    expect((await results.getByTestId('result-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')))).sort()).toEqual([...alphaIds].sort());
    // A release holds nothing, so there is nothing to undo.
    expect(await results.getByRole('button', { name: /^Undo hold/ }).count()).toBe(0);
    // Slurm agrees: pending, no longer held (BeginTime once the scheduler has looked at them again).
    const alphaNow = await squeueByName(on('alpha').user, name);
    expect(alphaNow.map((j) => j.id).sort()).toEqual([...alphaIds].sort());
    for (const j of alphaNow) {
      expect(j.state, j.id).toBe('PENDING');
      expect(j.reason, j.id).toMatch(/^(BeginTime|None)$/);
    }

    // beta is confirmed on its own: 2 jobs need no typed name. Nothing ran there yet.
    expect(await dialog.getByTestId('bulk-step-alpha').textContent()).toContain('done');
    expect((await squeueByName(on('beta').user, name)).every((j) => j.reason === 'JobHeldUser')).toBe(true);
    await dialog.getByRole('button', { name: 'Next: beta (2 jobs)' }).click();
    await dialog.getByTestId('bulk-preview').waitFor({ timeout: 30_000 });
    expect(await dialog.getByRole('radio', { name: 'Release' }).isChecked()).toBe(true);
    expect(await dialog.getByTestId('total-will-run').textContent()).toBe('2');
    expect(await dialog.getByTestId('bulk-typename').count()).toBe(0);
    await dialog.getByTestId('bulk-confirm').click();
    await results.waitFor({ timeout: 60_000 });
    expect(await results.getByTestId('result-count-done').textContent()).toBe('2');
    const betaNow = await squeueByName(on('beta').user, name);
    expect(betaNow.map((j) => j.id).sort()).toEqual([...betaIds].sort());
    expect(betaNow.every((j) => j.state === 'PENDING' && /^(BeginTime|None)$/.test(j.reason))).toBe(true);

    // Escape closes the finished dialog and gives the focus back.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  it('requeue of running jobs: verdicts with why not, progress, cancel mid-way, retry of the rest; the jobs really return to PENDING', async () => {
    const name = `${RUN}-run`;
    const own = [await submit('alpha', name), await submit('alpha', name), await submit('alpha', name)];
    const alice = await submit('alpha', name, { user: 'alice' });
    const { user } = on('alpha');
    await allRunning(user, [...own, alice]);
    await syncQueue('alpha');
    const { page, problems } = await selectByName(name, 4);

    await page.getByTestId('bulk-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('bulk-preview').waitFor({ timeout: 30_000 });
    // One cluster: no cluster steps; requeue is the default action.
    expect(await dialog.getByTestId('bulk-step-alpha').count()).toBe(0);
    expect(await dialog.getByRole('radio', { name: 'Requeue', exact: true }).isChecked()).toBe(true);
    expect(await dialog.getByTestId('total-selected').textContent()).toBe('4');
    expect(await dialog.getByTestId('total-will-run').textContent()).toBe('3');
    expect(await dialog.getByTestId('total-gpus-freed').textContent()).toBe('0');
    expect(await dialog.getByTestId('total-gpu-hours').textContent()).toMatch(/^0(\.00)? GPU-h$/);
    expect(await dialog.getByTestId('total-users').textContent()).toBe('opsuser');
    expect(await dialog.getByTestId('total-by-skip').textContent()).toBe('no-permission 1');
    const aliceRow = dialog.locator(`[data-testid="preview-row"][data-job="${alice}"]`);
    expect(await aliceRow.getAttribute('data-will-run')).toBe('false');
    expect(await aliceRow.getByTestId('verdict').textContent()).toMatch(/^alice's job in account \w+: opsuser is not its owner/);
    for (const id of own) expect(await dialog.locator(`[data-testid="preview-row"][data-job="${id}"] [data-testid="verdict"]`).textContent()).toBe('will be requeued');
    // 3 jobs: no name to type.
    expect(await dialog.getByTestId('bulk-typename').count()).toBe(0);

    // One job per batch, 5 s apart: time to cancel after the first.
    await dialog.locator('.bulk-options summary').click();
    await dialog.getByLabel('jobs per batch').fill('1');
    await dialog.getByLabel('pause between batches in seconds').fill('5');
    const confirm = dialog.getByTestId('bulk-confirm');
    expect(await confirm.textContent()).toBe('Requeue 3 jobs on alpha');
    await confirm.click();
    await dialog.getByTestId('bulk-progress').waitFor();
    await expect.poll(() => dialog.getByTestId('bulk-progress-text').textContent(), { timeout: 30_000 }).toMatch(/^\s*Batch 1 of 3: 1 of 3 jobs answered, 1 done/);
    expect(await dialog.getByTestId('bulk-progress').getAttribute('aria-valuenow')).toBe('1');
    await page.screenshot({ path: path.join(SHOTS, 'jobs-actions-progress.png') });
    await dialog.getByRole('button', { name: 'Cancel run' }).click();

    const results = dialog.getByTestId('bulk-results');
    await results.waitFor({ timeout: 30_000 });
    expect(await results.getByTestId('bulk-outcome').textContent()).toMatch(/^cancelled mid-way/);
    expect(await results.getByTestId('result-count-done').textContent()).toBe('1');
    expect(await results.getByTestId('result-count-cancelled').textContent()).toBe('2');
    expect(await results.getByTestId('result-count-skipped').textContent()).toBe('1');
    const rows = results.getByTestId('result-row');
    const byStatus = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-job'), e.getAttribute('data-status'), e.querySelector('[data-testid="result-message"]')?.textContent ?? '']));
    const done = byStatus.filter(([, s]) => s === 'done').map(([id]) => id as string);
    const cancelled = byStatus.filter(([, s]) => s === 'cancelled');
    expect(done).toHaveLength(1);
    expect(cancelled.map(([, , m]) => m)).toEqual(['not sent: the run was cancelled', 'not sent: the run was cancelled']);
    expect(byStatus.find(([id]) => id === alice)?.[2]).toMatch(/opsuser is not its owner/);
    expect((await settled(user, done[0] as string)).Restarts).toBe('1');
    for (const [id] of cancelled) expect((await showJob(user, id as string)).Restarts, String(id)).toBe('0');

    // Retry failed: only the two never sent go out now.
    const firstId = await results.getAttribute('data-action-id');
    await results.getByRole('button', { name: 'Retry failed (2)' }).click();
    await expect.poll(() => dialog.getByTestId('bulk-results').getAttribute('data-action-id', { timeout: 60_000 }), { timeout: 60_000 }).not.toBe(firstId);
    expect(await results.locator('h3').textContent()).toContain(`retry of #${firstId}`);
    expect(await results.getByTestId('bulk-outcome').textContent()).toMatch(/^completed/);
    expect(await results.getByTestId('result-count-done').textContent()).toBe('2');
    expect((await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-job')))).sort()).toEqual(cancelled.map(([id]) => id as string).sort());
    await page.screenshot({ path: path.join(SHOTS, 'jobs-actions-results.png') });

    // Slurm: every own job requeued exactly once and pending again; alice's untouched.
    for (const id of own) {
      const j = await settled(user, id);
      expect(j.JobState, id).toBe('PENDING');
      expect(j.Restarts, id).toBe('1');
    }
    const a = await showJob(user, alice);
    expect([a.JobState, a.Restarts]).toEqual(['RUNNING', '0']);

    // The dialog refreshed alpha's data right after the run: the table no longer shows them running (they
    // may still have been completing then); the next sync shows them pending.
    await results.getByTestId('bulk-refresh').filter({ hasText: 'refreshed' }).waitFor({ timeout: 60_000 });
    await results.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    const stateOf = (id: string) => page.locator(`[data-testid="job-row"][data-key="alpha:${id}"] [data-col="state"]`);
    for (const id of own) await expect.poll(() => stateOf(id).textContent(), { timeout: 30_000 }).toMatch(/^(COMPLETING|PENDING)/);
    // (Through the API, which tells the page that a snapshot arrived, as the poller does.)
    const sync = await session.live.running.core.api['clusters.syncNow']({ name: 'alpha' });
    expect(sync.errors).toEqual([]);
    for (const id of own) await expect.poll(() => stateOf(id).textContent(), { timeout: 30_000 }).toMatch(/^PENDING/);
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  it('requeue-hold, then "Undo hold" releases exactly the jobs it held; focus stays in the dialog', async () => {
    const name = `${RUN}-hold`;
    const ids = [await submit('alpha', name), await submit('alpha', name)];
    const { user } = on('alpha');
    await allRunning(user, ids);
    await syncQueue('alpha');
    const { page, problems } = await selectByName(name, 2);
    await page.getByTestId('bulk-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('bulk-preview').waitFor({ timeout: 30_000 });
    await dialog.getByRole('radio', { name: 'Requeue and hold' }).check();
    const confirm = dialog.getByTestId('bulk-confirm');
    await expect.poll(() => confirm.textContent({ timeout: 30_000 }), { timeout: 30_000 }).toBe('Requeue and hold 2 jobs on alpha');
    // Focus stays inside the dialog: Tab from the last control comes back to the first.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
    }
    await confirm.click();
    const results = dialog.getByTestId('bulk-results');
    await results.waitFor({ timeout: 60_000 });
    expect(await results.getByTestId('result-count-done').textContent()).toBe('2');
    const holdId = await results.getAttribute('data-action-id');
    for (const id of ids) {
      const j = await settled(user, id);
      expect(j.JobState, id).toBe('PENDING');
      expect(j.Reason, id).toMatch(/held/i);
    }

    await results.getByRole('button', { name: 'Undo hold (release 2)' }).click();
    await expect.poll(() => dialog.getByTestId('bulk-results').getAttribute('data-action-id', { timeout: 60_000 }), { timeout: 60_000 }).not.toBe(holdId);
    expect(await results.locator('h3').textContent()).toContain(`release on alpha (undo of #${holdId})`);
    expect(await results.getByTestId('result-count-done').textContent()).toBe('2');
    for (const id of ids) {
      const j = await showJob(user, id);
      expect(j.JobState, id).toBe('PENDING');
      expect(j.Reason ?? '', id).not.toMatch(/held/i);
    }
    // The hold's own results know it was undone.
    await results.getByRole('button', { name: new RegExp(`^#${holdId} `) }).click();
    await results.getByText(/^Hold undone as #\d+\.$/).waitFor();
    await results.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Released again, they are not held: a second release says so for each, and Escape closes the preview.
    await page.getByTestId('bulk-open').click();
    await dialog.getByTestId('bulk-preview').waitFor({ timeout: 30_000 });
    await dialog.getByRole('radio', { name: 'Release' }).check();
    await dialog.getByTestId('bulk-nothing').waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('total-by-skip').textContent()).toBe('not-held 2');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);
});
