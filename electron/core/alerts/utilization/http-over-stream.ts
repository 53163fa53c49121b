// One HTTP GET over a stream we already have (an SSH port forward), with a deadline and a size cap. TLS
// (https URLs) runs inside the stream, verified against the system's CAs for the URL's host name.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

export interface HttpGetOptions {
  host: string;
  port: number;
  path: string;
  tls: boolean;
  timeoutMs: number;
  maxBytes: number;
}

export interface HttpGetResult {
  status: number;
  contentType: string | null;
  body: string;
}

export function httpGetOverStream(stream: Duplex, o: HttpGetOptions): Promise<HttpGetResult> {
  const hostHeader = `${o.host.includes(':') ? `[${o.host}]` : o.host}${o.port === (o.tls ? 443 : 80) ? '' : `:${o.port}`}`;
  const socket: Duplex = o.tls ? tls.connect({ socket: stream as never, servername: /^[\d.]+$|:/.test(o.host) ? undefined : o.host }) : stream;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | null, result?: HttpGetResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        socket.destroy();
        stream.destroy();
        reject(err);
      } else {
        socket.destroy();
        stream.destroy();
        resolve(result as HttpGetResult);
      }
    };
    const timer = setTimeout(() => finish(new Error(`no complete answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    const req = http.request(
      {
        method: 'GET',
        path: o.path,
        headers: { Host: hostHeader, Accept: 'application/json', 'User-Agent': 'clusterops-console', Connection: 'close' },
        createConnection: () => socket as never,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > o.maxBytes) return finish(new Error(`the answer is larger than ${o.maxBytes} bytes`));
          chunks.push(chunk);
        });
        res.on('end', () =>
          finish(null, { status: res.statusCode ?? 0, contentType: (res.headers['content-type'] as string | undefined) ?? null, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (err) => finish(err));
      },
    );
    req.on('error', (err) => finish(err));
    req.end();
  });
}
