// The renderer's Bridge over the preload API: errors keep their code, replies and event payloads are
// checked against the contract, and a notification click reaches onOpenAlert.
import { describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../../../shared/api/contract';
import { events, type EventName } from '../../../shared/api/events';
import type { IpcReply, PreloadApi } from '../../../shared/api/ipc';
import { createIpcBridge } from '../../../renderer/src/bridge/ipc-bridge';
import { BridgeError } from '../../../renderer/src/bridge/ws-bridge';

const APP_INFO = { name: 'ClusterOps Console', version: '1.0.0', host: 'desktop', now: 1, source: 'live', dataPath: '/d/clusterops.db', readonly: false };

function fakePreload(answer: (method: string, request: unknown) => unknown) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const subscribe = (name: string) => (listener: (payload: unknown) => void) => {
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };
  const methods: Record<string, (request: unknown) => Promise<IpcReply>> = {};
  for (const m of Object.keys(contract)) methods[m] = async (request) => answer(m, request) as IpcReply;
  const preload = {
    methods,
    events: Object.fromEntries(Object.keys(events).map((e) => [e, subscribe(e)])),
    shell: { 'alert.open': subscribe('shell:alert.open') },
  } as unknown as PreloadApi;
  const fire = (name: string, payload: unknown) => {
    for (const l of listeners.get(name) ?? []) l(payload);
  };
  return { preload, fire, listeners };
}

describe('IPC bridge', () => {
  it('returns results checked against the contract', async () => {
    const calls: [string, unknown][] = [];
    const { preload } = fakePreload((m, r) => {
      calls.push([m, r]);
      return { ok: true, result: APP_INFO };
    });
    const bridge = createIpcBridge(preload);
    expect(await bridge.api['app.info']({})).toEqual(APP_INFO);
    expect(calls).toEqual([['app.info', {}]]);
    expect(Object.keys(bridge.api).sort()).toEqual((Object.keys(contract) as MethodName[]).sort());
  });

  it('passes typed arrays through as IPC clones them (heatmap cells), and refuses cells that are not bytes', async () => {
    const range = {
      clusters: [{ name: 'alpha', timeZone: null, nodesAt: 1 }], start: 0, end: 600, bucketSeconds: 300, buckets: 2,
      nodes: [{ cluster: 0, name: 'gpu-01', partitions: ['gpu'], gpuTotal: 8, gpuType: 'a100', state: 'mixed' }],
      cells: Uint8Array.from([51, 252]), cpuOnlyNodes: 0, readMs: 1,
    };
    // Electron's IPC and context bridge copy a reply with the structured clone algorithm.
    const { preload } = fakePreload(() => structuredClone({ ok: true, result: range }));
    const got = await createIpcBridge(preload).api['heatmap.range']({ seconds: 3600 });
    expect(got.cells).toBeInstanceOf(Uint8Array);
    expect([...got.cells]).toEqual([51, 252]);
    const asText = fakePreload(() => ({ ok: true, result: { ...range, cells: 'M/w=' } })).preload;
    await expect(createIpcBridge(asText).api['heatmap.range']({ seconds: 3600 })).rejects.toThrow();
  });

  it("turns an error reply into a BridgeError with the host's code", async () => {
    const { preload } = fakePreload(() => ({ ok: false, error: { code: 'bad-request', message: 'invalid request for clusters.remove: name: bad' } }));
    const err = await createIpcBridge(preload).api['clusters.remove']({ name: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/name: bad/) });
  });

  it('refuses a malformed reply or a result outside the contract', async () => {
    await expect(createIpcBridge(fakePreload(() => 'nonsense').preload).api['app.info']({})).rejects.toMatchObject({ code: 'internal' });
    await expect(createIpcBridge(fakePreload(() => ({ ok: true, result: { name: 'x' } })).preload).api['app.info']({})).rejects.toThrow();
  });

  it('passes on valid events only, and unsubscribes from all of them', () => {
    const { preload, fire, listeners } = fakePreload(() => ({ ok: true, result: {} }));
    const got: [EventName, unknown][] = [];
    const stop = createIpcBridge(preload).on((event, payload) => got.push([event, payload]));
    fire('clusters.changed', { names: ['alpha'] });
    fire('clusters.changed', { names: 'alpha' });
    expect(got).toEqual([['clusters.changed', { names: ['alpha'] }]]);
    stop();
    expect([...listeners.values()].every((s) => s.size === 0)).toBe(true);
  });

  it('reports a clicked alert notification', () => {
    const { preload, fire } = fakePreload(() => ({ ok: true, result: {} }));
    const opened: number[] = [];
    const stop = createIpcBridge(preload).onOpenAlert!((id) => opened.push(id));
    fire('shell:alert.open', { alertId: 5 });
    fire('shell:alert.open', { alertId: 'five' });
    stop();
    fire('shell:alert.open', { alertId: 6 });
    expect(opened).toEqual([5]);
  });
});
