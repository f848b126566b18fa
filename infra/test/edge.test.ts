import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { connect as connectHttp2 } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { promisify } from 'node:util';

import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { type EdgeClient, edgeClient } from './edge-client';
import { AppProcess, buildDeployable, type BuiltApp, freePort, untilReady } from './edge-instances';
import { type LedgerEntry, startLoad } from './edge-load';
import {
  type EdgeLayout,
  makeCertificate,
  type RunningNginx,
  startNginx,
  writeAppFixtures,
} from './edge-nginx';

/**
 * The edge as production runs it: Debian's nginx on infra/nginx.conf (TLS
 * with a certificate made here), three instances of the built server
 * (production mode, one database, Redis) and the job worker. First what the
 * config promises: TLS 1.2+, HTTP/2, the redirect, HSTS, caching, gzip, one
 * request id from nginx to the server. Then reads and writes through the
 * edge while one instance is killed (SIGKILL) and restarted, and all three
 * are restarted in turn (SIGTERM): no GET fails, and the ledger of
 * acknowledged writes matches the database, none lost or doubled.
 */
const INSTANCES = 3;
const PASSWORD = 'edge-admin-password';
const HSTS = 'max-age=31536000; includeSubDomains';
const ASSET = '/assets/index-3f2a9c1b.js';
const exec = promisify(execFile);

let workDir: string;
let db: TestDatabase;
let serverBuild: BuiltApp;
let workerBuild: BuiltApp;
let layout: EdgeLayout;
let ca: string;
let nginx: RunningNginx | undefined;
let client: EdgeClient;
let token: string;
const keyPrefix = `test:edge:${randomBytes(4).toString('hex')}`;
const instances: AppProcess[] = [];
let worker: AppProcess;

/** What every process of the deployment shares. */
function sharedEnvironment(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: keyPrefix,
    JWT_SECRET: 'an-edge-test-secret-that-is-long-enough-0123456789',
    // Required in production; these tests send no email.
    SMTP_URL: 'smtp://127.0.0.1:2525',
    UPLOADS_DIR: join(workDir, 'uploads'),
    LOG_LEVEL: 'info',
  };
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'buybuy-edge-'));
  [db, serverBuild, workerBuild] = await Promise.all([
    createTestDatabase(),
    buildDeployable('server'),
    buildDeployable('worker'),
  ]);
  // Taken together, so no two are the same.
  const [http, https, ...ports] = await Promise.all(
    Array.from({ length: INSTANCES + 2 }, freePort),
  );
  layout = {
    dir: workDir,
    upstreams: ports,
    http: http!,
    https: https!,
    tlsDir: join(workDir, 'tls'),
    htmlDir: join(workDir, 'html'),
  };
  ca = await makeCertificate(layout.tlsDir);
  await writeAppFixtures(layout.htmlDir);

  const apiEnvironment = {
    ...sharedEnvironment(),
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://localhost',
    // nginx is the one proxy in front: its X-Forwarded-* are the caller's.
    TRUST_PROXY: 'true',
    // The whole load comes from one address.
    RATE_LIMIT_MAX: '1000000',
  };
  for (const [index, port] of ports.entries()) {
    const instance = new AppProcess(
      `api ${index + 1}`,
      serverBuild,
      'server.js',
      { ...apiEnvironment, PORT: String(port) },
      (started) => untilReady(started, port),
    );
    instances.push(instance);
  }
  worker = new AppProcess('worker', workerBuild, 'worker.js', sharedEnvironment());
  await Promise.all([...instances.map((instance) => instance.start()), worker.start()]);
  nginx = await startNginx(layout, ca);
  client = edgeClient(layout.https, ca);

  // An admin made by the image's operator command, signed in through the edge.
  await exec(
    process.execPath,
    [
      join(serverBuild.outDir, 'create-admin.js'),
      '--email',
      'edge@example.com',
      '--username',
      'edge',
      '--password',
      PASSWORD,
    ],
    { cwd: serverBuild.dir, env: { PATH: process.env.PATH ?? '', ...sharedEnvironment() } },
  );
  const login = await client.send('/v1/auth/login', {
    method: 'POST',
    body: { email: 'edge@example.com', password: PASSWORD },
  });
  expect(login.status, login.body).toBe(200);
  token = (JSON.parse(login.body) as { data: { tokens: { access_token: string } } }).data.tokens
    .access_token;
}, 240_000);

