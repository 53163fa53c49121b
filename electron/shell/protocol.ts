// The renderer is served from our own scheme, app://clusterops/, not file://: a file:// page may read any
// local file and shares its origin with every other file, whereas app://clusterops is an origin of its
// own that serves only the built renderer, each response with the strict Content-Security-Policy.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { CONTENT_TYPES } from '../host/web/static';

export const APP_SCHEME = 'app';
export const APP_HOST = 'clusterops';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The web host's policy minus the WebSocket: the desktop page talks to nothing but the preload. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};


/** Whether a URL is a page of ours (app://clusterops/...). `new URL().origin` is "null" for custom schemes. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Must run before the app is ready: app:// is a standard, secure origin (module scripts, fetch of assets). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rendererDir, request.method, request.url));
}

/** The answer to one app:// request: a file of the built renderer, or an error; never a file outside it. */
export async function rendererResponse(rendererDir: string, method: string, url: string): Promise<Response> {
  const root = path.resolve(rendererDir);
  const fail = (status: number, text: string) => new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
  if (method !== 'GET' && method !== 'HEAD') return fail(405, 'method not allowed');
  if (!isAppUrl(url)) return fail(404, 'not found');
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, '');
  } catch {
    return fail(400, 'bad path');
  }
  const file = path.resolve(root, rel === '' ? 'index.html' : rel);
  if (file !== root && !file.startsWith(root + path.sep)) return fail(404, 'not found');
  // Paths without an extension are client-side routes: they get the app; a missing asset is a 404.
  const target = (await isFile(file)) ? file : path.extname(file) === '' ? path.join(root, 'index.html') : null;
  if (!target) return fail(404, 'not found');
  const body = method === 'HEAD' ? null : await readFile(target);
  return new Response(body, {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[path.extname(target)] ?? 'application/octet-stream' },
  });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
