// The Alerts view in Chromium over a live core fed by both test-bed clusters (issue 5's Playwright test).
// The scenario leaves gpu-a100-03 on alpha drained ("xid 79: GPU fell off the bus") and dgx-h100-04 on
// beta drained ("GPU 2 uncorrectable ECC errors"): the first live poll ("Sync now", which stores a snapshot
// and so runs the alert engine as the poller does) opens "GPUs out of service" for each. In the page the
// alert appears with its reason and node, Acknowledge shows who acknowledged it, Snooze 1 h moves it out of
// the open list with its end time, and the core's API says the same (and so does a reload). The detail
// drawer jumps to the node in the heatmap; the overview's badge opens the view filtered to its cluster;
// a browser notification (the Notification API replaced by a recorder, as headless Chromium has no
// notification centre) is shown only after the user enabled it, and clicking it opens the alert; and a
// read-only copy of the same data shows the alerts with Acknowledge / Snooze disabled and the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openReadOnly } from '../../electron/core/runtime/live';
import { startWebHost } from '../../electron/host/web/server';
import type { AlertView } from '../../shared/api/methods/alerts';
import { CLUSTERS } from '../integration/testbed';
import { RENDERER_DIR } from './live-console';
import { SHOTS, openConsole, useLiveConsole } from './page-helpers';

const session = useLiveConsole();
/** Who acknowledges: the account running the console (the web host runs in this process). */
const ME = os.userInfo().username;

async function go(page: Page, key: string): Promise<void> {
  await page.keyboard.press('g');
  await page.keyboard.press(key);
}

function row(page: Page, id: number, list = 'alerts-open-list') {
  return page.getByTestId(list).locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
}

async function outOfService(cluster: string, node: string): Promise<AlertView | undefined> {
  const list = await session.live.running.core.api['alerts.list']({ scope: 'active', cluster, rule: 'gpus-out-of-service' });
  return list.alerts.find((a) => a.links.nodes.includes(node));
}

let alpha: AlertView;
let beta: AlertView;

