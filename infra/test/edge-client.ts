import { Agent, request } from 'node:https';
import { gunzipSync } from 'node:zlib';

export interface EdgeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text, gunzipped when nginx compressed it. */
  body: string;
}

export interface EdgeRequest {
  method?: string;
  /** The Host header and the TLS server name (the admin is admin.localhost). */
  host?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * HTTPS to nginx on 127.0.0.1, trusting only the test's self-signed
 * certificate (checked against the host name, as a browser would), over
 * kept-alive connections like a browser's.
 */
export function edgeClient(port: number, ca: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca });
  const send = (path: string, options: EdgeRequest = {}) =>
    new Promise<EdgeAnswer>((resolve, reject) => {
      const host = options.host ?? 'localhost';
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: options.method ?? 'GET',
          agent,
          servername: host,
          headers: {
            host,
            'accept-encoding': 'identity',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...options.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const gzipped = res.headers['content-encoding'] === 'gzip';
            resolve({
              status: res.statusCode!,
              headers: res.headers,
              body: (gzipped ? gunzipSync(raw) : raw).toString('utf8'),
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

export type EdgeClient = ReturnType<typeof edgeClient>;
