import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

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

describe('the built server', () => {
  it.each(['development', 'production'])(
    'exits 0 with one line on SIGINT (NODE_ENV=%s)',
    async (env) => {
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
          JWT_SECRET: 'a-production-secret-that-is-long-enough-0123456789',
          // Production needs one; nothing is sent during this test.
          SMTP_URL: 'smtp://127.0.0.1:2525',
          UPLOADS_DIR: join(outDir, 'uploads'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = once(server, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

      // Up once /health answers.
      for (let tries = 0; ; tries += 1) {
        const answer = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (answer?.ok) break;
        if (tries > 300 || server.exitCode !== null) throw new Error(`never came up:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Give the start-up lines time to be written before drawing the line.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = output.length;

      server.kill('SIGINT');
      const [code, signal] = await exited;
      server = undefined;

      expect({ code, signal }, output).toEqual({ code: 0, signal: null });
      const lines = output.slice(before).split('\n').filter(Boolean);
      expect(lines, output).toHaveLength(1);
      expect(lines[0]).toMatch(/stopped on SIGINT/);
    },
    60_000,
  );
});
