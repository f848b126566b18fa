import { Writable } from 'node:stream';

import { loadConfig } from '@buybuy/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';
import { securityHeaders } from '../src/plugins/security';
import { startTestApp, type TestApp } from './harness';

const ALLOWED = 'https://shop.example.com';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ corsOrigins: [ALLOWED, 'https://admin.example.com'] });
});
afterAll(() => t.close());

describe('security headers', () => {
  it('API responses forbid framing, sniffing and loading anything', async () => {
    for (const url of ['/v1/categories', '/v1/nope', '/health', '/openapi.json']) {
      const res = await t.rest('GET', url);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['content-security-policy'], url).toContain("default-src 'none'");
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
      expect(res.headers['cross-origin-resource-policy'], url).toBe('same-site');
      // HTML-document headers are not sent: they protect nothing on JSON (see security.ts).
      for (const header of ['cross-origin-opener-policy', 'x-xss-protection', 'x-download-options'])
        expect(res.headers[header], `${url} ${header}`).toBeUndefined();
    }
  });

  it('adds HSTS in production only', async () => {
    expect(securityHeaders(t.config)['strict-transport-security']).toBeUndefined();
    expect(securityHeaders({ ...t.config, env: 'production' })).toMatchObject({
      'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
      'x-frame-options': 'DENY',
    });
  });

  it('the reference page gets a policy that lets its own script run, and nothing foreign', async () => {
    const res = await t.rest('GET', '/docs/');
    expect(res.statusCode).toBe(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    t.app.inject({
      method: 'OPTIONS',
      url: '/v1/auth/login',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });

  it('answers a preflight from an allowed origin, without credentials', async () => {
    const res = await preflight(ALLOWED);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers']).toMatch(/authorization/i);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('gives a disallowed origin no CORS grant', async () => {
    const res = await preflight('https://evil.example.net');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const get = await t.rest('GET', '/v1/categories', {
      headers: { origin: 'https://evil.example.net' },
    });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets allowed browsers read Retry-After and the request id', async () => {
    const res = await t.rest('GET', '/v1/categories', { headers: { origin: ALLOWED } });
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-expose-headers']).toMatch(/Retry-After/);
    expect(res.headers['access-control-expose-headers']).toMatch(/X-Request-Id/);
  });
});

describe('request logs', () => {
  it('are JSON lines with the request id, and never carry the bearer token', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const config = {
      ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' }),
      database: t.config.database,
    };
    const app = await buildApp({ config, db: t.db.db, logger: { stream } });
    try {
      const token = 'secret-token-that-must-not-be-logged';
      const res = await app.inject({
        method: 'GET',
        url: '/v1/users/profile',
        headers: { authorization: `Bearer ${token}`, 'x-request-id': 'trace-42' },
      });
      expect(res.statusCode).toBe(401);
      const entries = lines.map((line) => JSON.parse(line) as { reqId?: string; msg?: string });
      expect(
        entries.filter((entry) => entry.reqId === 'trace-42').map((entry) => entry.msg),
      ).toEqual(['request completed']);
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await app.close();
    }
  });
});
