// The web host over real HTTP and WebSocket: token, cookie, Host and Origin checks, contract validation.
import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../../electron/core/core';
import { ClustersRepo } from '../../../electron/core/store/clusters-repo';
import { openStore, type Store } from '../../../electron/core/store/db';
import { SnapshotWriter } from '../../../electron/core/store/snapshot-writer';
import { startWebHost, type WebHost } from '../../../electron/host/web/server';
import { contract } from '../../../shared/api/contract';
import { decodeWireFrame } from '../../../shared/api/wire';
import { CELL_DOWN, CELL_SHARE_BASE } from '../../../shared/heatmap/cell-code';
import { createWsBridge } from '../../../renderer/src/bridge/ws-bridge';
import { clusterConfig, gpuNode } from '../core/store/builders';

let host: WebHost;
let core: Core;
let store: Store;
let cookie: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-web-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title><div id=root></div>');
  store = openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'clusterops-web-data-')) });
  core = createCore({ host: 'web', store, source: 'live', clock: { now: () => 1_700_000_000_000 } });
  host = await startWebHost({ api: core.api, subscribe: (l) => core.on(l), rendererDir: dir });
  const res = await fetch(host.url, { redirect: 'manual' });
  expect(res.status).toBe(303);
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
});
afterAll(() => host.close());

const base = () => `http://127.0.0.1:${host.port}`;

function call(origin: string, message: unknown, withCookie = true): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { origin, headers: withCookie ? { cookie } : {} });
    ws.on('open', () => ws.send(typeof message === 'string' ? message : JSON.stringify(message)));
    ws.on('message', (data) => {
      resolve(JSON.parse(data.toString()));
      ws.close();
    });
    ws.on('error', reject);
  });
}

/** The raw frame of one reply: JSON text or binary. */
function callRaw(message: unknown): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { origin: base(), headers: { cookie } });
    ws.on('open', () => ws.send(JSON.stringify(message)));
    ws.on('message', (data, isBinary) => {
      resolve({ data: data as Buffer, isBinary });
      ws.close();
    });
    ws.on('error', reject);
  });
}

describe('web host', () => {
  it('binds loopback and sets an HttpOnly SameSite cookie from the token', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(cookie).toBe(`clusterops_token=${host.token}`);
  });

  it('refuses requests without the token, with a wrong token, or for another Host', async () => {
    expect((await fetch(base())).status).toBe(401);
    expect((await fetch(`${base()}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    const ok = await fetch(base(), { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    // fetch() may not set Host; a DNS-rebinding page would reach us with its own name in it.
    const rebinding = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: host.port, path: '/', headers: { cookie, host: 'evil.example.com' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(rebinding).toBe(421);
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await fetch(`${base()}/..%2f..%2fetc%2fpasswd`, { headers: { cookie } });
    expect([400, 404]).toContain(res.status);
    expect(await res.text()).not.toContain('root:');
  });

  it('answers a contract call over the WebSocket', async () => {
    const reply = await call(base(), { id: 7, method: 'app.info', params: {} });
    expect(reply).toMatchObject({ id: 7, ok: true, result: { name: 'ClusterOps Console', host: 'web', now: 1_700_000_000 } });
  });

  it('sends a result holding typed arrays (heatmap cells) as one binary frame that reads back into the contract', async () => {
    new ClustersRepo(store.db).save(clusterConfig('alpha'), 1_699_990_000);
    new SnapshotWriter(store).write({ cluster: 'alpha', startedAt: 1_699_999_990, finishedAt: 1_700_000_000, nodes: [gpuNode('gpu-01'), gpuNode('gpu-02', { state: 'DOWN' })] });
    const { data, isBinary } = await callRaw({ id: 5, method: 'heatmap.range', params: { seconds: 3600 } });
    expect(isBinary).toBe(true);
    const reply = decodeWireFrame(data) as { id: number; ok: boolean; result: unknown };
    expect(reply).toMatchObject({ id: 5, ok: true });
    const range = contract['heatmap.range'].response.parse(reply.result);
    expect(range.nodes.map((n) => n.name)).toEqual(['gpu-01', 'gpu-02']);
    expect(range.cells).toBeInstanceOf(Uint8Array);
    expect(range.cells.length).toBe(2 * range.buckets);
    expect(range.cells[range.buckets - 1]).toBe(CELL_SHARE_BASE + 50); // 4 of 8 GPUs allocated
    expect(range.cells[2 * range.buckets - 1]).toBe(CELL_DOWN);
    // An error stays JSON text.
    const err = await callRaw({ id: 6, method: 'heatmap.range', params: { seconds: 1 } });
    expect(err.isBinary).toBe(false);
    expect(JSON.parse(err.data.toString())).toMatchObject({ id: 6, ok: false, error: { code: 'bad-request' } });
  });

  it("the page's WebSocket bridge gets the cells as bytes, checked against the contract", async () => {
    // The browser's WebSocket, as the page opens it: our Origin and the session cookie.
    class PageSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin: base(), headers: { cookie } });
      }
    }
    const g = globalThis as { WebSocket?: unknown };
    const saved = g.WebSocket;
    g.WebSocket = PageSocket;
    try {
      const bridge = createWsBridge(`ws://127.0.0.1:${host.port}/api`);
      const range = await bridge.api['heatmap.range']({ seconds: 3600 });
      expect(range.cells).toBeInstanceOf(Uint8Array);
      expect(range.cells.length).toBe(range.nodes.length * range.buckets);
      expect(await bridge.api['app.info']({})).toMatchObject({ host: 'web' });
      await expect(bridge.api['heatmap.range']({ seconds: 1 })).rejects.toMatchObject({ code: 'bad-request' });
    } finally {
      g.WebSocket = saved;
    }
  });

  it('refuses unknown methods and malformed requests with a clear error', async () => {
    expect(await call(base(), { id: 1, method: 'nope', params: {} })).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await call(base(), { id: 2, method: 'app.info', params: { extra: 1 } })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call(base(), 'not json')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('pushes core events to open pages', async () => {
    const received = new Promise<unknown>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { origin: base(), headers: { cookie } });
      ws.on('open', () => core.emit('sync.failed', { cluster: 'alpha', message: 'controller unreachable' }));
      ws.on('message', (data) => {
        resolve(JSON.parse(data.toString()));
        ws.close();
      });
      ws.on('error', reject);
    });
    expect(await received).toEqual({ event: 'sync.failed', payload: { cluster: 'alpha', message: 'controller unreachable' } });
  });

  it('refuses a WebSocket from a foreign Origin or without the cookie', async () => {
    await expect(call('http://evil.example.com', { id: 1, method: 'app.info', params: {} })).rejects.toThrow(/403/);
    await expect(call(base(), { id: 1, method: 'app.info', params: {} }, false)).rejects.toThrow(/403/);
  });
});
