// The main-process IPC wrapper: only our window's main frame showing our page may call, every payload is
// checked against the contract before the core sees it, and every contract method (and nothing else) has
// its channel.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { contract, type Api, type MethodName } from '../../../shared/api/contract';
import { eventChannel, methodChannel } from '../../../shared/api/ipc';
import { forwardEvents, handleCall, ourMainFrameOnly, registerContract } from '../../../electron/shell/ipc';
import { APP_URL } from '../../../electron/shell/protocol';
import { FakeWebContents, frame, ipcMain } from './electron-stub';

vi.mock('electron', () => import('./electron-stub'));

const APP_INFO = { name: 'ClusterOps Console', version: '1.0.0', host: 'desktop', now: 1, source: 'example', dataPath: '/x.db', readonly: true } as const;

type Spy = ReturnType<typeof vi.fn<(request: unknown) => Promise<unknown>>>;

/** A core whose every method is a spy; app.info answers. */
function spyApi(): { api: Api; spies: Record<MethodName, Spy> } {
  const spies = {} as Record<MethodName, Spy>;
  for (const m of Object.keys(contract) as MethodName[]) spies[m] = vi.fn(async () => (m === 'app.info' ? APP_INFO : {}));
  return { api: spies as unknown as Api, spies };
}

function eventFrom(sender: FakeWebContents, senderFrame: ReturnType<typeof frame> | null): IpcMainInvokeEvent {
  return { sender, senderFrame, processId: senderFrame?.processId ?? 0, frameId: 1, type: 'frame' } as unknown as IpcMainInvokeEvent;
}

let ours: FakeWebContents;
let check: ReturnType<typeof ourMainFrameOnly>;
let api: Api;
let spies: Record<MethodName, Spy>;

beforeEach(() => {
  ours = new FakeWebContents(7, APP_URL);
  check = ourMainFrameOnly(() => ours as unknown as WebContents);
  ({ api, spies } = spyApi());
  ipcMain.handlers.clear();
});

describe('sender check', () => {
  it("lets our window's main frame call", async () => {
    const reply = await handleCall(api, check, 'app.info', eventFrom(ours, ours.mainFrame), {});
    expect(reply).toEqual({ ok: true, result: APP_INFO });
    expect(spies['app.info']).toHaveBeenCalledOnce();
  });

  it('refuses a foreign frame inside our window (an iframe) without calling the core', async () => {
    const iframe = frame(ours.mainFrame.processId, 'child-frame', APP_URL);
    const reply = await handleCall(api, check, 'app.info', eventFrom(ours, iframe), {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringMatching(/frame inside the page/) } });
    expect(spies['app.info']).not.toHaveBeenCalled();
  });

  it('refuses a frame in another process that reuses the main frame token', async () => {
    const impostor = frame(99, ours.mainFrame.frameToken, APP_URL);
    expect(check(eventFrom(ours, impostor))).toMatch(/frame inside the page/);
  });

  it('refuses another WebContents, even one showing our page', async () => {
    const other = new FakeWebContents(8, APP_URL);
    const reply = await handleCall(api, check, 'clusters.list', eventFrom(other, other.mainFrame), {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringMatching(/not come from the console window/) } });
    expect(spies['clusters.list']).not.toHaveBeenCalled();
  });

  it('refuses our main frame once it shows another page, a destroyed frame, and a closed window', () => {
    const navigated = new FakeWebContents(7, 'https://evil.example/');
    const checkNavigated = ourMainFrameOnly(() => navigated as unknown as WebContents);
    expect(checkNavigated(eventFrom(navigated, navigated.mainFrame))).toMatch(/not the console/);
    expect(check(eventFrom(ours, null))).toMatch(/frame is gone/);
    ours.destroyed = true;
    expect(check(eventFrom(ours, ours.mainFrame))).toMatch(/not open/);
    expect(ourMainFrameOnly(() => null)(eventFrom(ours, ours.mainFrame))).toMatch(/not open/);
  });
});

describe('payload validation', () => {
  it('refuses a malformed payload with the schema error before any core call', async () => {
    const reply = await handleCall(api, check, 'clusters.remove', eventFrom(ours, ours.mainFrame), { name: 42 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/invalid request for clusters\.remove: name: /) } });
    expect(spies['clusters.remove']).not.toHaveBeenCalled();
  });

  it('refuses extra fields where the contract is strict, and a non-object payload', async () => {
    expect(await handleCall(api, check, 'app.info', eventFrom(ours, ours.mainFrame), { sneaky: true })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await handleCall(api, check, 'app.info', eventFrom(ours, ours.mainFrame), 'app.info')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(spies['app.info']).not.toHaveBeenCalled();
  });

  it('checks the sender before the payload (a foreign frame learns nothing about the schema)', async () => {
    const other = new FakeWebContents(8, APP_URL);
    const reply = await handleCall(api, check, 'clusters.remove', eventFrom(other, other.mainFrame), { name: 42 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('reports a core failure as an internal error, and a bad core answer is caught by the response schema', async () => {
    spies['clusters.list'].mockRejectedValueOnce(new Error('disk full'));
    expect(await handleCall(api, check, 'clusters.list', eventFrom(ours, ours.mainFrame), {})).toEqual({ ok: false, error: { code: 'internal', message: 'disk full' } });
    spies['app.info'].mockResolvedValueOnce({ name: 'not us' });
    expect(await handleCall(api, check, 'app.info', eventFrom(ours, ours.mainFrame), {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('registration', () => {
  it('registers exactly one channel per contract method, each going through the wrapper', async () => {
    const unregister = registerContract(ipcMain as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>, api, check);
    const methods = Object.keys(contract) as MethodName[];
    expect([...ipcMain.handlers.keys()].sort()).toEqual(methods.map(methodChannel).sort());
    const handler = ipcMain.handlers.get(methodChannel('app.info'))!;
    expect(await handler(eventFrom(ours, ours.mainFrame), {})).toEqual({ ok: true, result: APP_INFO });
    const foreign = new FakeWebContents(9, APP_URL);
    expect(await handler(eventFrom(foreign, foreign.mainFrame), {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('forwards core events to the window on their own channels, and nothing once it is closed', () => {
    let emit: ((event: 'clusters.changed', payload: { names: string[] }) => void) | null = null;
    const stop = forwardEvents(
      (l) => {
        emit = l;
        return () => (emit = null);
      },
      () => (ours.isDestroyed() ? null : (ours as unknown as WebContents)),
    );
    emit!('clusters.changed', { names: ['alpha'] });
    expect(ours.sent).toEqual([{ channel: eventChannel('clusters.changed'), payload: { names: ['alpha'] } }]);
    ours.destroyed = true;
    emit!('clusters.changed', { names: ['beta'] });
    expect(ours.sent).toHaveLength(1);
    stop();
    expect(emit).toBeNull();
  });
});