describe('alerts view', () => {
  beforeAll(() => {
    // The scenario may have drained the nodes moments ago: open out-of-service alerts without the 5 min wait.
    return session.live.running.core.api['alerts.saveSettings']({ global: { outOfServiceMinutes: 0 }, clusters: {} }).then(() => undefined);
  });

  it('shows the out-of-service alert from the first live poll; Acknowledge and Snooze 1 h change it in the page and in the core', async () => {
    const { core } = session.live.running;
    const { page, problems } = await openConsole(session.browser, session.live.host.url, { width: 1500, height: 1100 });
    await go(page, 'a');
    await page.getByTestId('alerts-view').waitFor();

    // The first live poll: a snapshot per cluster, each evaluated by the alert engine (serially per
    // cluster, so awaiting one more evaluation waits for the one the snapshot started).
    for (const name of CLUSTERS) {
      const r = await core.api['clusters.syncNow']({ name });
      expect(r.snapshots).toBeGreaterThan(0);
    }
    for (const name of CLUSTERS) await core.context.alerts.evaluate(name);
    const a = await outOfService('alpha', 'gpu-a100-03');
    const b = await outOfService('beta', 'dgx-h100-04');
    expect(a, 'alpha: out-of-service alert for gpu-a100-03').toBeDefined();
    expect(b, 'beta: out-of-service alert for dgx-h100-04').toBeDefined();
    alpha = a as AlertView;
    beta = b as AlertView;
    expect(alpha.status).toBe('open');
    expect(alpha.detail.reason).toMatch(/^xid 79/);

    // It appears without a reload (alerts.changed), with reason, node, cluster, rule and data age.
    const r = row(page, alpha.id);
    await r.waitFor({ timeout: 15_000 });
    const text = (await r.textContent()) ?? '';
    expect(text).toContain('xid 79');
    expect(text).toContain('gpu-a100-03');
    expect(text).toContain('alpha');
    expect(text).toContain('GPUs out of service');
    expect(await r.getByTestId('alert-status').textContent()).toBe('open');
    expect(await r.getByTestId('alert-data-age').textContent()).toMatch(/as of .+, \d+ (s|min) old/);
    expect(await r.getByTestId('alert-opened').textContent()).toMatch(/opened (just now|\d+ (min|h|d) ago)/);
    expect(await page.getByTestId('alerts-asof-alpha').textContent()).toMatch(/as of/);
    // The navigation's count is the core's active count.
    const totals = (await core.api['alerts.list']({ scope: 'active' })).totals;
    await page.getByTestId('nav-alert-count').filter({ hasText: new RegExp(`^${totals.open + totals.acknowledged}$`) }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'alerts-open.png'), fullPage: true });

    // Acknowledge: the status names who and when.
    await r.getByRole('button', { name: 'Acknowledge' }).click();
    await r.getByTestId('alert-status').filter({ hasText: `acknowledged by ${ME}` }).waitFor();
    expect(await r.getByRole('button', { name: 'Acknowledge' }).isDisabled()).toBe(true);

    // Snooze 1 h: it leaves the open list and shows in the snoozed list with its end time.
    const before = Math.floor(Date.now() / 1000);
    await r.locator('summary', { hasText: 'Snooze' }).click();
    await r.getByRole('button', { name: 'Snooze 1 h' }).click();
    const snoozed = row(page, alpha.id, 'alerts-snoozed-list');
    await snoozed.waitFor();
    expect(await row(page, alpha.id).count()).toBe(0);
    expect(await snoozed.getByTestId('alert-status').textContent()).toMatch(new RegExp(`^snoozed until .+\\(in (59|60) min\\) · acknowledged by ${ME}`));
    const after = Math.floor(Date.now() / 1000);
    await page.screenshot({ path: path.join(SHOTS, 'alerts-snoozed.png'), fullPage: true });

    // The core agrees: status, who, until when, and the history.
    const stored = (await core.api['alerts.list']({ scope: 'active', cluster: 'alpha' })).alerts.find((x) => x.id === alpha.id);
    expect(stored).toMatchObject({ status: 'snoozed', ackBy: ME });
    expect(stored?.snoozedUntil).toBeGreaterThanOrEqual(before + 3600);
    expect(stored?.snoozedUntil).toBeLessThanOrEqual(after + 3600);
    const history = await core.api['alerts.history']({ alertId: alpha.id });
    expect(history.events.filter((e) => e.by === ME).map((e) => e.kind).sort()).toEqual(['acknowledged', 'snoozed']);

    // And so does a reload of the page.
    await page.reload();
    await page.waitForSelector('[data-ready="true"]');
    await row(page, alpha.id, 'alerts-snoozed-list').waitFor();
    expect(await row(page, alpha.id).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('detail drawer names the node, reason and GPU-hours lost, and jumps to the node in the heatmap; the overview badge opens the cluster\u2019s alerts', async () => {
    const { page, problems } = await openConsole(session.browser, session.live.host.url, { width: 1500, height: 1100 });
    await go(page, 'a');
    const r = row(page, beta.id);
    await r.waitFor();
    await r.getByRole('button', { name: `details of alert ${beta.id}` }).click();
    const drawer = page.getByTestId('alert-drawer');
    await drawer.waitFor();
    const nodes = drawer.getByTestId('detail-nodes');
    expect(await nodes.textContent()).toContain('dgx-h100-04');
    expect(await nodes.textContent()).toContain('GPU 2 uncorrectable');
    expect(await drawer.getByTestId('gpu-hours-lost').textContent()).toMatch(/GPU-h$/);
    await drawer.getByTestId('alert-history').getByText('opened').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'alerts-detail.png'), fullPage: true });

    // Jump to the node: the heatmap, filtered to beta, showing only that node.
    await drawer.getByTestId('jump-node-dgx-h100-04').first().click();
    await page.getByTestId('heatmap-focus').waitFor();
    expect(page.url()).toContain('#/heatmap?cluster=beta');
    const labels = await page.locator('.heatmap-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')));
    expect(labels).toEqual(['dgx-h100-04']);
    await page.screenshot({ path: path.join(SHOTS, 'alerts-jump-heatmap.png'), fullPage: true });
    // Leaving the view drops the focus: the heatmap is whole again next time.
    await go(page, 'o');
    const card = page.getByTestId('cluster-beta');
    await card.waitFor();
    const overview = await session.live.running.core.api['fleet.overview']({});
    const open = overview.clusters.find((c) => c.name === 'beta')?.openAlerts ?? -1;
    expect(open).toBeGreaterThan(0);
    expect(await card.getByTestId('alert-badge').textContent()).toBe(`${open} open alert${open === 1 ? '' : 's'}`);
    const fleet = overview.clusters.reduce((n, c) => n + c.openAlerts, 0);
    expect(await page.getByTestId('fleet-total').getByTestId('alert-badge').textContent()).toBe(`${fleet} open alert${fleet === 1 ? '' : 's'}`);
    await card.getByTestId('alert-badge').click();
    await page.getByTestId('alerts-view').waitFor();
    expect(page.url()).toContain('#/alerts?cluster=beta');
    await row(page, beta.id).waitFor();
    const clusters = await page.locator('[data-testid="alert-row"]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-cluster')))]);
    expect(clusters).toEqual(['beta']);
    await go(page, 'h');
    await page.locator('canvas').first().waitFor();
    expect(await page.getByTestId('heatmap-focus').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a browser notification only after the user enabled it; clicking it opens the alert', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1500, height: 1100 } });
    // A recorder in place of the Notification API: what the page shows, and whether it asked for permission.
    await context.addInitScript(() => {
      const w = window as unknown as { __notices: unknown[]; __asked: number; Notification: unknown };
      w.__notices = [];
      w.__asked = 0;
      class RecordingNotification {
        static permission = 'default';
        static requestPermission(): Promise<string> {
          w.__asked++;
          RecordingNotification.permission = 'granted';
          return Promise.resolve('granted');
        }
        onclick: (() => void) | null = null;
        onclose: (() => void) | null = null;
        constructor(
          readonly title: string,
          readonly options: { body?: string } = {},
        ) {
          w.__notices.push(this);
        }
        close(): void {}
      }
      w.Notification = RecordingNotification;
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(session.live.host.url);
    await page.waitForSelector('[data-ready="true"]');
    await go(page, 'a');
    await page.getByTestId('alerts-view').waitFor();
    const notice = { alertId: beta.id, cluster: 'beta', title: beta.title, body: beta.body, severity: beta.severity };
    const core = session.live.running.core;

    // Not enabled: a notice shows nothing, and the page never asked for permission on its own.
    core.emit('alerts.notice', notice);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __notices: unknown[] }).__notices.length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(0);

    await page.getByRole('button', { name: 'Enable browser notifications' }).click();
    await page.getByTestId('alerts-notify').getByText('Browser notifications on.').waitFor();
    expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1);

    // Go elsewhere, then a notice arrives: it is shown, and clicking it opens the alert.
    await go(page, 'o');
    await page.getByTestId('overview').waitFor();
    core.emit('alerts.notice', notice);
    await page.waitForFunction(() => (window as unknown as { __notices: unknown[] }).__notices.length === 1);
    const shown = await page.evaluate(() => {
      const n = (window as unknown as { __notices: { title: string; options: { body?: string } }[] }).__notices[0];
      return { title: n?.title, body: n?.options.body };
    });
    expect(shown.title).toContain(`beta: ${beta.title}`);
    expect(shown.body).toBe(beta.body);
    await page.evaluate(() => (window as unknown as { __notices: { onclick: (() => void) | null }[] }).__notices[0]?.onclick?.());
    await page.locator(`[data-testid="alert-drawer"][data-alert-id="${beta.id}"]`).waitFor();
    expect(page.url()).toContain('#/alerts');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('read-only data (a snapshot file of this console): alerts shown, Acknowledge and Snooze disabled with the reason, refused by the core', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clusterops-e2e-ro-'));
    const file = path.join(dir, 'snapshot.db');
    await session.live.running.core.context.store.db.backup(file);
    const ro = openReadOnly({ host: 'web', file, source: 'file' });
    const host = await startWebHost({ api: ro.core.api, subscribe: (l) => ro.core.on(l), rendererDir: RENDERER_DIR });
    try {
      const { page, problems } = await openConsole(session.browser, host.url, { width: 1500, height: 1100 });
      await go(page, 'a');
      expect(await page.getByTestId('alerts-readonly').textContent()).toMatch(/snapshot file \(read-only\): alerts cannot be acknowledged or snoozed here/);
      const r = row(page, beta.id);
      await r.waitFor();
      const ack = r.getByRole('button', { name: 'Acknowledge' });
      expect(await ack.isDisabled()).toBe(true);
      expect(await ack.getAttribute('title')).toMatch(/read-only/);
      expect(await r.getByRole('button', { name: 'Snooze…' }).isDisabled()).toBe(true);
      await row(page, alpha.id, 'alerts-snoozed-list').waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'alerts-read-only.png'), fullPage: true });
      await expect(ro.core.api['alerts.acknowledge']({ id: beta.id })).rejects.toThrow(/read-only/);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await host.close();
      await ro.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
