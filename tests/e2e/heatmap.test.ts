// The partition heatmap in Debian's Chromium over the live test bed: the drained node's reason (as each
// cluster's scenario set it) shows in the tooltip when hovering its row, the now-grid counts the GPUs the
// nodes report in use, `g h` opens the view, presets reload the range, wheel/drag redraw without errors.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS, openConsole, useLiveConsole } from './page-helpers';

const DRAIN_REASON: Record<string, string> = { alpha: 'xid 79: GPU fell off the bus', beta: 'GPU 2 uncorrectable ECC errors (testbed)' };
const session = useLiveConsole();

/** Point at the newest bucket of a node's row (the sample the sync just took), on the 1-hour range where a bucket is wide. */
async function hoverRow(page: Page, node: string): Promise<void> {
  await page.getByRole('button', { name: '1 h' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="heatmap-canvas"]')?.getAttribute('aria-label')?.includes(' 13 five-minute'));
  const label = page.locator(`.heatmap-node[data-node="${node}"]`);
  await label.waitFor();
  const row = await label.boundingBox();
  const canvas = await page.getByTestId('heatmap-canvas').boundingBox();
  if (!row || !canvas) throw new Error('heatmap not laid out');
  await page.mouse.move(canvas.x + canvas.width - 8, row.y + row.height / 2);
}

describe('partition heatmap', () => {
  for (const cluster of ['alpha', 'beta']) {
    it(`${cluster}: the drained node's reason and who set it appear in the tooltip of its row`, async () => {
      const now = await session.live.running.core.api['heatmap.now']({ cluster });
      const drained = now.nodes.find((n) => n.state === 'drained' || n.state === 'draining');
      expect(drained, `a drained GPU node on ${cluster}`).toBeDefined();
      const { page, problems } = await openConsole(session.browser, session.live.host.url, { width: 1400, height: 900 });
      await page.evaluate((c) => (location.hash = `#/heatmap?cluster=${c}`), cluster);
      await page.getByTestId('heatmap-canvas').waitFor();
      await hoverRow(page, drained!.name);
      const tip = page.getByTestId('heatmap-tooltip');
      await expect.poll(() => tip.textContent(), { timeout: 10_000 }).toContain(DRAIN_REASON[cluster]);
      const text = (await tip.textContent()) ?? '';
      expect(text).toContain(drained!.name);
      expect(text).toMatch(/state drain(ed|ing)/);
      expect(text).toMatch(/set by \w+/);
      expect(text).toMatch(/GPUs \d+ \/ \d+ used/);
      await page.screenshot({ path: path.join(SHOTS, `heatmap-${cluster}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('now-grid shows the GPUs in use per slot, as the nodes report them', async () => {
    const now = await session.live.running.core.api['heatmap.now']({});
    const used = now.nodes.reduce((a, n) => a + n.gpus.reduce((b, g) => b + g.used, 0), 0);
    const total = now.nodes.reduce((a, n) => a + n.gpus.reduce((b, g) => b + g.total, 0), 0);
    expect(used).toBeGreaterThan(0); // the scenario runs GPU jobs on both clusters
    const { page, problems } = await openConsole(session.browser, session.live.host.url, { width: 1400, height: 900 });
    await page.keyboard.press('g');
    await page.keyboard.press('h');
    expect(page.url()).toMatch(/#\/heatmap$/);
    const grid = page.getByTestId('now-grid');
    await expect.poll(() => grid.getAttribute('data-gpus-used')).toBe(String(used));
    expect(await grid.getAttribute('data-gpus-total')).toBe(String(total));
    expect(await grid.textContent()).toContain(`${used} of ${total} GPUs in use`);
    // Hovering the first slot of a node with an index in use names that slot "in use".
    const busy = now.nodes.find((n) => n.gpus.some((g) => g.usedIndices?.includes(0)));
    if (busy) {
      const label = await page.locator(`.heatmap-node[data-node="${busy.name}"]`).boundingBox();
      const canvas = await grid.locator('canvas').boundingBox();
      await page.mouse.move(canvas!.x + 4, label!.y + label!.height / 2);
      await expect.poll(() => page.getByTestId('now-tooltip').textContent()).toMatch(new RegExp(`^${busy.name} · GPU 0 .*: in use`));
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('range presets reload, wheel zooms and drag pans with a redraw each, under the CSP without errors', async () => {
    const { page, problems } = await openConsole(session.browser, session.live.host.url, { width: 1400, height: 900 });
    await page.evaluate(() => (location.hash = '#/heatmap'));
    const canvas = page.getByTestId('heatmap-canvas');
    await canvas.waitFor();
    await page.getByRole('button', { name: '7 d' }).click();
    await expect.poll(() => canvas.getAttribute('data-range-ms')).not.toBeNull();
    expect(await page.getByRole('button', { name: '7 d' }).getAttribute('aria-pressed')).toBe('true');
    const box = (await canvas.boundingBox())!;
    const frames = Number(await canvas.getAttribute('data-frames'));
    await page.mouse.move(box.x + box.width - 20, box.y + 5);
    await page.mouse.wheel(0, -400);
    await expect.poll(async () => Number(await canvas.getAttribute('data-frames'))).toBeGreaterThan(frames);
    await page.getByRole('button', { name: 'show whole range' }).waitFor();
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 200, box.y + 5, { steps: 5 });
    await page.mouse.up();
    await page.screenshot({ path: path.join(SHOTS, 'heatmap.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