afterAll(async () => {
  client?.close();
  await nginx?.stop();
  for (const child of [...instances, worker]) if (child?.running) await child.stop('SIGKILL');
  await db?.drop();
  await removeRedisKeys(keyPrefix);
  for (const dir of [workDir, serverBuild?.outDir, workerBuild?.outDir])
    if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

/** The deployment's keys (cache, idempotency, rate limits, the job queue), by redis-cli. */
async function removeRedisKeys(prefix: string) {
  const { stdout } = await exec('redis-cli', ['--scan', '--pattern', `*${prefix}*`]);
  const keys = stdout.split('\n').filter(Boolean);
  for (let start = 0; start < keys.length; start += 500)
    await exec('redis-cli', ['del', ...keys.slice(start, start + 500)]);
}

/** The TLS version and cipher nginx agrees to with a client limited by `options`. */
function handshake(options: ConnectionOptions) {
  return new Promise<{ protocol: string | null; cipher: string }>((resolve, reject) => {
    const socket = connectTls(
      { host: '127.0.0.1', port: layout.https, ca, servername: 'localhost', ...options },
      () => {
        resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name });
        socket.destroy();
      },
    );
    socket.once('error', reject);
  });
}

describe('the edge config', () => {
  it('answers plain HTTP with a redirect to the same host and path over HTTPS', async () => {
    const answer = await new Promise<{ status?: number; location?: string }>((resolve, reject) => {
      get(
        {
          host: '127.0.0.1',
          port: layout.http,
          path: '/products?page=2',
          headers: { host: 'localhost' },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode, location: res.headers.location });
        },
      ).once('error', reject);
    });
    expect(answer).toEqual({ status: 301, location: 'https://localhost/products?page=2' });
  });

  it('speaks TLS 1.2 and 1.3 with forward-secret AEAD ciphers, and nothing older', async () => {
    expect((await handshake({})).protocol).toBe('TLSv1.3');
    const tls12 = await handshake({ maxVersion: 'TLSv1.2' });
    expect(tls12.protocol).toBe('TLSv1.2');
    expect(tls12.cipher).toMatch(/^ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
    // The client allows TLS 1.1 and weak settings; only nginx can refuse.
    await expect(
      handshake({ minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
    ).rejects.toThrow();
    // A cipher without forward secrecy is refused under TLS 1.2 as well.
    await expect(handshake({ maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA256' })).rejects.toThrow();
  });

  it('offers HTTP/2 and proxies the API over it', async () => {
    const session = connectHttp2(`https://127.0.0.1:${layout.https}`, {
      ca,
      servername: 'localhost',
    });
    try {
      const { status, body } = await new Promise<{ status: number; body: string }>(
        (resolve, reject) => {
          const stream = session.request({ ':path': '/v1/categories', ':authority': 'localhost' });
          let status = 0;
          let body = '';
          stream.on('response', (headers) => (status = Number(headers[':status'])));
          stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
          stream.on('end', () => resolve({ status, body }));
          stream.on('error', reject);
        },
      );
      expect(session.alpnProtocol).toBe('h2');
      expect(status).toBe(200);
      expect(JSON.parse(body)).toMatchObject({ success: true });
    } finally {
      session.close();
    }
  });

  it('serves each app: hashed assets for a year, index.html revalidated, its routes to the app', async () => {
    const index = await client.send('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>storefront</title>');
    expect(index.headers['cache-control']).toBe('no-cache');

    const route = await client.send('/products/42');
    expect(route.body).toContain('<title>storefront</title>');
    expect(route.headers['cache-control']).toBe('no-cache');

    const asset = await client.send(ASSET);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await client.send('/assets/index-00000000.js')).status).toBe(404);

    const admin = await client.send('/orders', { host: 'admin.localhost' });
    expect(admin.body).toContain('<title>admin</title>');
    expect(admin.headers['cache-control']).toBe('no-cache');
  });

  it('sends HSTS once on every answer, the files and the API alike', async () => {
    for (const path of ['/', ASSET, '/v1/categories', '/v1/no-such-thing']) {
      const answer = await client.send(path);
      expect([path, answer.headers['strict-transport-security']]).toEqual([path, HSTS]);
    }
  });

  it('compresses JSON answers and assets for clients that accept gzip', async () => {
    const headers = { 'accept-encoding': 'gzip' };
    const json = await client.send('/openapi.json', { headers });
    expect(json.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(json.body)).toHaveProperty('openapi');
    const asset = await client.send(ASSET, { headers });
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(asset.body).toContain('export const lines');
  });

  it('gives nginx and the server one request id: the caller’s when sane, else nginx’s', async () => {
    const given = await client.send('/v1/categories', {
      headers: { 'x-request-id': 'edge-check-1' },
    });
    expect(given.headers['x-request-id']).toBe('edge-check-1');

    const garbage = await client.send('/v1/categories', {
      headers: { 'x-request-id': 'x'.repeat(300) },
    });
    const made = garbage.headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f]{32}$/); // nginx's $request_id

    const log = await nginx!.accessLog();
    expect(log).toMatch(/"GET \/v1\/categories HTTP\/1\.1" 200 .* rid=edge-check-1 /);
    expect(log).toContain(`rid=${made} `);
    // An instance writes its line once the response is done: maybe after the client has it.
    await vi.waitFor(() => {
      const served = instances.map((instance) => instance.output).join('\n');
      expect(served).toContain(`"reqId":"edge-check-1"`);
      expect(served).toContain(`"reqId":"${made}"`);
    });
  });
});

