// What every e2e file repeats: the screenshot folder, a watcher for console errors and page errors, a
// live console (test-bed clusters synced, web host up) plus Chromium for the whole file, and opening the
// console in a fresh page.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { startLiveConsole, type LiveConsole } from './live-console';

export const SHOTS = path.resolve(import.meta.dirname, '../../.cache/test-results/screenshots');

/**
 * Collect what went wrong in the page: uncaught errors and, unless `console: false`, console errors and
 * warnings. A test ends with `expect(problems).toEqual([])`.
 */
export function watchProblems(page: Page, options: { console?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (options.console !== false) {
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
  }
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

export interface LiveSession {
  readonly live: LiveConsole;
  readonly browser: Browser;
}

/**
 * A live console and Chromium for the test file: started in beforeAll (the screenshot folder made), closed
 * in afterAll. Call it at the top level of the file; read `live` and `browser` inside tests and hooks.
 */
export function useLiveConsole(options: { user?: string } = {}): LiveSession {
  let live: LiveConsole | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    live = await startLiveConsole(options);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });
  return {
    get live() {
      if (!live) throw new Error('the live console is not started yet (use it inside a test or hook)');
      return live;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not started yet (use it inside a test or hook)');
      return browser;
    },
  };
}

/** A fresh page on the console at `url`, watched for problems, once the app has loaded. */
export async function openConsole(browser: Browser, url: string, viewport?: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage(viewport ? { viewport } : {});
  const problems = watchProblems(page);
  await page.goto(url);
  await page.waitForSelector('[data-ready="true"]');
  return { page, problems };
}
