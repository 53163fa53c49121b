// The smaller parts of the shell: menu roles, the alert badge, the host-key and save dialogs, desktop
// notifications, graceful quit, and the choice of core.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserWindow, Dialog, MenuItemConstructorOptions, MessageBoxOptions, Notification, NotificationConstructorOptions } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAVE_DIALOG_UNAVAILABLE, SaveFileRequest } from '../../../shared/api/methods/dialogs';
import { dispatch } from '../../../electron/core/dispatch';
import { openReadOnly } from '../../../electron/core/runtime/live';
import { EXAMPLE_SNAPSHOT } from '../../../electron/host/paths';
import { shellEventChannel } from '../../../shared/api/ipc';
import { alertSummary, circleBitmap, createAlertBadge, initialOpenAlerts, openAlertsOf, watchOpenAlerts } from '../../../electron/shell/badge';
import type { Api } from '../../../shared/api/contract';
import { chooseDesktopCore, parseDesktopArgs, unpackedPath } from '../../../electron/shell/desktop-core';
import { DialogHostKeyPrompt, HOST_KEY_BUTTONS, hostKeyMessage, saveDialogOptions, showSaveFile } from '../../../electron/shell/dialogs';
import { menuTemplate } from '../../../electron/shell/menu';
import { ElectronNotifier, notificationOptions, openAlertInWindow } from '../../../electron/shell/notifier';
import { quitGracefully } from '../../../electron/shell/quit';
import type { HostKeyQuestion } from '../../../electron/core/ports';
import type { EventListener } from '../../../shared/api/events';
import { FakeWebContents } from './electron-stub';

vi.mock('electron', () => import('./electron-stub'));

afterEach(() => {
  vi.useRealTimers();
});

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);
}

