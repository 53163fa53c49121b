// The desktop app's live core asks the window for passwords and passphrases (the page-side broker is the
// default SecretPrompt) and offers "remember" exactly when its safeStorage SecretStore can encrypt: on
// Linux's basic_text backend the dialog shows why not, and an answer with remember is not kept.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { SecretRequest } from '../../../electron/core/ports';
import { ClustersRepo } from '../../../electron/core/store/clusters-repo';
import { openStore } from '../../../electron/core/store/db';
import { chooseDesktopCore } from '../../../electron/shell/desktop-core';
import { SafeSecretStore } from '../../../electron/shell/secret-store';
import type { SecretPromptInfo } from '../../../shared/api/methods/secrets';
import { clusterConfig } from '../core/store/builders';

vi.mock('electron', () => import('./electron-stub'));

function fakeSafeStorage(backend: 'basic_text' | 'gnome_libsecret') {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    getSelectedStorageBackend: () => backend,
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (plain: string) => xor(Buffer.from(plain)),
    decryptStringAsync: async (cipher: Buffer) => ({ result: xor(cipher).toString(), shouldReEncrypt: false }),
  };
}

/** A data directory with one (disabled, so never polled) cluster: the desktop picks live data for it. */
function dataDirWithCluster(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-desk-secrets-'));
  const store = openStore({ dataDir: dir });
  new ClustersRepo(store.db).save({ ...clusterConfig('alpha'), enabled: false }, 1_700_000_000);
  store.close();
  return dir;
}

const request: SecretRequest = { kind: 'key-passphrase', cluster: 'alpha', identityFile: '/home/me/.ssh/id_ed25519', retry: false };

async function askOnDesktop(backend: 'basic_text' | 'gnome_libsecret'): Promise<{ prompt: SecretPromptInfo; answer: unknown; kept: unknown }> {
  const secrets = new SafeSecretStore({ safeStorage: fakeSafeStorage(backend), dir: path.join(mkdtempSync(path.join(tmpdir(), 'clusterops-desk-store-')), 'secrets'), platform: 'linux' });
  const services = { secrets, hostKeyPrompt: { ask: async () => 'reject' as const }, notifier: { notify: () => undefined } };
  const { running } = chooseDesktopCore({ dataDir: dataDirWithCluster() }, services);
  try {
    const live = running.core.context.live;
    if (!live) throw new Error('the desktop should run a live core here');
    // The broker is what the SSH layer asks (the default SecretPrompt), not something beside it.
    expect(live.connectionOptions.secretPrompt).toBe(live.secretPrompts);
    expect(live.connectionOptions.secrets).toBe(secrets);
    const asked = live.secretPrompts.ask(request);
    await vi.waitFor(async () => expect(await running.core.api['secrets.pending']({})).toHaveLength(1));
    const [prompt] = await running.core.api['secrets.pending']({});
    const answer = await running.core.api['secrets.answer']({ id: prompt!.id, value: 'pass phrase', remember: true });
    return { prompt: prompt!, answer, kept: await asked };
  } finally {
    await running.close();
  }
}

describe('desktop secrets', () => {
  it('a real keyring: remember is offered and passed on to the SSH layer', async () => {
    const { prompt, answer, kept } = await askOnDesktop('gnome_libsecret');
    expect(prompt.remember).toEqual({ available: true, reason: null });
    expect(answer).toEqual({ accepted: true, remember: true });
    expect(kept).toEqual({ value: 'pass phrase', remember: true });
  });

  it('basic_text: remember is refused with the store\'s own reason, the answer still used once', async () => {
    const { prompt, answer, kept } = await askOnDesktop('basic_text');
    expect(prompt.remember.available).toBe(false);
    expect(prompt.remember.reason).toMatch(/basic_text.*ssh-agent/s);
    expect(answer).toEqual({ accepted: true, remember: false });
    expect(kept).toEqual({ value: 'pass phrase', remember: false });
  });
});
