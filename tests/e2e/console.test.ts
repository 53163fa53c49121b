// The built renderer, served by the real web host, in Debian's Chromium: it must connect over the
// WebSocket bridge, render what the core answers, and run under the strict CSP without violations.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { startWebHost, type WebHost } from '../../electron/host/web/server';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';

const rendererDir = path.resolve(import.meta.dirname, '../../dist/renderer');
let host: WebHost;
let browser: Browser;

beforeAll(async () => {
  host = await startWebHost({ api: createCore({ host: 'web' }), rendererDir });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
});

describe('console in a browser', () => {
  it('opens with the token, drops it from the address, and shows the core version', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(host.url);
    await page.waitForSelector('[data-ready="true"]');
    expect(page.url()).not.toContain('token=');
    await expect(page.title()).resolves.toBe('ClusterOps Console');
    const version = await page.getByTestId('app-version').textContent();
    expect(version).toMatch(/^v\d+\.\d+\.\d+ · web host$/);
    expect(problems).toEqual([]);
  });

  it('shows nothing to a browser without the token', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`http://127.0.0.1:${host.port}/`);
    expect(res?.status()).toBe(401);
    expect(await page.locator('#root').count()).toBe(0);
  });
});