describe('three instances behind the edge', () => {
  it('lose no GET and no acknowledged write through a SIGKILL and a rolling restart', async () => {
    const reads = [
      '/v1/categories',
      '/v1/products?per_page=5',
      `/trpc/categories.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`,
      '/',
      ASSET,
    ];
    const load = startLoad(client, { token, reads, readers: 2, writers: 2 });
    await load.progress(30, 10);

    // One instance dies with requests under way: nginx retries the GETs on the others.
    const [killed] = instances;
    expect(await killed!.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await load.progress(30, 10);
    await killed!.start();
    await untilServing(killed!);

    // Each in turn: SIGTERM drains it (it exits 0), and it comes back.
    for (const instance of instances) {
      const ended = await instance.stop('SIGTERM');
      expect(ended, instance.output).toEqual({ code: 0, signal: null });
      expect(lastRun(instance)).toMatch(/stopped on SIGTERM: in-flight requests finished/);
      await load.progress(20, 5);
      await instance.start();
      await untilServing(instance);
    }
    const report = await load.stop();

    expect(report.failedGets).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(await ledgerProblems(report.ledger)).toEqual([]);
    for (const instance of instances) {
      // Failed handlers log at error (50); none here, and no pool closed under one.
      expect(instance.output).not.toMatch(/"level":50|Pool is closed/);
    }
    expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 300_000);

  it('answers in the envelope, 503 with Retry-After, when no instance can', async () => {
    for (const instance of instances) await instance.stop('SIGTERM');
    for (const path of ['/v1/categories', '/trpc/categories.list']) {
      const answer = await client.send(path);
      expect([path, answer.status, answer.headers['retry-after']]).toEqual([path, 503, '5']);
      expect(JSON.parse(answer.body)).toMatchObject({
        success: false,
        errors: [{ field: null, code: 'SERVICE_UNAVAILABLE' }],
      });
    }
  });
});

/** What the instance printed since its latest start. */
function lastRun(instance: AppProcess): string {
  return instance.output.slice(instance.output.lastIndexOf(`--- ${instance.name} starts`));
}

/** Resolves once nginx sends the (re)started instance requests again: it logged one. */
async function untilServing(instance: AppProcess) {
  while (!lastRun(instance).includes('"msg":"request completed"')) {
    if (!instance.running) throw new Error(`${instance.name} exited:\n${instance.output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The ledger against the database: every acknowledged write is there once,
 * with the id its 201 named; a write never acknowledged (its answer lost, its
 * retries exhausted) is there at most once; no row is there that nobody wrote.
 */
async function ledgerProblems(ledger: LedgerEntry[]) {
  const [rows] = await db.pool.query("SELECT id, name FROM categories WHERE name LIKE 'edge %'");
  const idsByName = new Map<string, number[]>();
  for (const { id, name } of rows as Array<{ id: number; name: string }>)
    idsByName.set(name, [...(idsByName.get(name) ?? []), id]);
  const problems: string[] = [];
  const acknowledged = ledger.filter((entry) => entry.state === 'acknowledged');
  expect(acknowledged.length).toBeGreaterThan(0);
  for (const entry of ledger) {
    const ids = idsByName.get(entry.name) ?? [];
    idsByName.delete(entry.name);
    if (entry.state === 'acknowledged' && (ids.length !== 1 || ids[0] !== entry.id))
      problems.push(`${entry.name}: acknowledged as ${entry.id}, stored as [${ids.join(', ')}]`);
    if (entry.state === 'unacknowledged' && ids.length > 1)
      problems.push(`${entry.name}: never acknowledged, stored ${ids.length} times`);
  }
  for (const [name, ids] of idsByName)
    problems.push(`${name}: stored as [${ids.join(', ')}], never sent`);
  return problems;
}
