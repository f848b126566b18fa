import { type Access, appRouter, routerProcedures } from '@buybuy/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  multipartBody,
  type RestOptions,
  startTestApp,
  type TestApp,
  trpcFailure,
} from './harness';

/**
 * Who may call what, in one table: every procedure and plain route that
 * needs a caller, with the access it needs. Each row is checked on both
 * faces: 401 without a token or with a bad one, and 403 for a customer on
 * admin rows. A new protected procedure or route is covered by adding its
 * row; the table is compared with the router's `meta.access` and with the
 * served document, so a forgotten row fails here.
 */
type Protected = Exclude<Access, 'public'>;

const PROCEDURES: Record<string, Protected> = {
  'auth.logout': 'authenticated',
  'auth.resendVerification': 'authenticated',
  'users.profile': 'authenticated',
  'users.updateProfile': 'authenticated',
  'users.changePassword': 'authenticated',
  'users.requestEmailChange': 'authenticated',
  'users.list': 'admin',
  'users.byId': 'admin',
  'users.update': 'admin',
  'categories.create': 'admin',
  'categories.update': 'admin',
  'categories.delete': 'admin',
  'products.create': 'admin',
  'products.update': 'admin',
  'products.delete': 'admin',
  'shippingMethods.create': 'admin',
  'shippingMethods.update': 'admin',
  'shippingMethods.delete': 'admin',
  'orders.list': 'authenticated',
  'orders.markPaid': 'admin',
  'orders.ship': 'admin',
  'orders.deliver': 'admin',
  'orders.refund': 'admin',
  'dashboard.get': 'admin',
  'apiKeys.list': 'admin',
  'apiKeys.create': 'admin',
  'apiKeys.revoke': 'admin',
  'jobs.overview': 'admin',
  'jobs.retry': 'admin',
};

/** Plain Fastify routes beside the procedures (REST face only), with a body they take. */
const ROUTES: Record<string, { access: Protected; body: () => RestOptions }> = {
  'POST /uploads/images': {
    access: 'admin',
    body: () => ({ raw: multipartBody(Buffer.from('not even an image')) }),
  },
};

const procedures = routerProcedures(appRouter);

let t: TestApp;
let customer: string;
beforeAll(async () => {
  t = await startTestApp();
  customer = await t.tokenFor('role-customer');
});
afterAll(() => t.close());

/** A REST call as the given caller: `{}` for a JSON body, and `{id}` is 1 (never reached). */
function callRest(route: string, token: string | undefined, options: RestOptions = {}) {
  const [method, path] = route.split(' ') as [string, string];
  const body = ['POST', 'PUT', 'PATCH'].includes(method) && !options.raw ? {} : undefined;
  return t.rest(method, `/v1${path.replace(/\{[^}]+\}/g, '1')}`, { body, ...options, token });
}

/** A tRPC call of `name` (no batching) as the given caller; the error data it fails with. */
function callTrpc(name: string, token: string | undefined) {
  const procedure = procedures.find((found) => found.name === name)!;
  let node: Record<string, unknown> = t.trpc(token, { batch: false }) as never;
  for (const part of name.split('.')) node = node[part] as Record<string, unknown>;
  const call = node[procedure.type === 'query' ? 'query' : 'mutate'] as (input: unknown) => unknown;
  return trpcFailure(Promise.resolve(call({})));
}

const restRouteOf = (name: string) => {
  const openapi = procedures.find((found) => found.name === name)?.meta?.openapi;
  return openapi ? `${openapi.method} /${openapi.path.replace(/^\/|\/$/g, '')}` : undefined;
};

describe('the role table', () => {
  it('lists every procedure that needs a caller, with the access its builder gives it', () => {
    const protectedProcedures = Object.fromEntries(
      procedures
        .filter(({ meta }) => meta?.access !== undefined && meta.access !== 'public')
        .map(({ name, meta }) => [name, meta!.access]),
    );
    expect(protectedProcedures).toEqual(PROCEDURES);
  });

  it('lists every protected route the served document adds beside the procedures', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const fromProcedures = new Set(procedures.map(({ name }) => restRouteOf(name)));
    const handWritten = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => (operation.security ?? []).length > 0)
        .map(([method]) => `${method.toUpperCase()} ${path}`)
        .filter((route) => !fromProcedures.has(route)),
    );
    expect(handWritten.sort()).toEqual(Object.keys(ROUTES).sort());
  });
});

interface Row {
  name: string;
  access: Protected;
  /** `METHOD /path` of its REST face, if it has one. */
  rest?: string;
  /** Whether it is a procedure, so also callable on /trpc. */
  trpc: boolean;
  options: RestOptions;
}
const rows: Row[] = [
  ...Object.entries(PROCEDURES).map(([name, access]) => ({
    name,
    access,
    rest: restRouteOf(name),
    trpc: true,
    options: {},
  })),
  ...Object.entries(ROUTES).map(([route, { access, body }]) => ({
    name: route,
    access,
    rest: route,
    trpc: false,
    options: body(),
  })),
];
const adminRows = rows.filter((row) => row.access === 'admin');

describe('REST /v1', () => {
  it.each(rows.filter((row) => row.rest))(
    '$name: 401 without a token or with a bad one',
    async ({ rest, options }) => {
      const anonymous = await callRest(rest!, undefined, options);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({
        success: false,
        data: null,
        errors: [{ field: null, code: 'UNAUTHORIZED' }],
      });
      const bad = await callRest(rest!, 'not-a-token', options);
      expect(bad.statusCode).toBe(401);
      expect(bad.json().errors[0].code).toBe('INVALID_TOKEN');
    },
  );

  it.each(adminRows.filter((row) => row.rest))(
    '$name: 403 for a customer',
    async ({ rest, options }) => {
      const refused = await callRest(rest!, customer, options);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({
        success: false,
        data: null,
        errors: [{ field: null, code: 'FORBIDDEN' }],
      });
    },
  );
});

describe('tRPC /trpc', () => {
  it.each(rows.filter((row) => row.trpc))(
    '$name: 401 without a token or with a bad one',
    async ({ name }) => {
      expect(await callTrpc(name, undefined)).toMatchObject({
        code: 'UNAUTHORIZED',
        httpStatus: 401,
      });
      expect(await callTrpc(name, 'not-a-token')).toMatchObject({
        code: 'INVALID_TOKEN',
        httpStatus: 401,
      });
    },
  );

  it.each(adminRows.filter((row) => row.trpc))('$name: 403 for a customer', async ({ name }) => {
    expect(await callTrpc(name, customer)).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
  });
});
