// The window's security settings, navigation and permission rules, the app:// renderer server with its
// CSP, and the remembered window state.
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { APP_URL, CONTENT_SECURITY_POLICY, isAppUrl, rendererResponse } from '../../../electron/shell/protocol';
import { hardenContents, isExternalLink, restrictPermissions, webPreferences, windowOptions } from '../../../electron/shell/window';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState, stateOf } from '../../../electron/shell/window-state';
import { FakeWebContents, navigationEvent } from './electron-stub';

vi.mock('electron', () => import('./electron-stub'));

describe('window', () => {
  it('runs the page sandboxed, isolated, without Node', () => {
    const prefs = webPreferences('/app/dist/shell/preload.cjs', false);
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: false,
      preload: '/app/dist/shell/preload.cjs',
    });
    const opts = windowOptions({ width: 1000, height: 700, x: 10, y: 20, maximized: false }, '/p.cjs', true);
    expect(opts).toMatchObject({ width: 1000, height: 700, x: 10, y: 20, show: false });
    expect(opts.webPreferences?.devTools).toBe(true);
    expect(windowOptions({ width: 1000, height: 700, maximized: false }, '/p.cjs', false)).not.toHaveProperty('x');
  });

  it('blocks navigation and window.open; http(s) and mailto links go to the system browser, nothing else', () => {
    const contents = new FakeWebContents(1, APP_URL);
    const opened: string[] = [];
    hardenContents(contents as unknown as WebContents, (url) => opened.push(url));

    expect(contents.windowOpenHandler!({ url: 'https://slurm.schedmd.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: APP_URL })).toEqual({ action: 'deny' });

    const nav = navigationEvent('https://evil.example/phish');
    contents.emit('will-navigate', nav);
    expect(nav.defaultPrevented).toBe(true);
    const own = navigationEvent(APP_URL);
    contents.emit('will-navigate', own);
    expect(own.defaultPrevented).toBe(true);
    const js = navigationEvent('javascript:alert(1)');
    contents.emit('will-navigate', js);
    expect(js.defaultPrevented).toBe(true);

    const frameNav = navigationEvent('https://evil.example/');
    contents.emit('will-frame-navigate', frameNav);
    expect(frameNav.defaultPrevented).toBe(true);
    const redirect = navigationEvent('https://evil.example/');
    contents.emit('will-redirect', redirect);
    expect(redirect.defaultPrevented).toBe(true);
    const webview = navigationEvent('');
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);

    expect(opened).toEqual(['https://slurm.schedmd.com/', 'https://evil.example/phish']);
    expect(['http://x/', 'https://x/', 'mailto:a@b'].map(isExternalLink)).toEqual([true, true, true]);
    expect(['file:///x', 'app://clusterops/', 'smb://host/share', 'not a url'].map(isExternalLink)).toEqual([false, false, false, false]);
  });

  it('grants the page only clipboard writing, and only to our own origin', () => {
    let request: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
    let check: ((wc: unknown, permission: string, origin: string) => boolean) | null = null;
    restrictPermissions({
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    } as unknown as Session);
    const answers: boolean[] = [];
    const ours = new FakeWebContents(1, APP_URL);
    const foreign = new FakeWebContents(2, 'https://evil.example/');
    for (const p of ['clipboard-sanitized-write', 'notifications', 'media', 'geolocation', 'openExternal']) request!(ours, p, (g) => answers.push(g));
    request!(foreign, 'clipboard-sanitized-write', (g) => answers.push(g));
    expect(answers).toEqual([true, false, false, false, false, false]);
    expect(check!(ours, 'clipboard-sanitized-write', 'app://clusterops')).toBe(true);
    expect(check!(ours, 'clipboard-read', 'app://clusterops')).toBe(false);
    expect(check!(ours, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });
});

describe('app:// renderer server', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'clusterops-renderer-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'not for the page');

  it('serves the built renderer with the strict CSP on every response', async () => {
    const index = await rendererResponse(root, 'GET', 'app://clusterops/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await index.text()).toContain('id="root"');
    const js = await rendererResponse(root, 'GET', 'app://clusterops/assets/app.js');
    expect(js.headers.get('content-type')).toMatch(/text\/javascript/);
    const missing = await rendererResponse(root, 'GET', 'app://clusterops/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await rendererResponse(root, 'GET', 'app://clusterops/jobs')).status).toBe(200); // a client-side route
  });

  it('allows no inline script, eval, remote code or network from the page', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['default-src']).toBe("'none'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['connect-src']).toBe("'none'");
    expect(directives['object-src']).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('never serves a file outside the renderer folder, nor another host or scheme', async () => {
    expect((await rendererResponse(root, 'GET', 'app://clusterops/..%2Fsecret.txt')).status).toBe(404);
    expect((await rendererResponse(root, 'GET', 'app://clusterops/%2e%2e/secret.txt')).status).toBe(404);
    expect((await rendererResponse(root, 'GET', 'app://elsewhere/index.html')).status).toBe(404);
    expect((await rendererResponse(root, 'POST', 'app://clusterops/index.html')).status).toBe(405);
    expect((await rendererResponse(root, 'GET', 'app://clusterops/%E0%A4%A')).status).toBe(400);
    expect(isAppUrl('app://clusterops/index.html')).toBe(true);
    expect(isAppUrl('app://clusterops.evil/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
  });
});

describe('window state', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('is saved to a small 0600 JSON file and restored', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'clusterops-ws-')), 'sub', 'window-state.json');
    expect(loadWindowState(file, screens)).toEqual(DEFAULT_WINDOW_STATE);
    const win = { getNormalBounds: () => ({ x: 100, y: 80, width: 1200, height: 800 }), isMaximized: () => true };
    saveWindowState(file, stateOf(win));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
    expect(loadWindowState(file, screens)).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
  });

  it('forgets a place no screen shows any more, and ignores a broken file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-ws-'));
    const file = path.join(dir, 'window-state.json');
    saveWindowState(file, { x: 2500, y: 100, width: 1000, height: 700, maximized: false }); // on an unplugged monitor
    expect(loadWindowState(file, screens)).toEqual({ width: 1000, height: 700, maximized: false });
    expect(loadWindowState(file, [...screens, { x: 1920, y: 0, width: 1920, height: 1080 }])).toMatchObject({ x: 2500, y: 100 });
    writeFileSync(file, '{"width": "huge"');
    expect(loadWindowState(file, screens)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(file, JSON.stringify({ width: 5, height: 5 }));
    expect(loadWindowState(file, screens)).toEqual(DEFAULT_WINDOW_STATE);
  });
});
