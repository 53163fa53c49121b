// secrets.pending / secrets.answer through the one dispatcher: malformed answers are refused before the
// core sees them (and the refusal never echoes the secret), a live core hands the answer to the waiting
// SSH layer, a read-only core has nothing to answer. Then the web host: the answer travels only over the
// token-protected WebSocket, and what the page receives (prompt, settled, reply) never holds the secret.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore } from '../../../../electron/core/core';
import { dispatch } from '../../../../electron/core/dispatch';
import type { SecretRequest } from '../../../../electron/core/ports';
import { startLive } from '../../../../electron/core/runtime/live';
import { NO_SECURE_STORAGE } from '../../../../electron/core/runtime/secret-broker';
import { openStore } from '../../../../electron/core/store/db';
import { startWebHost } from '../../../../electron/host/web/server';
import type { SecretPromptInfo } from '../../../../shared/api/methods/secrets';
import { MemorySecrets } from '../ssh/ssh-fixture';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();
const SECRET = 'hunter2 but longer';
const request: SecretRequest = { kind: 'password', cluster: 'alpha', user: 'ops', host: '127.0.0.1', port: 2201, retry: false };

async function firstPending(api: Parameters<typeof dispatch>[0]): Promise<SecretPromptInfo> {
  for (let i = 0; i < 200; i++) {
    const list = (await dispatch(api, 'secrets.pending', {})) as SecretPromptInfo[];
    if (list.length) return list[0]!;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no secret question appeared');
}

describe('secrets.answer through the dispatcher', () => {
  it('refuses malformed answers with a schema error that does not echo the value', async () => {
    const running = startLive({ host: 'web', dataDir: tempDir(), poll: false });
    try {
      const api = running.core.api;
      const bad = async (params: unknown) => {
        const err = (await dispatch(api, 'secrets.answer', params).catch((e: unknown) => e)) as Error & { code?: string };
        expect(err.code).toBe('bad-request');
        expect(err.message).not.toContain(SECRET);
        return err.message;
      };
      expect(await bad({ id: 'x', value: SECRET })).toMatch(/remember/);
      expect(await bad({ id: 'x', value: 42, remember: false })).toMatch(/value/);
      expect(await bad({ id: 'x', value: '', remember: false })).toContain('type the password or passphrase, or cancel');
      expect(await bad({ id: 'x', value: SECRET.repeat(300), remember: false })).toContain('at most 4096 characters');
      expect(await bad({ id: '', value: SECRET, remember: false })).toMatch(/id/);
      expect(await bad({ id: 'x', value: SECRET, remember: false, secret: SECRET })).toMatch(/Unrecognized key/);
      expect(await bad({ id: 'x'.repeat(101), value: null, remember: false })).toMatch(/id/);
      await expect(dispatch(api, 'secrets.pending', { id: 'x' })).rejects.toThrow(/invalid request for secrets.pending/);
      // Well-formed but nothing asked: not accepted.
      await expect(dispatch(api, 'secrets.answer', { id: 'x', value: SECRET, remember: true })).resolves.toEqual({ accepted: false, remember: false });
      await expect(dispatch(api, 'secrets.pending', {})).resolves.toEqual([]);
    } finally {
      await running.close();
    }
  });

  it('a live core: the pending question is answered through the contract; remember only with a SecretStore', async () => {
    const web = startLive({ host: 'web', dataDir: tempDir(), poll: false });
    const desktop = startLive({ host: 'desktop', dataDir: tempDir(), poll: false, secrets: new MemorySecrets() });
    try {
      const asked = web.core.context.live!.secretPrompts.ask(request);
      const q = await firstPending(web.core.api);
      expect(q).toMatchObject({ request, remember: { available: false, reason: NO_SECURE_STORAGE } });
      await expect(dispatch(web.core.api, 'secrets.answer', { id: q.id, value: SECRET, remember: true })).resolves.toEqual({ accepted: true, remember: false });
      await expect(asked).resolves.toEqual({ value: SECRET, remember: false });

      const kept = desktop.core.context.live!.secretPrompts.ask(request);
      const d = await firstPending(desktop.core.api);
      expect(d.remember).toEqual({ available: true, reason: null });
      await expect(dispatch(desktop.core.api, 'secrets.answer', { id: d.id, value: SECRET, remember: true })).resolves.toEqual({ accepted: true, remember: true });
      await expect(kept).resolves.toEqual({ value: SECRET, remember: true });
    } finally {
      await web.close();
      await desktop.close();
    }
  });

  it('closing the live core declines an open question (shutdown does not wait out the timeout)', async () => {
    const running = startLive({ host: 'web', dataDir: tempDir(), poll: false });
    const asked = running.core.context.live!.secretPrompts.ask(request);
    await firstPending(running.core.api);
    await running.close();
    await expect(asked).resolves.toBeNull();
  });

  it('a read-only core has no questions and accepts no answer', async () => {
    const store = openStore({ dataDir: tempDir() });
    const core = createCore({ host: 'web', store, source: 'example' });
    await expect(dispatch(core.api, 'secrets.pending', {})).resolves.toEqual([]);
    await expect(dispatch(core.api, 'secrets.answer', { id: 'x', value: null, remember: false })).resolves.toEqual({ accepted: false, remember: false });
    store.close();
  });
});

describe('secrets over the web host', () => {
  it('the answer goes only over the token-protected socket; no message to the page holds the secret', async () => {
    const rendererDir = mkdtempSync(path.join(tmpdir(), 'clusterops-web-'));
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    const running = startLive({ host: 'web', dataDir: tempDir(), poll: false });
    const host = await startWebHost({ api: running.core.api, subscribe: (l) => running.core.on(l), rendererDir });
    const origin = `http://127.0.0.1:${host.port}`;
    try {
      // No cookie: the socket is refused before any method can be called.
      const refused = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { origin });
        ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        ws.on('error', (e) => resolve(e.message));
        ws.on('open', () => resolve('open'));
      });
      expect(refused).toMatch(/403/);

      const res = await fetch(host.url, { redirect: 'manual' });
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { origin, headers: { cookie } });
      const received: string[] = [];
      const prompt = new Promise<SecretPromptInfo>((resolve) => {
        ws.on('message', (data) => {
          const text = data.toString();
          received.push(text);
          const m = JSON.parse(text) as { event?: string; payload?: unknown };
          if (m.event === 'secret.prompt') resolve(m.payload as SecretPromptInfo);
        });
      });
      await new Promise((r) => ws.once('open', r));
      const asked = running.core.context.live!.secretPrompts.ask({ kind: 'key-passphrase', cluster: 'alpha', identityFile: '/keys/id', retry: true });
      const q = await prompt;
      expect(q.request).toEqual({ kind: 'key-passphrase', cluster: 'alpha', identityFile: '/keys/id', retry: true });
      const settled = new Promise<void>((resolve) => ws.on('message', (d) => (JSON.parse(d.toString()) as { event?: string }).event === 'secret.settled' && resolve()));
      ws.send(JSON.stringify({ id: 1, method: 'secrets.answer', params: { id: q.id, value: SECRET, remember: false } }));
      await expect(asked).resolves.toEqual({ value: SECRET, remember: false });
      await settled;
      await new Promise((r) => setTimeout(r, 50)); // the reply
      expect(received.map((t) => JSON.parse(t) as object)).toEqual(
        expect.arrayContaining([{ id: 1, ok: true, result: { accepted: true, remember: false } }, { event: 'secret.settled', payload: { id: q.id, by: 'user', outcome: 'answered' } }]),
      );
      expect(received.join('\n')).not.toContain(SECRET);
      ws.close();
    } finally {
      await host.close();
      await running.close();
    }
  });
});
