// Fairshare & priority in Chromium over the live test bed: the account tree (root → research → vision,
// nlp; production → inference; ops) of both clusters, collapsible, and pending jobs with their sprio
// factors, sortable.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS, openConsole, useLiveConsole } from './page-helpers';

const session = useLiveConsole();

const TREE: [string, number][] = [
  ['root', 0],
  ['research', 1],
  ['vision', 2],
  ['nlp', 2],
  ['production', 1],
  ['inference', 2],
  ['ops', 1],
];

describe('fairshare & priority', () => {
  it("shows each cluster's account tree by depth, collapsible, and its pending jobs with priority factors", async () => {
    const { page, problems } = await openConsole(session.browser, session.live.host.url, { width: 1600, height: 1200 });
    await page.keyboard.press('g');
    await page.keyboard.press('f');
    await page.getByTestId('fairshare').waitFor();
    expect(page.url()).toMatch(/#\/fairshare$/);
    for (const cluster of ['alpha', 'beta']) {
      await page.getByRole('tab', { name: cluster }).click();
      const panel = page.getByTestId(`fairshare-${cluster}`);
      await panel.getByTestId('account-tree').waitFor();
      for (const [account, depth] of TREE) {
        const row = panel.getByTestId(`fs-row-${account}`);
        expect(await row.getAttribute('data-depth'), `${cluster}: ${account}`).toBe(String(depth));
      }
      // The tree is sshare's depth-first order (siblings sorted): each child lies inside its parent's subtree.
      const order = await panel.locator('tr[data-testid^="fs-row-"]').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-testid'), Number(r.getAttribute('data-depth'))] as const));
      for (const [parent, child] of [['research', 'vision'], ['research', 'nlp'], ['production', 'inference']] as const) {
        const p = order.findIndex(([id]) => id === `fs-row-${parent}`);
        const c = order.findIndex(([id]) => id === `fs-row-${child}`);
        expect(c, `${cluster}: ${child} after ${parent}`).toBeGreaterThan(p);
        const between = order.slice(p + 1, c);
        expect(between.every(([, d]) => d > (order[p]?.[1] ?? 0)), `${cluster}: ${child} inside ${parent}'s subtree`).toBe(true);
      }
      // opsuser's association under vision carries a FairShare factor.
      expect(await panel.getByTestId('fs-row-vision/opsuser').innerText()).toMatch(/0[.,]\d+/);
      await panel.getByRole('button', { name: 'collapse research' }).click();
      await expect(panel.getByTestId('fs-row-vision').count()).resolves.toBe(0);
      await panel.getByRole('button', { name: 'expand research' }).click();
      await panel.getByTestId('fs-row-vision').waitFor();

      const pending = await session.live.running.core.api['priority.pending']({ cluster });
      expect(pending.jobs.length, `${cluster}: sprio rows`).toBeGreaterThan(0);
      const table = panel.getByTestId('pending-table');
      await table.waitFor();
      const top = [...pending.jobs].sort((a, b) => b.priority - a.priority || a.jobIdRaw - b.jobIdRaw)[0];
      const firstRow = table.locator('[data-testid^="pending-"][role="row"]').first();
      expect(await firstRow.getAttribute('data-testid')).toBe(`pending-${top?.jobId}`);
      const text = await firstRow.innerText();
      expect(text).toContain(top?.user ?? '?');
      // Sorting by priority ascending puts the lowest first.
      await table.getByRole('columnheader', { name: /^priority/ }).click();
      const low = [...pending.jobs].sort((a, b) => a.priority - b.priority || a.jobIdRaw - b.jobIdRaw)[0];
      await expect.poll(() => table.locator('[data-testid^="pending-"][role="row"]').first().getAttribute('data-testid')).toBe(`pending-${low?.jobId}`);
      expect(await panel.getByTestId('as-of').first().innerText()).toMatch(/as of .+ old/);
      if (cluster === 'beta') await page.screenshot({ path: path.join(SHOTS, 'fairshare.png'), fullPage: true });
    }
    expect(problems).toEqual([]);
  });
});
