// A key passphrase asked in the page, against the real test bed: both clusters are reached with an
// encrypted copy of opsuser's key (ssh-keygen -p into a temp folder). "Sync now" makes the core ask; the
// dialog names the cluster and the key file, offers no "remember" on the web host (and says why), a wrong
// passphrase is asked again with "the last one was wrong", the right one syncs. Cancel declines (the sync
// fails with the reason), a page opened later sees the open question, and answering in one page closes it
// in the other. The passphrase never comes back to a page in any WebSocket message, and nothing in the
// data directory holds it.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, type RunningCore } from '../../electron/core/runtime/live';
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import { startWebHost, type WebHost } from '../../electron/host/web/server';
import { KNOWN_HOSTS, keyOf, testbedCluster } from '../integration/ssh-helpers';
import { launchChromium } from './browser';
import { RENDERER_DIR } from './live-console';
import { SHOTS, watchProblems } from './page-helpers';

const PASSPHRASE = 'e2e correct horse 7f3a';
const WRONG = 'e2e wrong guess 91bc';

let tmp: string;
let dataDir: string;
let keyFile: string;
let running: RunningCore;
let host: WebHost;
let browser: Browser;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'clusterops-e2e-secrets-'));
  keyFile = path.join(tmp, 'opsuser-encrypted');
  copyFileSync(keyOf('opsuser'), keyFile);
  chmodSync(keyFile, 0o600);
  const re = spawnSync('ssh-keygen', ['-q', '-p', '-N', PASSPHRASE, '-f', keyFile], { encoding: 'utf8' });
  if (re.status !== 0) throw new Error(`ssh-keygen -p: ${re.stderr}`);
  dataDir = path.join(tmp, 'data');
  // The web host's live core as `npm start -- --web` runs it: no SecretStore, the page-side broker asks.
  running = startLive({ host: 'web', dataDir, poll: false });
  const repo = new ClustersRepo(running.core.context.store.db);
  for (const name of ['alpha', 'beta'] as const) {
    repo.save(testbedCluster(name, 'opsuser', { knownHostsFiles: [KNOWN_HOSTS], auth: { kind: 'key', identityFile: keyFile, hasPassphrase: true } }), Math.floor(Date.now() / 1000));
  }
  host = await startWebHost({ api: running.core.api, subscribe: (l) => running.core.on(l), rendererDir: RENDERER_DIR });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await running?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The console's settings in a fresh page, recording every WebSocket message the page receives and sends. */
async function openSettings(): Promise<{ page: Page; problems: string[]; received: string[]; sent: string[] }> {
  const received: string[] = [];
  const sent: string[] = [];
  // As openConsole, but listening for the WebSocket before the page opens it.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchProblems(page);
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => received.push(String(f.payload)));
    ws.on('framesent', (f) => sent.push(String(f.payload)));
  });
  // Straight to the settings (a question already open takes the keyboard, so no `g s` here).
  await page.goto(`${host.url}#/settings`);
  await page.waitForSelector('[data-ready="true"]');
  await page.getByTestId('settings').waitFor();
  return { page, problems, received, sent };
}

/** Every file under the data directory (database, WAL, anything else) as bytes. */
function dataFiles(dir: string): Buffer[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(path.join(e.parentPath, e.name)));
}

