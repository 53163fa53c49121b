// The preload exposes one object, generated from the contract: exactly the contract's methods, one
// subscription per event, no generic invoke/send, and no Electron object reaches the page.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { contract } from '../../../shared/api/contract';
import { events } from '../../../shared/api/events';
import { PRELOAD_GLOBAL, eventChannel, methodChannel, shellEventChannel, shellEvents, type PreloadApi } from '../../../shared/api/ipc';
// A namespace import: the raw IPC object's name is reserved for the preload (eslint no-restricted-syntax).
import * as electronStub from './electron-stub';

const { contextBridge } = electronStub;
const ipc = electronStub.ipcRenderer;

vi.mock('electron', () => import('./electron-stub'));

let exposed: PreloadApi;

beforeAll(async () => {
  await import('../../../electron/preload/preload');
  expect(contextBridge.exposed).toHaveLength(1);
  expect(contextBridge.exposed[0]!.name).toBe(PRELOAD_GLOBAL);
  exposed = contextBridge.exposed[0]!.api as PreloadApi;
});

describe('preload API', () => {
  it("exposes exactly the contract's methods, and nothing generic", () => {
    expect(Object.keys(exposed).sort()).toEqual(['events', 'methods', 'shell']);
    expect(Object.keys(exposed.methods).sort()).toEqual(Object.keys(contract).sort());
    for (const fn of Object.values(exposed.methods)) expect(typeof fn).toBe('function');
    for (const generic of ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer']) {
      expect(exposed).not.toHaveProperty(generic);
      expect(exposed.methods).not.toHaveProperty(generic);
    }
    expect(Object.isFrozen(exposed) && Object.isFrozen(exposed.methods)).toBe(true);
  });

  it('exposes one subscription per core event and per shell event', () => {
    expect(Object.keys(exposed.events).sort()).toEqual(Object.keys(events).sort());
    expect(Object.keys(exposed.shell).sort()).toEqual(Object.keys(shellEvents).sort());
  });

  it("calls each method on that method's own channel with the request as given", async () => {
    ipc.invocations.length = 0;
    const reply = await exposed.methods['clusters.remove']({ name: 'alpha' });
    expect(ipc.invocations).toEqual([{ channel: methodChannel('clusters.remove'), args: [{ name: 'alpha' }] }]);
    expect(reply).toEqual({ ok: true, result: { channel: methodChannel('clusters.remove'), args: [{ name: 'alpha' }] } });
  });

  it('hands a listener the payload only (never the IPC event and its sender), and unsubscribes', () => {
    const got: unknown[][] = [];
    const stop = exposed.events['clusters.changed']((...args: unknown[]) => got.push(args));
    ipc.emit(eventChannel('clusters.changed'), { names: ['alpha'] });
    expect(got).toEqual([[{ names: ['alpha'] }]]);
    stop();
    ipc.emit(eventChannel('clusters.changed'), { names: ['beta'] });
    expect(got).toHaveLength(1);

    const alerts: unknown[] = [];
    const stopShell = exposed.shell['alert.open']((p) => alerts.push(p));
    ipc.emit(shellEventChannel('alert.open'), { alertId: 3 });
    stopShell();
    expect(alerts).toEqual([{ alertId: 3 }]);
  });

  it('refuses a listener that is not a function', () => {
    expect(() => exposed.events.snapshot('nope' as never)).toThrow(/listener/);
  });
});
