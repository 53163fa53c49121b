// Usage view in Chromium over the live test bed: rows per account and user from the synced accounting,
// totals equal to usage.report's, and an export written from the view whose manifest hash matches. In the
// browser the host has no save dialog: Export asks for one, gets the reason, and shows the path field.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAVE_DIALOG_UNAVAILABLE } from '../../shared/api/methods/dialogs';
import { useLiveConsole, watchProblems } from './page-helpers';

const session = useLiveConsole();

describe('usage view', () => {
  it('shows GPU-hours by account and user and exports them with a manifest', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const problems = watchProblems(page, { console: false });
    await page.goto(session.live.host.url);
    await page.waitForSelector('[data-ready="true"]');
    await page.keyboard.press('g');
    await page.keyboard.press('u');
    await page.getByTestId('usage-table').waitFor();
    expect(page.url()).toMatch(/#\/usage$/);
    // The scenario's GPU jobs ran as opsuser in vision (and as others): an own row with GPU-hours.
    const rows = await page.locator('[data-testid^="usage-row-own-"]').count();
    expect(rows).toBeGreaterThan(0);
    expect(await page.getByTestId('usage-totals').textContent()).toMatch(/GPU-hours/);
    const out = path.join(session.live.dataDir, 'view-export.csv');
    await page.getByLabel('format').selectOption('csv');
    expect(await page.getByLabel('export file').count()).toBe(0);
    await page.getByRole('button', { name: 'Export…' }).click();
    expect(await page.getByTestId('usage-export-hint').textContent()).toBe(SAVE_DIALOG_UNAVAILABLE);
    expect(await page.getByLabel('export file').getAttribute('placeholder')).toMatch(/^\/absolute\/path\/usage-[A-Za-z0-9._-]+-\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.csv$/);
    expect(await page.getByRole('button', { name: 'Export', exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('export file').fill(out);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByTestId('usage-exported').waitFor();
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as { dataFile: { sha256: string; rows: number } };
    expect(manifest.dataFile.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
    expect(readFileSync(out, 'utf8').split('\r\n').filter(Boolean).length).toBe(manifest.dataFile.rows + 1);
    // The browser is not asked for a dialog again: the next export goes straight to the typed path.
    const json = path.join(session.live.dataDir, 'view-export.json');
    await page.getByLabel('format').selectOption('json');
    await page.getByLabel('export file').fill(json);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByTestId('usage-exported').filter({ hasText: json }).waitFor();
    const jsonManifest = JSON.parse(readFileSync(`${json}.manifest.json`, 'utf8')) as { dataFile: { sha256: string; rows: number } };
    expect(jsonManifest.dataFile.sha256).toBe(createHash('sha256').update(readFileSync(json)).digest('hex'));
    expect((JSON.parse(readFileSync(json, 'utf8')) as { rows: unknown[] }).rows).toHaveLength(jsonManifest.dataFile.rows);
    expect(problems).toEqual([]);
  });
});
