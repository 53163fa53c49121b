// The bundled example snapshot (build/example/snapshot.db, recorded from the test bed by
// build/example/record.ts): a data directory without clusters opens it read-only, the header says
// "example data", every change is refused with the reason, and time travel has its recorded history.
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCore } from '../../electron/core/runtime/live';
import { EXAMPLE_SNAPSHOT } from '../../electron/host/paths';
import { chooseCore } from '../../electron/host/web/main';
import { startWebHost, type WebHost } from '../../electron/host/web/server';
import { launchChromium } from './browser';
import { RENDERER_DIR } from './live-console';
import { SHOTS, watchProblems } from './page-helpers';

let running: RunningCore;
let host: WebHost;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const chosen = chooseCore({ dataDir: mkdtempSync(path.join(tmpdir(), 'clusterops-empty-')) });
  running = chosen.running;
  expect(chosen.note).toMatch(/^EXAMPLE DATA/);
  host = await startWebHost({ api: running.core.api, subscribe: (l) => running.core.on(l), rendererDir: RENDERER_DIR });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await running?.close();
});

describe('example snapshot', () => {
  it('is small, scrubbed, and holds both test-bed clusters with a few snapshots each', async () => {
    expect(statSync(EXAMPLE_SNAPSHOT).size).toBeLessThan(5 * 1024 * 1024);
    const list = await running.core.api['clusters.list']({});
    expect(list.source).toBe('example');
    expect(list.clusters.map((c) => c.config.name)).toEqual(['alpha', 'beta']);
    for (const c of list.clusters) {
      expect(c.config).toMatchObject({ host: `${c.config.name}.example.invalid`, auth: { kind: 'agent' }, jump: [], knownHostsFiles: [] });
      expect(c.probe?.slurmVersion).toMatch(/^\d+\.\d+\.\d+$/);
      expect(c.snapshotCount).toBeGreaterThanOrEqual(3);
    }
    const times = await running.core.api['snapshots.list']({});
    expect(new Set(times.times.map((t) => t.cluster))).toEqual(new Set(['alpha', 'beta']));
    expect(times.newest! - times.oldest!).toBeGreaterThanOrEqual(120);
  });

  it('opens read-only, labelled "example data", with changes refused and the history to travel in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    await page.goto(host.url);
    await page.waitForSelector('[data-ready="true"]');
    expect(await page.getByTestId('example-badge').textContent()).toContain('example data');
    await page.getByTestId('cluster-alpha').waitFor();
    await page.getByTestId('cluster-beta').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'example-overview.png'), fullPage: true });
    // The heatmap has the recorded history to draw (its range ends at the example's newest snapshot).
    await page.keyboard.press('g');
    await page.keyboard.press('h');
    await page.locator('canvas').first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, 'example-heatmap.png'), fullPage: true });
    await page.keyboard.press('g');
    await page.keyboard.press('o');

    await page.keyboard.press('g');
    await page.keyboard.press('s');
    expect(await page.getByTestId('readonly-note').textContent()).toMatch(/bundled example data/);
    expect(await page.getByRole('button', { name: 'Add cluster' }).isDisabled()).toBe(true);
    const alpha = page.getByTestId('settings-cluster-alpha');
    for (const b of ['Test', 'Sync now', 'Edit', 'Remove']) expect(await alpha.getByRole('button', { name: b, exact: true }).isDisabled()).toBe(true);
    expect(await page.getByTestId('ssh-import').count()).toBe(0);
    expect(await page.getByRole('form', { name: 'retention' }).getByRole('button').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'example-settings.png'), fullPage: true });

    await page.getByTestId('time-travel-toggle').click();
    const entries = page.getByTestId('time-travel-panel').locator('button[data-at]');
    expect(await entries.count()).toBeGreaterThanOrEqual(3);
    await entries.last().click();
    expect(await page.getByTestId('time-travel-banner').textContent()).toMatch(/^viewing .+ago\)back to live$/);
    expect(problems).toEqual([]);
  });
});
