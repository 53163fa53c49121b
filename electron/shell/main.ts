// The desktop app's main process (bundled to dist/shell/main.js by build/shell.build.ts). Thin: it picks
// the core (electron/core), serves the built renderer on app://clusterops, wires the contract to IPC, and
// owns only what needs Electron — the window, menu, tray and badge, dialogs, notifications, safeStorage.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, Notification, Tray, app, dialog, ipcMain, nativeImage, protocol, safeStorage, screen, session, shell } from 'electron';
import type { Api } from '../../shared/api/contract';
import { SaveFileRequest } from '../../shared/api/methods/dialogs';
import type { RunningCore } from '../core/runtime/live';
import { RENDERER_DIST } from '../host/paths';
import { alertSummary, circleBitmap, createAlertBadge, initialOpenAlerts, watchOpenAlerts } from './badge';
import { chooseDesktopCore, parseDesktopArgs } from './desktop-core';
import { DialogHostKeyPrompt, showSaveFile } from './dialogs';
import { forwardEvents, ourMainFrameOnly, registerContract } from './ipc';
import { menuTemplate } from './menu';
import { ElectronNotifier, openAlertInWindow } from './notifier';
import { APP_URL, registerAppScheme, serveRenderer } from './protocol';
import { quitGracefully } from './quit';
import { SafeSecretStore } from './secret-store';
import { hardenContents, restrictPermissions, windowOptions } from './window';
import { loadWindowState, trackWindowState } from './window-state';

const APP_NAME = 'ClusterOps Console';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(HERE, 'preload.cjs');
const development = !app.isPackaged;

let win: BrowserWindow | null = null;
let tray: Tray | null = null;
const contents = () => (win && !win.isDestroyed() ? win.webContents : null);

app.setName(APP_NAME); // the user-data folder (window state, secrets) is the same packaged or not
app.enableSandbox(); // every renderer, not only the windows we configure
registerAppScheme(protocol);

function showWindow(): BrowserWindow | null {
  if (!win || win.isDestroyed()) {
    if (!app.isReady()) return null;
    win = createWindow();
    return win;
  }
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  return win;
}

function createWindow(): BrowserWindow {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(
    stateFile,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const w = new BrowserWindow(windowOptions(state, PRELOAD, development));
  trackWindowState(w, stateFile);
  w.once('ready-to-show', () => {
    if (state.maximized) w.maximize();
    w.show();
  });
  w.on('closed', () => {
    if (win === w) win = null;
  });
  void w.loadURL(APP_URL);
  return w;
}

function createTray(onQuit: () => void): Tray | null {
  try {
    const icon = nativeImage.createFromBitmap(circleBitmap(32, [38, 166, 154]), { width: 32, height: 32, scaleFactor: 2 });
    const t = new Tray(icon);
    t.setToolTip(alertSummary(0));
    t.setContextMenu(Menu.buildFromTemplate([{ label: `Show ${APP_NAME}`, click: () => showWindow() }, { type: 'separator' }, { label: 'Quit', click: onQuit }]));
    t.on('click', () => showWindow());
    return t;
  } catch (err) {
    // Some Linux desktops have no status area; the window and the launcher badge still work.
    console.warn(`no tray icon: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

function fatal(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  console.error(message);
  dialog.showErrorBox(`${APP_NAME} cannot start`, message);
  app.exit(1);
}

async function start(): Promise<void> {
  restrictPermissions(session.defaultSession);
  serveRenderer(protocol, RENDERER_DIST);

  const args = parseDesktopArgs(process.argv.slice(1));
  const notifier = new ElectronNotifier(Notification, (alertId) => openAlertInWindow(showWindow(), alertId));
  const hostKeyPrompt = new DialogHostKeyPrompt(dialog, () => win);
  const services = {
    secrets: new SafeSecretStore({ safeStorage, dir: path.join(app.getPath('userData'), 'secrets') }),
    hostKeyPrompt,
    notifier,
  };
  const { running, note }: { running: RunningCore; note: string } = chooseDesktopCore(args, services);
  console.log(`${APP_NAME}: showing ${note}`);

  // The core's API, plus what only the desktop has: a native save dialog.
  const api: Api = {
    ...running.core.api,
    'dialogs.saveFile': (request) => showSaveFile(dialog, () => win, app.getPath('documents'), SaveFileRequest.parse(request)),
  };
  const unregister = registerContract(ipcMain, api, ourMainFrameOnly(contents));
  const stopEvents = forwardEvents((l) => running.core.on(l), contents);

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        platform: process.platform,
        appName: APP_NAME,
        development,
        showDataFile: () => shell.showItemInFolder(running.core.context.store.path),
      }),
    ),
  );

  tray = createTray(() => app.quit());
  const redDot = nativeImage.createFromBitmap(circleBitmap(16, [220, 38, 38]), { width: 16, height: 16 });
  const showOpenAlerts = createAlertBadge({
    setBadgeCount: (n) => app.setBadgeCount(n),
    tray,
    ...(process.platform === 'win32' ? { setOverlay: (n: number) => win?.setOverlayIcon(n > 0 ? redDot : null, alertSummary(n)) } : {}),
  });
  let changed = false;
  const stopBadge = watchOpenAlerts(
    (l) => running.core.on(l),
    (open) => {
      changed = true;
      showOpenAlerts(open);
    },
  );
  void initialOpenAlerts(running.core.api).then((open) => {
    if (open !== null && !changed) showOpenAlerts(open);
  });

  quitGracefully(app, async () => {
    hostKeyPrompt.close(); // a connection waiting for an answer gives up now, not after the prompt's timeout
    stopBadge();
    stopEvents();
    unregister();
    await running.close();
    tray?.destroy();
  });
  app.on('window-all-closed', () => {
    // macOS apps stay in the dock (and keep collecting) until quit; elsewhere closing the window quits.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => showWindow());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

  win = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another console is running (it owns the cache and the cluster connections): it comes to the front.
  app.quit();
} else {
  if (process.platform === 'win32') app.setAppUserModelId('org.clusterops.console');
  app.on('second-instance', () => showWindow());
  app.on('web-contents-created', (_event, created) => hardenContents(created, (url) => void shell.openExternal(url)));
  app.whenReady().then(start).catch(fatal);
}
