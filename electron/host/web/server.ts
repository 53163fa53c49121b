// The plain-Node web host: serves the renderer and the API contract over a WebSocket on 127.0.0.1 only.
// Every request needs the session token; every WebSocket needs the token and our own Origin; every call is
// validated against the contract by dispatch().
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Api } from '../../../shared/api/contract';
import type { EventListener } from '../../../shared/api/events';
import { ApiError } from '../../../shared/api/errors';
import { WireRequest, encodeWireMessage, type WireReply } from '../../../shared/api/wire';
import { dispatch } from '../../core/dispatch';
import { COOKIE_NAME, allowedOrigins, cookieToken, hostHeaderAllowed, newToken, sameToken } from './auth';
import { serveStatic } from './static';

export interface WebHostOptions {
  api: Api;
  /** Core events to push to every connected page. */
  subscribe?: (listener: EventListener) => () => void;
  /** Folder with the built renderer (index.html + assets). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  token?: string;
  /** Largest WebSocket message accepted from a page, in bytes. */
  maxMessageBytes?: number;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function securityHeaders(port: number): Record<string, string> {
  const ws = allowedOrigins(port).map((o) => o.replace('http:', 'ws:')).join(' ');
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${ws}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const maxPayload = options.maxMessageBytes ?? 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload });
  let port = 0;

  const server: Server = createServer((req, res) => {
    const headers = securityHeaders(port);
    if (!hostHeaderAllowed(req, port)) {
      res.writeHead(421, headers).end('wrong host');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!sameToken(given, token)) {
        res.writeHead(401, headers).end('invalid token');
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...headers,
        'Set-Cookie': `${COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      });
      res.end();
      return;
    }
    if (!sameToken(cookieToken(req), token)) {
      res.writeHead(401, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ClusterOps Console: open the URL with the token that the host printed.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    serveStatic(options.rendererDir, url.pathname, res, headers).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, headers);
      res.end(String(err));
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const origin = req.headers.origin ?? '';
    const ok =
      hostHeaderAllowed(req, port) &&
      allowedOrigins(port).includes(origin) &&
      sameToken(cookieToken(req), token) &&
      new URL(req.url ?? '/', 'http://x').pathname === '/api';
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveApi(ws, options.api));
  });

  // Core events go to every open page as {event, payload} (no id: not a reply).
  const unsubscribe = options.subscribe?.((event, payload) => {
    const message = encodeWireMessage({ event, payload });
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(message);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe?.();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serveApi(ws: WebSocket, api: Api): void {
  ws.on('message', (data, isBinary) => {
    void (async () => {
      let id = -1;
      let reply: WireReply;
      try {
        if (isBinary) throw new ApiError('bad-request', 'binary messages are not part of the contract');
        const parsed = WireRequest.safeParse(JSON.parse(data.toString()));
        if (!parsed.success) throw new ApiError('bad-request', 'message is not {id, method, params}');
        id = parsed.data.id;
        const result = await dispatch(api, parsed.data.method, parsed.data.params);
        reply = { id, ok: true, result };
      } catch (err) {
        const body =
          err instanceof ApiError
            ? err.toBody()
            : err instanceof SyntaxError
              ? { code: 'bad-request', message: 'message is not JSON' }
              : { code: 'internal', message: err instanceof Error ? err.message : String(err) };
        reply = { id, ok: false, error: body };
      }
      if (ws.readyState !== ws.OPEN) return;
      // JSON text, or one binary frame when the result holds typed arrays (heatmap cells): see wire.ts.
      let frame: string | Uint8Array;
      try {
        frame = encodeWireMessage(reply);
      } catch (err) {
        frame = JSON.stringify({ id, ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } } satisfies WireReply);
      }
      ws.send(frame, { binary: typeof frame !== 'string' });
    })();
  });
}