describe('menu', () => {
  it('uses the standard roles; developer tools only in development', () => {
    const linux = menuTemplate({ platform: 'linux', appName: 'ClusterOps Console', development: false, showDataFile: () => undefined });
    expect(roles(linux)).toEqual(expect.arrayContaining(['quit', 'editMenu', 'windowMenu', 'help', 'about', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']));
    expect(roles(linux)).not.toContain('toggleDevTools');
    expect(roles(linux)).not.toContain('appMenu');
    const mac = menuTemplate({ platform: 'darwin', appName: 'ClusterOps Console', development: true, showDataFile: () => undefined });
    expect(roles(mac)).toEqual(expect.arrayContaining(['appMenu', 'close', 'toggleDevTools', 'reload']));
  });
});

describe('open-alert badge', () => {
  it('shows the count on the launcher, the tray and the Windows overlay', () => {
    const calls: unknown[][] = [];
    const show = createAlertBadge({
      setBadgeCount: (n) => calls.push(['badge', n]) > 0,
      tray: { setToolTip: (t) => calls.push(['tip', t]), setTitle: (t) => calls.push(['title', t]) },
      setOverlay: (n) => calls.push(['overlay', n]),
    });
    show(3);
    show(0);
    show(-1);
    expect(calls).toEqual([
      ['badge', 3],
      ['tip', 'ClusterOps Console: 3 open alerts'],
      ['title', '3'],
      ['overlay', 3],
      ['badge', 0],
      ['tip', alertSummary(0)],
      ['title', ''],
      ['overlay', 0],
      ['badge', 0],
      ['tip', alertSummary(0)],
      ['title', ''],
      ['overlay', 0],
    ]);
    expect(alertSummary(1)).toBe('ClusterOps Console: 1 open alert');
  });

  it('survives a launcher without badges and a missing tray', () => {
    const show = createAlertBadge({
      setBadgeCount: () => {
        throw new Error('no unity');
      },
      tray: null,
    });
    expect(() => show(2)).not.toThrow();
  });

  it("is fed by the core's alerts.changed event, and ignores other events and malformed payloads", () => {
    const counts: number[] = [];
    let emit: ((event: string, payload: unknown) => void) | null = null;
    const stop = watchOpenAlerts((l: EventListener) => {
      emit = l as unknown as (event: string, payload: unknown) => void;
      return () => (emit = null);
    }, (n) => counts.push(n));
    emit!('alerts.changed', { open: 4 });
    emit!('clusters.changed', { names: [] });
    emit!('alerts.changed', { open: -2 });
    emit!('alerts.changed', 'four');
    emit!('alerts.changed', { open: 0 });
    expect(counts).toEqual([4, 0]);
    stop();
    expect(emit).toBeNull();
    expect(openAlertsOf('alerts.changed', { open: 1, extra: true })).toBe(1);
  });

  it('starts from the active alerts of alerts.list (open + acknowledged), or nothing when the core cannot say', async () => {
    const list = { alerts: [], rules: [], dataAt: {}, totals: { open: 2, acknowledged: 1, snoozed: 4, critical: 1 } };
    expect(await initialOpenAlerts({ 'alerts.list': async () => list } as unknown as Api)).toBe(3);
    expect(await initialOpenAlerts({ 'alerts.list': async () => ({ totals: 'many' }) } as unknown as Api)).toBeNull();
    expect(
      await initialOpenAlerts({
        'alerts.list': async () => {
          throw new Error('no store');
        },
      } as unknown as Api),
    ).toBeNull();
  });

  it('draws its icons as premultiplied BGRA circles', () => {
    const px = circleBitmap(16, [255, 0, 0]);
    expect(px.length).toBe(16 * 16 * 4);
    const centre = ((8 * 16 + 8) * 4) as number;
    expect([...px.subarray(centre, centre + 4)]).toEqual([0, 0, 255, 255]);
    expect([...px.subarray(0, 4)]).toEqual([0, 0, 0, 0]); // corner: transparent
  });
});

const QUESTION: HostKeyQuestion = {
  cluster: 'hpc',
  host: 'login.hpc.example.org',
  port: 2222,
  role: 'target',
  keyType: 'ssh-ed25519',
  fingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
  otherKeyTypes: [],
};

describe('host-key dialog', () => {
  it('shows the SHA-256 fingerprint, the host and what the host is; Reject is the default and Escape', () => {
    const m = hostKeyMessage(QUESTION, 90_000);
    expect(m.message).toContain('[login.hpc.example.org]:2222');
    expect(m.message).toContain('ssh-ed25519');
    expect(m.detail).toContain('SHA-256 fingerprint:\nSHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU');
    expect(m.detail).toContain('login host of cluster hpc');
    expect(m.detail).toContain('90 s');
    expect(m.buttons).toEqual(['Reject', 'Accept Once', 'Accept and Remember']);
    expect(m.defaultId).toBe(0);
    expect(m.cancelId).toBe(0);
    const jump = hostKeyMessage({ ...QUESTION, port: 22, role: { jump: 0 }, otherKeyTypes: ['ssh-rsa'] }, 90_000);
    expect(jump.message).toMatch(/^login\.hpc\.example\.org presented/);
    expect(jump.detail).toContain('jump host 1 on the way to cluster hpc');
    expect(jump.detail).toContain('ssh-rsa');
  });

  it('answers with the button the user chose, over the console window', async () => {
    const win = { isDestroyed: () => false } as unknown as BrowserWindow;
    const seen: { parent: unknown; options: MessageBoxOptions }[] = [];
    let response = 2;
    const dialog = {
      showMessageBox: async (parent: unknown, options: MessageBoxOptions) => {
        seen.push({ parent, options });
        return { response, checkboxChecked: false };
      },
    } as unknown as Pick<Dialog, 'showMessageBox'>;
    const prompt = new DialogHostKeyPrompt(dialog, () => win);
    expect(await prompt.ask(QUESTION)).toBe('accept-and-pin');
    response = 1;
    expect(await prompt.ask(QUESTION)).toBe('accept-once');
    response = 0;
    expect(await prompt.ask(QUESTION)).toBe('reject');
    response = 7;
    expect(await prompt.ask(QUESTION)).toBe('reject');
    expect(seen[0]!.parent).toBe(win);
    expect(seen[0]!.options.signal).toBeInstanceOf(AbortSignal);
    expect(HOST_KEY_BUTTONS.map((b) => b.answer)).toEqual(['reject', 'accept-once', 'accept-and-pin']);
  });

  it('rejects the open and the queued questions when the app quits', async () => {
    const dialog = {
      showMessageBox: (options: MessageBoxOptions) =>
        new Promise((resolve) => options.signal!.addEventListener('abort', () => resolve({ response: 1, checkboxChecked: false }))),
    } as unknown as Pick<Dialog, 'showMessageBox'>;
    const prompt = new DialogHostKeyPrompt(dialog, () => null);
    const asked = [prompt.ask(QUESTION), prompt.ask(QUESTION)];
    await new Promise((r) => setTimeout(r, 0));
    prompt.close();
    expect(await Promise.all(asked)).toEqual(['reject', 'reject']);
    expect(await prompt.ask(QUESTION)).toBe('reject');
  });

  it('rejects when nobody answers in time, closing the box, and asks queued questions one at a time', async () => {
    vi.useFakeTimers();
    const opened: AbortSignal[] = [];
    const dialog = {
      showMessageBox: (options: MessageBoxOptions) =>
        new Promise((resolve) => {
          opened.push(options.signal!);
          options.signal!.addEventListener('abort', () => resolve({ response: 2, checkboxChecked: false }));
        }),
    } as unknown as Pick<Dialog, 'showMessageBox'>;
    const prompt = new DialogHostKeyPrompt(dialog, () => null, 1000);
    const first = prompt.ask(QUESTION);
    const second = prompt.ask({ ...QUESTION, host: 'other' });
    await vi.advanceTimersByTimeAsync(0);
    expect(opened).toHaveLength(1); // the second waits for the first box
    await vi.advanceTimersByTimeAsync(1000);
    expect(await first).toBe('reject'); // aborted: not the button the abort resolved with
    expect(await second).toBe('reject'); // expired while waiting: never shown
    expect(opened).toHaveLength(1);
  });
});

describe('save dialog', () => {
  it('opens in the documents folder with the filters, asks before overwriting, and returns the path or null', async () => {
    const request = SaveFileRequest.parse({ title: 'Export usage', defaultName: 'usage.xlsx', filters: [{ name: 'Excel', extensions: ['xlsx'] }] });
    const options = saveDialogOptions(request, '/home/me/Documents');
    expect(options).toEqual({
      title: 'Export usage',
      defaultPath: path.join('/home/me/Documents', 'usage.xlsx'),
      filters: [{ name: 'Excel', extensions: ['xlsx'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    let answer = { canceled: false, filePath: '/home/me/Documents/nov.xlsx' };
    const dialog = { showSaveDialog: async () => answer } as unknown as Pick<Dialog, 'showSaveDialog'>;
    expect(await showSaveFile(dialog, () => null, '/home/me/Documents', request)).toEqual({ available: true, path: '/home/me/Documents/nov.xlsx' });
    answer = { canceled: true, filePath: '' };
    expect(await showSaveFile(dialog, () => null, '/home/me/Documents', request)).toEqual({ available: true, path: null });
  });

  it('is answered "not available in the browser" by the web host\'s core, through the contract', async () => {
    const running = openReadOnly({ host: 'web', file: EXAMPLE_SNAPSHOT, source: 'example' });
    try {
      expect(await dispatch(running.core.api, 'dialogs.saveFile', { defaultName: 'usage.csv' })).toEqual({ available: false, reason: SAVE_DIALOG_UNAVAILABLE });
      await expect(dispatch(running.core.api, 'dialogs.saveFile', { defaultName: '/etc/passwd' })).rejects.toMatchObject({ code: 'bad-request' });
    } finally {
      await running.close();
    }
    expect(SAVE_DIALOG_UNAVAILABLE).toMatch(/not available in the browser/);
  });

  it('takes a file name only, never a folder', () => {
    expect(SaveFileRequest.safeParse({ defaultName: '../../.bashrc' }).success).toBe(false);
    expect(SaveFileRequest.safeParse({ defaultName: 'C:\\x.csv' }).success).toBe(false);
    expect(SaveFileRequest.safeParse({ defaultName: 'x.csv', filters: [{ name: 'x', extensions: ['*'] }] }).success).toBe(false);
  });
});

describe('notifications', () => {
  class FakeNotification extends EventEmitter {
    static supported = true;
    static created: FakeNotification[] = [];
    static isSupported() {
      return FakeNotification.supported;
    }
    shown = false;
    constructor(readonly options: NotificationConstructorOptions) {
      super();
      FakeNotification.created.push(this);
    }
    show() {
      this.shown = true;
    }
  }

  it('shows one per alert notice; a click opens that alert', () => {
    const clicked: number[] = [];
    const notifier = new ElectronNotifier(FakeNotification as unknown as typeof Notification, (id) => clicked.push(id));
    notifier.notify({ alertId: 12, cluster: 'hpc', title: '8 GPUs idle while jobs pend', body: 'gpu partition', severity: 'critical' });
    const n = FakeNotification.created.at(-1)!;
    expect(n.shown).toBe(true);
    expect(n.options).toMatchObject({ title: 'hpc: 8 GPUs idle while jobs pend', body: 'gpu partition', urgency: 'critical' });
    n.emit('click');
    expect(clicked).toEqual([12]);
    expect(notificationOptions({ alertId: 1, cluster: 'c', title: 't', body: 'b', severity: 'info' })).toMatchObject({ urgency: 'low', silent: true });
    FakeNotification.supported = false;
    notifier.notify({ alertId: 13, cluster: 'hpc', title: 't', body: 'b', severity: 'warning' });
    expect(FakeNotification.created.at(-1)).toBe(n);
  });

  it("a click brings the window to the front and sends the page the alert's id on the shell channel", () => {
    const contents = new FakeWebContents(1, 'app://clusterops/index.html');
    const calls: string[] = [];
    const win = {
      isDestroyed: () => false,
      isMinimized: () => true,
      restore: () => calls.push('restore'),
      show: () => calls.push('show'),
      focus: () => calls.push('focus'),
      webContents: contents,
    } as unknown as BrowserWindow;
    openAlertInWindow(win, 12);
    expect(calls).toEqual(['restore', 'show', 'focus']);
    expect(contents.sent).toEqual([{ channel: shellEventChannel('alert.open'), payload: { alertId: 12 } }]);
    expect(() => openAlertInWindow(null, 1)).not.toThrow();
  });
});

describe('graceful quit', () => {
  function fakeApp() {
    const app = new EventEmitter() as EventEmitter & { quits: number; quit(): void };
    app.quits = 0;
    app.quit = () => {
      app.quits++;
      const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      app.emit('before-quit', event);
      return event.defaultPrevented;
    };
    return app;
  }

  it('holds the first quit until the core has shut down, then quits once', async () => {
    const app = fakeApp();
    let finish!: () => void;
    const shutdown = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    quitGracefully(app as never, shutdown);
    expect(app.quit()).toBe(true); // held back
    expect(app.quit()).toBe(true); // a second request while stopping changes nothing
    expect(shutdown).toHaveBeenCalledOnce();
    finish();
    await vi.waitFor(() => expect(app.quits).toBe(3)); // the shell quit for real after shutdown
  });

  it('quits anyway when the shutdown hangs or fails', async () => {
    vi.useFakeTimers();
    const app = fakeApp();
    quitGracefully(app as never, () => new Promise<void>(() => undefined), 500);
    app.quit();
    await vi.advanceTimersByTimeAsync(500);
    expect(app.quits).toBe(2);
    vi.useRealTimers();
    const failing = fakeApp();
    quitGracefully(failing as never, async () => {
      throw new Error('disk gone');
    });
    failing.quit();
    await vi.waitFor(() => expect(failing.quits).toBe(2));
  });
});

describe('choice of core', () => {
  it('reads --data-dir and --snapshot among Electron arguments', () => {
    expect(parseDesktopArgs(['dist/shell/main.js', '--snapshot', 'nov.db', '--inspect=0'])).toEqual({ snapshot: 'nov.db' });
    expect(parseDesktopArgs(['--data-dir=/tmp/x'])).toEqual({ dataDir: '/tmp/x' });
    expect(parseDesktopArgs(['--snapshot'])).toEqual({});
  });

  it('maps files inside app.asar to their unpacked copies', () => {
    expect(unpackedPath('/opt/ClusterOps Console/resources/app.asar/build/example/snapshot.db')).toBe('/opt/ClusterOps Console/resources/app.asar.unpacked/build/example/snapshot.db');
    expect(unpackedPath('C:\\Apps\\resources\\app.asar\\build\\example\\snapshot.db')).toBe('C:\\Apps\\resources\\app.asar.unpacked\\build\\example\\snapshot.db');
    expect(unpackedPath('/work/main/build/example/snapshot.db')).toBe('/work/main/build/example/snapshot.db');
  });

  it('opens the example snapshot read-only for a data directory without clusters, as the desktop host', async () => {
    const services = { secrets: { get: async () => null, set: async () => undefined, delete: async () => undefined }, hostKeyPrompt: { ask: async () => 'reject' as const }, notifier: { notify: () => undefined } };
    const { running, note } = chooseDesktopCore({ dataDir: mkdtempSync(path.join(tmpdir(), 'clusterops-desk-')) }, services);
    try {
      expect(note).toMatch(/^example data/);
      const info = await running.core.api['app.info']({});
      expect(info).toMatchObject({ host: 'desktop', source: 'example', readonly: true });
      expect(await initialOpenAlerts(running.core.api)).toEqual(expect.any(Number));
    } finally {
      await running.close();
    }
  });
});
