// The web host's access checks: a random token (given once in the URL, then an HttpOnly cookie), the Host
// header (against DNS rebinding) and, for WebSockets, the Origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE_NAME = 'clusterops_token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sameToken(a: string | undefined | null, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE_NAME) return rest.join('=');
  }
  return null;
}

/** The origins a page served by this host has: only loopback names on our own port. */
export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function hostHeaderAllowed(req: IncomingMessage, port: number): boolean {
  return allowedOrigins(port).some((o) => o === `http://${req.headers.host ?? ''}`);
}
