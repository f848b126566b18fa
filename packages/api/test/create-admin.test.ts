import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { createAuth } from '@buybuy/auth';
import { loadConfig } from '@buybuy/config';
import { users } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/cli/create-admin.ts', import.meta.url));

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

const createAdmin = (args: string[], env: Record<string, string> = {}) =>
  run('npx', ['tsx', cli, ...args], {
    env: { ...process.env, DATABASE_URL: test.url, BCRYPT_COST: '4', ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      out: error.stdout + error.stderr,
    }),
  );

describe('pnpm admin:create', () => {
  it('creates an admin who can sign in with that password', async () => {
    const result = await createAdmin([
      '--email',
      ' Root@Example.com ',
      '--username',
      'root',
      '--password',
      'a strong password',
    ]);
    expect(result.out).toContain('Created admin root@example.com');
    expect(result.code).toBe(0);
    const [row] = await test.db.select().from(users).where(eq(users.email, 'root@example.com'));
    expect(row!.is_staff).toBe(true);
    const auth = createAuth({ db: test.db, ...loadConfig({}).auth });
    expect(await auth.verifyPassword('a strong password', row!.password_hash)).toBe(true);
    expect(await auth.verifyPassword('another password', row!.password_hash)).toBe(false);
  });

  it('promotes an existing user with that email instead of creating one', async () => {
    await test.db
      .insert(users)
      .values({ email: 'jo@example.com', username: 'jo', password_hash: 'x' });
    const result = await createAdmin([
      '--email',
      'jo@example.com',
      '--username',
      'ignored',
      '--password',
      'whatever123',
    ]);
    expect(result.out).toContain('Promoted jo@example.com');
    const rows = await test.db.select().from(users).where(eq(users.email, 'jo@example.com'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.is_staff).toBe(true);
    expect(rows[0]!.password_hash).toBe('x');
  });

  it('explains bad arguments without a stack trace', async () => {
    const result = await createAdmin(['--email', 'nope', '--password', 'short']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('Usage: pnpm admin:create');
    expect(result.out).toMatch(/--email: /);
    expect(result.out).toMatch(/--password: /);
    expect(result.out).not.toMatch(/\n\s+at /);
  });

  it('says in one paragraph what to do when no database answers', async () => {
    const result = await createAdmin(
      ['--email', 'a@b.co', '--username', 'abc', '--password', 'password123'],
      {
        DATABASE_URL: 'mysql://root@127.0.0.1:1/buybuy',
      },
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain('No database answers at mysql://root@127.0.0.1:1/buybuy');
    expect(result.out).toContain('docker compose -f infra/compose.yaml up -d');
    expect(result.out).not.toMatch(/\n\s+at /);
  });
});
