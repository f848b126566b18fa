import { loadConfig } from '@buybuy/config';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Api, createApi } from '../src/api';
import { GRANTABLE_SCOPES, isGrantable, scopeOf } from '../src/api-keys/scopes';
import { createApiKey } from '../src/api-keys/service';
import { AppError } from '../src/errors';
import { routerProcedures } from '../src/operations';
import { appRouter } from '../src/router';
import { createCallerFactory } from '../src/trpc';
import { anAdmin, testAuth } from './fixtures';

/**
 * Issue 14: a key can never reach a procedure outside its scopes. One row per
 * procedure of the router, read from the router itself, so a new procedure is
 * covered the moment it exists: a key holding every other scope is refused
 * with 403 INSUFFICIENT_SCOPE; a key holding just its scope passes the access
 * check (whatever else the call then meets: validation, a missing row).
 */
const procedures = routerProcedures(appRouter).map(({ name, type }) => ({
  path: name,
  type,
  scope: scopeOf(name, type),
}));

let test: TestDatabase;
let api: Api;
let adminId: number;
beforeAll(async () => {
  test = await createTestDatabase();
  api = createApi({ config: loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4' }), db: test.db });
  adminId = (await anAdmin(testAuth(test.db), test.db)).id;
});
afterAll(() => test.drop());

const keyWith = async (scopes: (typeof GRANTABLE_SCOPES)[number][]) =>
  (await createApiKey(test.db, adminId, { name: 'table test', scopes })).secret;

const createCaller = createCallerFactory(appRouter);
let addresses = 0;

/** Calls `path` with an empty input as a key holder; the AppError code it met, or 'ok'. */
async function call(secret: string, path: string): Promise<string> {
  const caller = createCaller(
    api.createContext({ ip: `10.9.0.${++addresses}`, authorization: undefined, apiKey: secret }),
  );
  const procedure = path
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], caller);
  try {
    await (procedure as (input: unknown) => Promise<unknown>)({});
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    const cause = (error as TRPCError).cause;
    return cause instanceof AppError ? cause.code : (error as TRPCError).code;
  }
}

describe('API key scopes', () => {
  it('give every procedure exactly one scope, from a known family', () => {
    expect(procedures.length).toBeGreaterThan(35);
    for (const { path, scope } of procedures)
      expect(scope, path).toMatch(
        /^(catalog|orders|dashboard|cart|account|users|api_keys|jobs):(read|write)$/,
      );
    // Nothing a key can be given sits on sign-in, accounts, users, keys, jobs or carts.
    const grantablePaths = procedures
      .filter(({ scope }) => isGrantable(scope))
      .map(({ path }) => path);
    expect(grantablePaths.filter((path) => /^(auth|users|apiKeys|jobs|cart)\./.test(path))).toEqual(
      [],
    );
    expect(grantablePaths).toContain('products.create');
    expect(grantablePaths).toContain('orders.ship');
  });

  it.each(procedures)('$path ($scope): 403 without the scope', async ({ path, scope }) => {
    const others = GRANTABLE_SCOPES.filter((granted) => granted !== scope);
    expect(await call(await keyWith(others), path)).toBe('INSUFFICIENT_SCOPE');
  });

  it.each(procedures.filter(({ scope }) => isGrantable(scope)))(
    '$path ($scope): past the access check with the scope',
    async ({ path, scope }) => {
      const outcome = await call(await keyWith([scope as (typeof GRANTABLE_SCOPES)[number]]), path);
      expect(['INSUFFICIENT_SCOPE', 'FORBIDDEN', 'UNAUTHORIZED']).not.toContain(outcome);
    },
  );
});