describe('secret prompts in the page', () => {
  it('a passphrase-protected key: asked in the page, a wrong one asked again, the right one syncs', async () => {
    const { page, problems, received, sent } = await openSettings();
    const alpha = page.getByTestId('settings-cluster-alpha');
    await alpha.getByRole('button', { name: 'Sync now' }).click();

    const dialog = page.getByTestId('secret-dialog');
    await dialog.waitFor({ timeout: 20_000 });
    expect(await dialog.getByRole('heading').textContent()).toBe('Passphrase for the key of alpha');
    expect(await dialog.getByTestId('secret-cluster').textContent()).toBe('alpha');
    expect(await dialog.getByTestId('secret-target').textContent()).toBe(keyFile);
    const input = dialog.getByTestId('secret-input');
    expect(await input.getAttribute('type')).toBe('password');
    expect(await input.getAttribute('autocomplete')).toBe('off');
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    // The web host has no secure storage: remember is off, with the reason.
    expect(await dialog.getByTestId('secret-remember').isDisabled()).toBe(true);
    expect(await dialog.getByTestId('secret-remember-reason').textContent()).toContain('not remembered: no secure storage here');
    expect(await dialog.getByTestId('secret-retry').count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Unlock key' }).isDisabled()).toBe(true);

    await input.fill(WRONG);
    await input.press('Enter');
    // Asked again, saying so.
    await dialog.getByTestId('secret-retry').waitFor({ timeout: 10_000 });
    expect(await dialog.getByTestId('secret-retry').textContent()).toContain('the last one was wrong');
    expect(await dialog.getByTestId('secret-input').inputValue()).toBe('');
    await page.screenshot({ path: path.join(SHOTS, 'secret-dialog-retry.png') });
    await dialog.getByTestId('secret-input').fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Unlock key' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });

    const outcome = alpha.getByTestId('sync-outcome');
    await outcome.waitFor({ timeout: 60_000 });
    expect(await outcome.textContent()).toMatch(/^Synced in [\d.]+ s: \d+ snapshots? stored$/);
    await expect.poll(() => alpha.getByTestId('conn-state').textContent(), { timeout: 10_000 }).toBe('ready');
    expect((running.core.context.store.db.prepare("SELECT count(*) AS n FROM snapshots WHERE cluster_id = (SELECT id FROM clusters WHERE name = 'alpha')").get() as { n: number }).n).toBeGreaterThan(0);

    // The passphrase went out only inside secrets.answer calls, and never came back in any message.
    const carrying = sent.filter((m) => m.includes(PASSPHRASE) || m.includes(WRONG));
    expect(carrying).toHaveLength(2);
    for (const m of carrying) expect(JSON.parse(m)).toMatchObject({ method: 'secrets.answer' });
    expect(received.some((m) => m.includes('"secret.prompt"'))).toBe(true);
    expect(received.join('\n')).not.toContain(PASSPHRASE);
    expect(received.join('\n')).not.toContain(WRONG);
    // Not remembered anywhere on disk.
    for (const bytes of dataFiles(dataDir)) {
      expect(bytes.includes(PASSPHRASE)).toBe(false);
      expect(bytes.includes(WRONG)).toBe(false);
    }
    expect(problems).toEqual([]);
  });

  it('Cancel declines: the sync fails saying why; a page opened later sees the open question, and answering one page closes both', async () => {
    const first = await openSettings();
    const beta = first.page.getByTestId('settings-cluster-beta');
    await beta.getByRole('button', { name: 'Sync now' }).click();
    await first.page.getByTestId('secret-dialog').waitFor({ timeout: 20_000 });

    // A page opened now learns of the question from secrets.pending.
    const second = await openSettings();
    const late = second.page.getByTestId('secret-dialog');
    await late.waitFor({ timeout: 10_000 });
    expect(await late.getByTestId('secret-target').textContent()).toBe(keyFile);
    await late.getByRole('button', { name: 'Cancel' }).click();
    await late.waitFor({ state: 'detached', timeout: 10_000 });
    // The first page's dialog closes too (secret.settled).
    await first.page.getByTestId('secret-dialog').waitFor({ state: 'detached', timeout: 10_000 });
    const failed = beta.locator('p.bad[role=alert]');
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.textContent()).toContain('is encrypted and no passphrase is available');
    await expect.poll(() => beta.getByTestId('conn-state').textContent(), { timeout: 10_000 }).toBe('offline');

    // Escape declines as well; then the right passphrase on the next try syncs beta.
    await beta.getByRole('button', { name: 'Sync now' }).click();
    const again = first.page.getByTestId('secret-dialog');
    await again.waitFor({ timeout: 20_000 });
    await first.page.keyboard.press('Escape');
    await again.waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => beta.locator('p.bad[role=alert]').textContent(), { timeout: 30_000 }).toContain('no passphrase is available');
    await beta.getByRole('button', { name: 'Sync now' }).click();
    await again.waitFor({ timeout: 20_000 });
    await again.getByTestId('secret-input').fill(PASSPHRASE);
    await again.getByTestId('secret-input').press('Enter');
    const outcome = beta.getByTestId('sync-outcome');
    await outcome.waitFor({ timeout: 60_000 });
    expect(await outcome.textContent()).toMatch(/^Synced in [\d.]+ s: \d+ snapshots? stored$/);

    for (const { received } of [first, second]) expect(received.join('\n')).not.toContain(PASSPHRASE);
    expect(first.problems).toEqual([]);
    expect(second.problems).toEqual([]);
  });
});
