// The built renderer, served by the real web host over a live core fed by the test-bed clusters, in
// Debian's Chromium: it connects over the WebSocket bridge, renders what the core answers, and runs under
// the strict CSP without a console error.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS, openConsole, useLiveConsole, watchProblems } from './page-helpers';

const session = useLiveConsole();

describe('console in a browser', () => {
  it('opens with the token, drops it from the address, and shows the core version', async () => {
    const { page, problems } = await openConsole(session.browser, session.live.host.url);
    expect(page.url()).not.toContain('token=');
    await expect(page.title()).resolves.toBe('ClusterOps Console');
    expect(await page.getByTestId('app-version').textContent()).toMatch(/^v\d+\.\d+\.\d+ · web host$/);
    expect(problems).toEqual([]);
  });

  it('shows nothing to a browser without the token', async () => {
    const page = await session.browser.newPage();
    const res = await page.goto(`http://127.0.0.1:${session.live.host.port}/`);
    expect(res?.status()).toBe(401);
    expect(await page.locator('#root').count()).toBe(0);
  });

  it('fleet overview: a card per cluster with GPU counts, age of the data, and the fleet total', async () => {
    const page = await session.browser.newPage();
    const problems = watchProblems(page);
    await page.goto(session.live.host.url);
    const overview = await session.live.running.core.api['fleet.overview']({});
    for (const c of overview.clusters) {
      const card = page.getByTestId(`cluster-${c.name}`);
      await card.waitFor();
      expect(await card.getByTestId('gpus-total').textContent()).toBe(String(c.counts.gpus.total));
      expect(await card.getByTestId('gpus-unavailable').textContent()).toBe(String(c.counts.gpus.unavailable));
      expect(await card.getByTestId('as-of').textContent()).toMatch(/^as of .+, \d+ s old/);
    }
    expect(await page.getByTestId('fleet-total').getByTestId('gpus-total').textContent()).toBe(String(overview.totals.gpus.total));
    await page.screenshot({ path: path.join(SHOTS, 'overview.png'), fullPage: true });
    // Clicking through filters another view to that cluster.
    await page.getByTestId('cluster-alpha').getByRole('button', { name: 'jobs' }).click();
    expect(page.url()).toMatch(/#\/jobs\?cluster=alpha$/);
    expect(problems).toEqual([]);
  });
});
