import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isDatabaseUnreachable } from '../src/errors';
import { createTestDatabase, type TestDatabase } from '../src/testing';

/** What counts as "no database answers" (a 503, a replica failover) on real mysql2 errors. */
let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected the statement to fail'),
    (error: unknown) => error,
  );

describe('isDatabaseUnreachable', () => {
  it('is true for a refused connection', async () => {
    const error = await failureOf(
      mysql.createConnection({ host: '127.0.0.1', port: 1, connectTimeout: 1_000 }),
    );
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it('is true for a statement on a connection that died (a ROLLBACK after the server went)', async () => {
    const connection = await mysql.createConnection({ uri: test.url });
    connection.destroy();
    const error = await failureOf(connection.query('ROLLBACK'));
    expect((error as Error).message).toMatch(/closed state/);
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it('is true for a connection the server killed', async () => {
    const victim = await mysql.createConnection({ uri: test.url });
    const [[{ id }]] = (await victim.query('SELECT CONNECTION_ID() AS id')) as unknown as [
      [{ id: number }],
    ];
    const killed = failureOf(victim.query('SELECT SLEEP(30)'));
    await test.pool.query('KILL ?', [id]);
    expect(isDatabaseUnreachable(await killed)).toBe(true);
    victim.destroy();
  });

  it('is false for a statement the server refused', async () => {
    const error = await failureOf(test.pool.query('SELECT no_such_column FROM users'));
    expect((error as { code?: string }).code).toBe('ER_BAD_FIELD_ERROR');
    expect(isDatabaseUnreachable(error)).toBe(false);
  });
});
