import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { type Config, loadConfig } from '@buybuy/config';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';
import { REFERENCE_CONFIGURATION, ROOT_INDEX } from '../src/plugins/docs';

/**
 * What a newcomer meets on the first `pnpm dev`: no warning about a missing
 * uploads directory, one short log line per request, something useful at
 * `/`, and a reference page with an introduction and without vendor extras.
 * Its own apps (not the harness), to choose the environment and read the logs.
 */
let db: TestDatabase;
const scratch = join(tmpdir(), `buybuy-first-start-${randomBytes(6).toString('hex')}`);
const apps: FastifyInstance[] = [];

function collect(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

async function start(env: Config['env'], uploadsDir: string, stream: Writable) {
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', BCRYPT_COST: '4' });
  const config: Config = {
    ...base,
    env,
    database: { ...base.database, url: db.url },
    uploads: { ...base.uploads, dir: uploadsDir },
  };
  const app = await buildApp({ config, db: db.db, logger: { stream } });
  apps.push(app);
  await app.ready();
  return app;
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await db?.drop();
  await rm(scratch, { recursive: true, force: true });
});

describe('the first start', () => {
  it('creates a missing uploads directory instead of warning about it', async () => {
    const dir = join(scratch, 'not', 'there', 'uploads');
    expect(existsSync(dir)).toBe(false);
    const { stream, lines } = collect();
    await start('development', dir, stream);
    expect(existsSync(dir)).toBe(true);
    expect(lines.join('\n')).not.toMatch(/must exist/);
  });
});

describe('request logs', () => {
  it('are one short line per request in development, none for probes and static files', async () => {
    const { stream, lines } = collect();
    const app = await start('development', join(scratch, 'dev'), stream);
    lines.length = 0;

    expect((await app.inject({ method: 'GET', url: '/v1/categories' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/nowhere' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    await app.inject({ method: 'GET', url: '/uploads/missing.webp' });

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: GET \/v1\/categories 200 \d+ ms$/);
    expect(lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: GET \/v1\/nowhere 404 \d+ ms$/);
  });

  it('are one JSON record per request outside development (request-logs.test.ts has the rest)', async () => {
    const { stream, lines } = collect();
    const app = await start('production', join(scratch, 'prod'), stream);
    lines.length = 0;

    expect((await app.inject({ method: 'GET', url: '/v1/categories' })).statusCode).toBe(200);

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => record.msg)).toEqual(['request completed']);
    expect(records[0]).toMatchObject({
      reqId: expect.any(String),
      method: 'GET',
      path: '/v1/categories',
      status: 200,
      durationMs: expect.any(Number),
    });
  });
});

describe('GET /', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await start('test', join(scratch, 'root'), collect().stream);
  });

  it('answers an index of where to go, outside the /v1 envelope', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual(ROOT_INDEX);
    // Every page it links to answers (/docs by way of /docs/).
    for (const path of ['/docs/', '/openapi.json', '/health', '/ready']) {
      expect((await app.inject({ method: 'GET', url: path })).statusCode, path).toBe(200);
    }
    const docs = await app.inject({ method: 'GET', url: ROOT_INDEX.links.docs });
    expect(docs.headers.location).toBe('/docs/');
  });

  it('sends a browser to the reference', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/',
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/docs');
  });
});

describe('the reference at /docs', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await start('test', join(scratch, 'docs'), collect().stream);
  });

  it('turns off the vendor extras (developer tools, Generate SDK, Ask AI, MCP)', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(html).toContain('<title>BuyBuy API reference</title>');
    const configuration = readConfiguration(html);
    expect(configuration).toMatchObject({
      url: '/openapi.json',
      showDeveloperTools: 'never',
      agent: { disabled: true },
      mcp: { disabled: true },
    });
    const { pageTitle: _shownAsTheTitle, ...handedToTheScript } = REFERENCE_CONFIGURATION;
    expect(configuration).toMatchObject(handedToTheScript);
  });

  it('opens with an introduction: what the API is, auth, the envelope, rate limits, the SDK', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      info: { description?: string };
    }>();
    const introduction = document.info.description ?? '';
    for (const heading of ['## Authentication', '## The envelope', '## Rate limits', '## Clients'])
      expect(introduction).toContain(heading);
    expect(introduction).toContain('e-commerce backend');
    expect(introduction).toContain('Authorization: Bearer');
    expect(introduction).toContain('@buybuy/client');
    // The numbers it gives are the configuration's defaults.
    const { rateLimit } = loadConfig({ NODE_ENV: 'development' });
    expect(rateLimit.windowSeconds).toBe(60);
    expect(introduction).toContain(`by default ${rateLimit.max} calls a minute`);
    expect(introduction).toContain(`and ${rateLimit.authMax} a minute for sign-in`);
  });
});

/** The configuration object the page hands to the reference script. */
function readConfiguration(html: string): Record<string, unknown> {
  const found = /createApiReference\([^,]+,\s*(\{[\s\S]*?\})\s*\)\s*<\/script>/.exec(html);
  expect(found, 'the page starts the reference with its configuration').not.toBeNull();
  return JSON.parse(found![1]!) as Record<string, unknown>;
}
