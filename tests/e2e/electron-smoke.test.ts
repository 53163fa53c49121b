// Smoke test of the real desktop app with Playwright's Electron driver: it starts on the example data with
// the window locked down, and the page reaches the core only through the preload's contract API. Needs an
// Electron binary, which cannot be downloaded on our machines: it runs when ELECTRON_PATH names one
// (e.g. node_modules/electron/dist/electron after `node node_modules/electron/install.js` with internet)
// and is skipped, saying why, otherwise.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract';
import { buildShell } from '../../build/shell.build';
import { RENDERER_DIR } from './live-console';

const ELECTRON = process.env.ELECTRON_PATH;
const skipReason = !ELECTRON
  ? 'ELECTRON_PATH is not set (no Electron binary can be downloaded here); set it to an Electron 45 binary to run this test'
  : !existsSync(ELECTRON)
    ? `ELECTRON_PATH=${ELECTRON} does not exist`
    : null;
if (skipReason) console.log(`electron-smoke: skipped: ${skipReason}`);

let app: ElectronApplication;
let page: Page;

describe.skipIf(skipReason !== null)('desktop app (Electron)', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error(`the renderer is not built (${RENDERER_DIR}): npm run build:renderer`);
    const built = await buildShell();
    const home = mkdtempSync(path.join(tmpdir(), 'clusterops-electron-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
    app = await electron.launch({
      executablePath: ELECTRON!,
      // Chromium refuses to run as root with its sandbox; the renderer stays sandboxed by Electron's own.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), built.main, '--data-dir', path.join(home, 'data')],
      // A fresh user-data folder (window state, secrets) and data directory: the example snapshot opens.
      env: { ...env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForSelector('[data-ready="true"]');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows the console on the example data', async () => {
    expect(page.url()).toBe('app://clusterops/index.html');
    expect(await page.getByTestId('example-badge').textContent()).toContain('example data');
  });

  it('runs the page isolated, without Node or Electron objects', async () => {
    // The window's webPreferences themselves are checked by tests/unit/shell/window.test.ts.
    expect(await page.evaluate(() => Object.keys((window as unknown as { clusterops: object }).clusterops).sort())).toEqual(['events', 'methods', 'shell']);
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
  });

  it("exposes exactly the contract's methods, and they reach the core with validation", async () => {
    const names = await page.evaluate(() => Object.keys((window as unknown as { clusterops: { methods: object } }).clusterops.methods).sort());
    expect(names).toEqual(Object.keys(contract).sort());
    const info = await page.evaluate(() => (window as unknown as { clusterops: { methods: Record<string, (r: unknown) => Promise<unknown>> } }).clusterops.methods['app.info']!({}));
    expect(info).toMatchObject({ ok: true, result: { host: 'desktop', source: 'example' } });
    const bad = await page.evaluate(() => (window as unknown as { clusterops: { methods: Record<string, (r: unknown) => Promise<unknown>> } }).clusterops.methods['clusters.remove']!({ name: 42 }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('opens no new windows and does not navigate away', async () => {
    expect(await page.evaluate(() => window.open('https://example.invalid/') === null)).toBe(true);
    await page.evaluate(() => {
      location.href = 'https://example.invalid/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://clusterops/index.html');
    expect(app.windows()).toHaveLength(1);
  });

  it('serves the page with the strict Content-Security-Policy', async () => {
    const csp = await app.evaluate(async ({ net }) => (await net.fetch('app://clusterops/index.html')).headers.get('content-security-policy'));
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
  });
});
