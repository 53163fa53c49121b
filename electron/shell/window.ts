// The console window and the rules every web page of the app lives under: sandboxed renderer with context
// isolation and no Node, no navigation away from the console, no new windows (http/https/mailto links go
// to the system browser instead), no <webview>, and no web permissions but writing the clipboard.
import type { BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';
import { isAppUrl } from './protocol';
import type { WindowState } from './window-state';

export function webPreferences(preload: string, development: boolean): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: development,
  };
}

export function windowOptions(state: WindowState, preload: string, development: boolean): BrowserWindowConstructorOptions {
  return {
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 900,
    minHeight: 600,
    title: 'ClusterOps Console',
    show: false, // shown on ready-to-show: no white flash
    backgroundColor: '#111418',
    webPreferences: webPreferences(preload, development),
  };
}

/** Links the system browser may open; anything else (file:, javascript:, custom schemes) is dropped. */
export function isExternalLink(url: string): boolean {
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Navigation and window rules for any WebContents the app creates. */
export function hardenContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url);
    return { action: 'deny' };
  });
  const stay = (event: { preventDefault(): void; url: string }) => {
    // The console is one page: any navigation is a link or an attack. Links open in the browser.
    event.preventDefault();
    if (isExternalLink(event.url)) openExternal(event.url);
  };
  contents.on('will-navigate', (event) => stay(event));
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** The page may write the clipboard (copy a job id); every other web permission is refused. */
export function restrictPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && isAppUrl(contents.getURL()));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingOrigin));
}
