import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createAuth } from '@buybuy/auth';
import { loadConfig } from '@buybuy/config';
import { categories, users } from '@buybuy/db';
import {
  createTestDatabase,
  freePort,
  startTestSearchd,
  type TestDatabase,
} from '@buybuy/db/testing';
import { eq } from 'drizzle-orm';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import tsupConfig from '../tsup.config';

/**
 * The built server (`pnpm build`'s bundle, built here into a folder of this
 * test's own) stops on SIGINT, Ctrl-C, as it stops on SIGTERM: exit code 0,
 * and one line saying so. Built under node_modules/.cache so the bundle finds
 * the package's dependencies, as dist/server.js does.
 */
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(serverDir, 'node_modules', '.cache', `shutdown-test-${process.pid}`);
let db: TestDatabase;
let server: ChildProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  const options = Array.isArray(tsupConfig) ? tsupConfig[0] : tsupConfig;
  if (typeof options !== 'object') throw new Error('tsup.config.ts should export one object');
  await build({ ...options, outDir, silent: true, sourcemap: false });
}, 120_000);
afterAll(async () => {
  server?.kill('SIGKILL');
  await db?.drop();
  await rm(outDir, { recursive: true, force: true });
});

const JWT_SECRET = 'a-production-secret-that-is-long-enough-0123456789';

interface StartedServer {
  port: number;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/** The built server on a free port, once /health answers. */
async function startServer(
  env: string,
  extra: Record<string, string> = {},
): Promise<StartedServer> {
  const port = await freePort();
  let output = '';
  server = spawn(process.execPath, [join(outDir, 'server.js')], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      LOG_LEVEL: 'info',
      JWT_SECRET,
      // Production needs one; nothing is sent during this test.
      SMTP_URL: 'smtp://127.0.0.1:2525',
      UPLOADS_DIR: join(outDir, 'uploads'),
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = server;
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  for (let tries = 0; ; tries += 1) {
    const answer = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
    if (answer?.ok) break;
    if (tries > 300 || child.exitCode !== null) throw new Error(`never came up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, output: () => output, exited };
}

/** Resolves once nothing listens on the port any more (the server has begun to close). */
async function untilRefused(port: number) {
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the built server', () => {
  it.each(['development', 'production'])(
    'exits 0 with one line on SIGINT (NODE_ENV=%s)',
    async (env) => {
      const { output, exited } = await startServer(env);
      // Give the start-up lines time to be written before drawing the line.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = output().length;

      server!.kill('SIGINT');
      const [code, signal] = await exited;
      server = undefined;

      expect({ code, signal }, output()).toEqual({ code: 0, signal: null });
      const lines = output().slice(before).split('\n').filter(Boolean);
      expect(lines, output()).toHaveLength(1);
      expect(lines[0]).toMatch(/stopped on SIGINT/);
    },
    60_000,
  );
});

describe('the built server with SEARCH_ENGINE_URL', () => {
  it('fills the engine, searches through it, and closes it on SIGTERM', async () => {
    const searchd = await startTestSearchd();
    try {
      const { port, output, exited } = await startServer('production', {
        SEARCH_ENGINE_URL: searchd.url,
        // A statement slowed by a loaded machine warns "slow query"; not what is checked here.
        SLOW_QUERY_MS: '0',
      });
      await vi.waitFor(
        async () => {
          const ready = await fetch(`http://127.0.0.1:${port}/ready`);
          expect(await ready.json()).toMatchObject({ status: 'ok', search_engine: 'ok' });
        },
        { timeout: 15_000, interval: 100 },
      );
      const found = await fetch(`http://127.0.0.1:${port}/v1/products?search=lamp`);
      expect(found.status).toBe(200);
      expect(output()).toMatch(/searches go to the search engine/);
      server!.kill('SIGTERM');
      const [code, signal] = await exited;
      server = undefined;
      expect({ code, signal }, output()).toEqual({ code: 0, signal: null });
      // Not one warning or error (a feed still running when the pools closed would be one).
      const warnings = output()
        .split('\n')
        .filter((line) => /"level":(40|50)/.test(line));
      expect(warnings).toEqual([]);
    } finally {
      await searchd.stop();
    }
  }, 60_000);
});

describe('SIGTERM with a request whose client hung up', () => {
  it('lets its handler finish before the pools close', async () => {
    const [category] = await db.db
      .insert(categories)
      .values({ name: 'Before', slug: 'drained' })
      .$returningId();
    const [admin] = await db.db
      .insert(users)
      .values({
        username: 'drainer',
        email: 'drainer@example.com',
        password_hash: 'not-used',
        is_staff: true,
      })
      .$returningId();
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET });
    const { access_token: token } = await createAuth({ db: db.db, ...config.auth }).signIn(
      admin!.id,
    );
    const { port, output, exited } = await startServer('production');

    // The category's row is held, so the update the request makes waits in MariaDB.
    const lock = await db.pool.getConnection();
    await lock.query('START TRANSACTION');
    await lock.query('SELECT id FROM categories WHERE id = ? FOR UPDATE', [category!.id]);
    const client = new AbortController();
    const request = fetch(`http://127.0.0.1:${port}/v1/categories/${category!.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'After' }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    // Until MariaDB shows the update running behind the lock. (INNODB_TRX does not
    // list an autocommit statement's lock wait on every MariaDB 10.11; the
    // process list shows the statement itself on all of them.)
    let settled = false;
    void request.finally(() => (settled = true));
    for (;;) {
      const [rows] = await db.pool.query(
        `SELECT COUNT(*) AS waiting FROM information_schema.PROCESSLIST
          WHERE DB = ? AND COMMAND = 'Query' AND INFO LIKE 'update \`categories\`%'`,
        [db.name],
      );
      if (Number((rows as Array<{ waiting: number }>)[0]!.waiting) > 0) break;
      if (settled) throw new Error(`the request ended before it reached the lock:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // The client hangs up, then the instance is told to stop: its socket is gone, its handler is not.
    client.abort();
    expect(await request).toBeInstanceOf(Error);
    server!.kill('SIGTERM');
    await untilRefused(port);
    await lock.query('COMMIT');
    lock.release();

    const [code, signal] = await exited;
    server = undefined;
    expect({ code, signal }, output()).toEqual({ code: 0, signal: null });
    expect(output()).toMatch(/stopped on SIGTERM/);
    expect(output()).not.toMatch(/Pool is closed|closed state/);
    // No error-level (50) record: the handler ran to its end on open pools.
    expect(output()).not.toMatch(/"level":50/);
    const [row] = await db.db.select().from(categories).where(eq(categories.id, category!.id));
    expect(row!.name).toBe('After');
  }, 60_000);
});
