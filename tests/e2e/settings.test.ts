// Clusters & settings in the browser against the live test bed: the probe results of both clusters, a
// test from the page, adding a cluster whose host key is unknown (the page shows the fingerprint; reject
// refuses, accept-once connects), validation messages, import from an ssh config file (preview, then
// import), retention, and removing a cluster.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { keyOf, knownHostsLineOf } from '../integration/ssh-helpers';
import { readCluster } from '../integration/testbed';
import { SHOTS, openConsole, useLiveConsole } from './page-helpers';

const session = useLiveConsole();

/** OpenSSH's SHA256 fingerprint of a known_hosts line's key. */
function fingerprintOf(line: string): { keyType: string; fingerprint: string } {
  const [, keyType = '', blob = ''] = line.split(/\s+/);
  return { keyType, fingerprint: `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}` };
}

async function openSettings(): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await openConsole(session.browser, session.live.host.url, { width: 1280, height: 900 });
  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await page.getByTestId('settings').waitFor();
  return { page, problems };
}

describe('clusters & settings', () => {
  it('lists both clusters with what the probe found, and tests one from the page', async () => {
    const { page, problems } = await openSettings();
    expect(page.url()).toMatch(/#\/settings$/);
    expect(await page.getByTestId('data-path').textContent()).toContain(session.live.dataDir);
    for (const name of ['alpha', 'beta'] as const) {
      const row = page.getByTestId(`settings-cluster-${name}`);
      expect(await row.getByTestId('probe-version').textContent()).toContain(readCluster(name).slurmVersion);
      expect(await row.getByTestId('probe-admin').textContent()).toMatch(/^AdminLevel None · coordinates no account$/);
      expect(await row.getByTestId('probe-accounting').textContent()).toBe('slurmdbd answers');
      expect(await row.getByTestId('probe-zone').textContent()).toMatch(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/);
      expect(await row.locator('.reach').textContent()).toContain(`opsuser@127.0.0.1:${readCluster(name).sshPort}`);
    }
    const alpha = page.getByTestId('settings-cluster-alpha');
    await alpha.getByRole('button', { name: 'Test' }).click();
    const outcome = alpha.getByTestId('test-outcome');
    await outcome.waitFor({ timeout: 30_000 });
    expect(await outcome.textContent()).toMatch(/^Connected and probed in \d+ ms\./);
    expect(await alpha.getByTestId('conn-state').textContent()).toBe('ready');
    await page.screenshot({ path: path.join(SHOTS, 'settings.png'), fullPage: true });
    await page.getByRole('combobox', { name: 'theme' }).selectOption('dark');
    await page.screenshot({ path: path.join(SHOTS, 'settings-dark.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('adds a cluster: validation messages, an unknown host key shown with its fingerprint, reject then accept once', async () => {
    const { page, problems } = await openSettings();
    await page.getByRole('button', { name: 'Add cluster' }).click();
    const form = page.getByTestId('cluster-form');
    await form.getByRole('button', { name: 'Add cluster' }).click();
    // Nothing typed yet: each required field says what it needs.
    expect(await form.locator('.field-error .field-message').allTextContents()).toEqual(expect.arrayContaining(['a host is needed', 'a user is needed']));
    const alpha = readCluster('alpha');
    await form.locator('input[name=name]').fill('gamma');
    await form.locator('input[name=host]').fill('127.0.0.1');
    await form.locator('input[name=port]').fill('99999');
    await form.locator('input[name=user]').fill('opsuser');
    expect(await form.locator('.field-error .field-message').allTextContents()).toEqual(['from 1 to 65535']);
    await form.locator('input[name=port]').fill(String(alpha.sshPort));
    await form.locator('select[name=authKind]').selectOption('key');
    await form.locator('input[name=identityFile]').fill(keyOf('opsuser'));
    // No extra known_hosts: this machine's known_hosts does not know the test bed, so the key is unknown.
    const expected = fingerprintOf(knownHostsLineOf('alpha'));

    await form.getByRole('button', { name: 'Test this configuration' }).click();
    const dialog = page.getByTestId('host-key-dialog');
    await dialog.waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SHOTS, 'settings-host-key.png') });
    expect(await dialog.getByTestId('hk-host').textContent()).toBe('127.0.0.1');
    expect(await dialog.getByTestId('hk-port').textContent()).toBe(String(alpha.sshPort));
    expect(await dialog.getByTestId('hk-type').textContent()).toBe(expected.keyType);
    expect(await dialog.getByTestId('hk-fingerprint').textContent()).toBe(expected.fingerprint);
    await dialog.getByRole('button', { name: 'Reject' }).click();
    const outcome = form.getByTestId('test-outcome');
    await outcome.waitFor({ timeout: 20_000 });
    expect(await outcome.textContent()).toContain('Could not connect (host-key-unknown-rejected');
    expect(await outcome.textContent()).toContain(expected.fingerprint);

    await form.getByRole('button', { name: 'Test this configuration' }).click();
    await dialog.waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Accept once' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=test-outcome]')?.textContent?.startsWith('Connected and probed'), null, { timeout: 30_000 });
    expect(await outcome.textContent()).toContain(`Slurm${alpha.slurmVersion}`);

    await form.getByRole('button', { name: 'Add cluster' }).click();
    const row = page.getByTestId('settings-cluster-gamma');
    await row.waitFor();
    expect(await row.locator('.reach').textContent()).toBe(`opsuser@127.0.0.1:${alpha.sshPort} · key ${keyOf('opsuser')}`);
    const stored = (await session.live.running.core.api['clusters.list']({})).clusters.find((c) => c.config.name === 'gamma');
    expect(stored?.config).toMatchObject({ host: '127.0.0.1', port: alpha.sshPort, knownHostsFiles: [], poll: { queue: 60, accounting: 300, fairshare: 900 } });

    // Removing asks first, then drops the cluster from the list and the store.
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await session.live.running.core.api['clusters.list']({})).clusters.map((c) => c.config.name)).toEqual(['alpha', 'beta']);
    expect(problems).toEqual([]);
  });

  it('imports hosts from an ssh config file after a preview, skipping what ssh could not reach the same way', async () => {
    const beta = readCluster('beta');
    const file = path.join(session.live.dataDir, 'ssh_config');
    writeFileSync(
      file,
      [`Host beta-login`, `  HostName 127.0.0.1`, `  Port ${beta.sshPort}`, `  User opsuser`, `  IdentityFile ${keyOf('opsuser')}`, '', 'Host weird', '  HostName 10.0.0.1', '  ProxyCommand nc %h %p', ''].join('\n'),
    );
    const { page, problems } = await openSettings();
    const box = page.getByTestId('ssh-import');
    await box.locator('input[name=sshConfigPath]').fill(file);
    await box.getByRole('button', { name: 'Preview' }).click();
    const preview = box.getByTestId('import-preview');
    await preview.waitFor();
    expect(await preview.getByTestId('candidate-beta-login').textContent()).toContain(`beta-login opsuser@127.0.0.1:${beta.sshPort}`);
    expect(await preview.locator('details').textContent()).toMatch(/weird: .*ProxyCommand/);
    // A dry run changed nothing.
    expect((await session.live.running.core.api['clusters.list']({})).clusters).toHaveLength(2);
    await preview.getByRole('button', { name: 'Import 1 chosen' }).click();
    await box.getByTestId('import-result').waitFor();
    await page.getByTestId('settings-cluster-beta-login').waitFor();
    expect(await session.live.running.core.api['clusters.remove']({ name: 'beta-login' })).toEqual({ removed: true });
    expect(problems).toEqual([]);
  });

  it('saves retention and refuses an out-of-range value with the limits', async () => {
    const { page } = await openSettings();
    const form = page.getByRole('form', { name: 'retention' });
    await form.locator('input[name=sampleDays]').fill('0');
    await form.getByRole('button', { name: 'Save retention' }).click();
    await expect(form.getByRole('alert').textContent()).resolves.toMatch(/sampleDays/);
    await form.locator('input[name=sampleDays]').fill('14');
    await form.getByRole('button', { name: 'Save retention' }).click();
    await page.getByTestId('retention-saved').waitFor();
    expect((await session.live.running.core.api['clusters.list']({})).retention.sampleDays).toBe(14);
  });

  it('saves alert thresholds for a cluster partition; an empty field inherits, a bad number is refused', async () => {
    const { page } = await openSettings();
    const form = page.getByRole('form', { name: 'alert thresholds' });
    await form.getByLabel('level', { exact: true }).selectOption('alpha');
    await form.getByLabel('partition', { exact: true }).fill('gpu');
    await expect(form.locator('input[name=idleUtilPct]').getAttribute('placeholder')).resolves.toBe('5');
    await form.locator('input[name=idleUtilPct]').fill('abc');
    await form.getByRole('button', { name: 'Save alert thresholds' }).click();
    await expect(form.getByRole('alert').textContent()).resolves.toMatch(/Idle at or below: "abc"/);
    await form.locator('input[name=idleUtilPct]').fill('12');
    await form.getByLabel('rule partition-underused').selectOption('off');
    await form.getByRole('button', { name: 'Save alert thresholds' }).click();
    await page.getByTestId('alert-thresholds-saved').waitFor();
    const saved = await session.live.running.core.api['alerts.settings']({});
    expect(saved.clusters.alpha?.partitions?.gpu).toEqual({ idleUtilPct: 12, enabled: { 'partition-underused': false } });
    await session.live.running.core.api['alerts.saveSettings']({ global: {}, clusters: {} });
  });
});
