import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { carts, sessions, users } from '@buybuy/db';
import { createTestDatabase, freePort, type TestDatabase } from '@buybuy/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `pnpm dev` on a bare machine: no REDIS_URL, so the server runs the jobs
 * itself, through the same definitions the worker uses; the sweeps run at
 * start and hourly, and /metrics counts the in-process queue.
 */
const serverDir = fileURLToPath(new URL('..', import.meta.url));
let db: TestDatabase;
let server: ChildProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  server?.kill('SIGKILL');
  await db.drop();
});

describe('jobs without Redis', () => {
  it('run in the API process: the sweeps delete what expired, and /metrics counts the queue', async () => {
    const [user] = await db.db
      .insert(users)
      .values({ username: 'ann', email: 'ann@example.com', password_hash: 'x' })
      .$returningId();
    const live = randomBytes(32).toString('hex');
    await db.db.insert(sessions).values([
      {
        id: randomBytes(32).toString('hex'),
        userId: user!.id,
        familyId: 'a',
        expiresAt: new Date(Date.now() - 1000),
      },
      { id: live, userId: user!.id, familyId: 'b', expiresAt: new Date(Date.now() + 3600_000) },
    ]);
    const [recent] = await db.db
      .insert(carts)
      .values({ token_hash: randomBytes(32).toString('hex') })
      .$returningId();
    await db.db.insert(carts).values({
      token_hash: randomBytes(32).toString('hex'),
      updated_at: new Date(Date.now() - 8 * 24 * 3600_000),
    });

    const port = await freePort();
    let output = '';
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: serverDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        LOG_LEVEL: 'info',
        GUEST_CART_RETENTION_DAYS: '7',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(server, 'exit');

    for (let tries = 0; ; tries += 1) {
      const sessionsLeft = await db.db.select({ id: sessions.id }).from(sessions);
      const cartsLeft = await db.db.select({ id: carts.id }).from(carts);
      if (sessionsLeft.length === 1 && cartsLeft.length === 1) {
        expect(sessionsLeft).toEqual([{ id: live }]);
        expect(cartsLeft).toEqual([{ id: recent!.id }]);
        break;
      }
      if (tries > 400 || server.exitCode !== null) throw new Error(`never swept:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // pino-pretty writes from a worker thread: the line may trail the sweeps a little.
    for (let tries = 0; !/background jobs live in this process only/.test(output); tries += 1) {
      if (tries > 100) throw new Error(`no line about jobs in this process:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((response) =>
      response.text(),
    );
    expect(metrics).toMatch(/^buybuy_jobs\{queue="jobs",state="failed"\} 0$/m);
    expect(metrics).toMatch(/^buybuy_jobs\{queue="jobs",state="waiting"\} 0$/m);

    server.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });
});
