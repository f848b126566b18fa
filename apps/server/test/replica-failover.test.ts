import type { AppRouter } from '@buybuy/api';
import { createAuth } from '@buybuy/auth';
import { type Config, loadConfig } from '@buybuy/config';
import { createDatabase, type DatabaseHandle, users } from '@buybuy/db';
import { type ReplicatedMariaDb, startReplicatedMariaDb } from '@buybuy/db/testing-replication';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { buildApp } from '../src/app';

/**
 * A real primary and replica (two MariaDB servers this file starts), the
 * real app reading the public catalog from the replica, and public reads
 * running all along on both faces while the replica's server is killed and
 * started again: no read may fail, /ready stays 200 and says "degraded".
 */
let cluster: ReplicatedMariaDb | undefined;
let database: DatabaseHandle | undefined;
let app: FastifyInstance | undefined;
let trpc: ReturnType<typeof createTRPCClient<AppRouter>>;
let admin: string;
let productId: number;

/** A product only the replica has: a public read that returns it was served by the replica. */
const MARKER_ID = 900_001;

async function call(method: string, url: string, options: { token?: string; body?: unknown } = {}) {
  const response = await app!.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    payload: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the fields it checks
  return { status: response.statusCode, body: response.json() as any };
}

beforeAll(async () => {
  cluster = await startReplicatedMariaDb({ timeoutMs: 120_000 });
  const name = await cluster.createDatabase();
  const base = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4', LOG_LEVEL: 'silent' });
  const config: Config = {
    ...base,
    database: { ...base.database, url: cluster.primaryUrl(name) },
    rateLimit: { ...base.rateLimit, enabled: false },
    // Every read reaches the database: the cache would hide where reads go.
    cache: { ...base.cache, enabled: false },
  };
  database = createDatabase(config.database.url, {
    poolSize: 4,
    replicaUrls: [cluster.replicaUrl(name)],
    replicaWaitMs: 1_500,
    // Short, so a frozen replica is given up on quickly (production: 2 s).
    replicaTimeoutMs: 500,
    replicaProbeMs: 200,
  });
  app = await buildApp({ config, db: database.db, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  trpc = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url}/trpc`, transformer: superjson })],
  });

  const auth = createAuth({ db: database.db, ...config.auth });
  const [row] = await database.db
    .insert(users)
    .values({ username: 'admin', email: 'admin@example.com', password_hash: 'x', is_staff: true })
    .$returningId();
  admin = (await auth.signIn(row!.id)).access_token;
  const category = await call('POST', '/v1/categories', { token: admin, body: { name: 'Lamps' } });
  const product = await call('POST', '/v1/products', {
    token: admin,
    body: { name: 'Desk lamp', price: '30.00', category_id: category.body.data.id },
  });
  productId = product.body.data.id;
  await cluster.queryReplica(
    `INSERT INTO \`${name}\`.products (id, name, price, category_id, stock_quantity, is_active)
     VALUES (?, 'Replica marker', '1.00', ?, 1, true)`,
    [MARKER_ID, category.body.data.id],
  );
}, 180_000);

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await database?.close().catch(() => undefined);
  await cluster?.stop();
}, 60_000);

/** Public reads on both faces, four at a time, until stopped; every failure is kept. */
function readLoad() {
  const failures: string[] = [];
  let succeeded = 0;
  let running = true;
  const reads: Array<() => Promise<void>> = [
    async () => {
      const { status } = await call('GET', '/v1/products?per_page=20');
      if (status !== 200) throw new Error(`GET /v1/products: ${status}`);
    },
    async () => {
      const { status } = await call('GET', `/v1/products/${productId}`);
      if (status !== 200) throw new Error(`GET /v1/products/${productId}: ${status}`);
    },
    async () => {
      const { status } = await call('GET', '/v1/categories?tree=true');
      if (status !== 200) throw new Error(`GET /v1/categories: ${status}`);
    },
    async () => void (await trpc.products.list.query({ per_page: 20 })),
  ];
  const worker = async (read: () => Promise<void>) => {
    while (running) {
      try {
        await read();
        succeeded++;
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const workers = reads.map(worker);
  return {
    failures,
    succeeded: () => succeeded,
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}

const ready = async () => {
  const response = await app!.inject({ method: 'GET', url: '/ready' });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
};

const inRotation = async () => {
  const metrics = (await app!.inject({ method: 'GET', url: '/metrics' })).body;
  return /^buybuy_db_replica_in_rotation\{pool="replica0"\} (\d)$/m.exec(metrics)?.[1];
};

const markerStatus = async () => (await call('GET', `/v1/products/${MARKER_ID}`)).status;

describe('a read replica that dies or freezes and comes back (a real replica, under load)', () => {
  it('fails no public read, reports degraded while it is away, and takes it back once healthy', async () => {
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ok', database: 'ok', redis: 'disabled', replicas: { replica0: 'ok' } },
    });
    expect(await markerStatus()).toBe(200); // served by the replica

    const load = readLoad();
    try {
      await vi.waitFor(() => expect(load.succeeded()).toBeGreaterThan(20), { timeout: 20_000 });
      await cluster!.killReplica();
      const beforeOutage = load.succeeded();

      await vi.waitFor(
        async () =>
          expect(await ready()).toEqual({
            status: 200,
            body: {
              status: 'degraded',
              database: 'ok',
              redis: 'disabled',
              replicas: { replica0: 'down' },
            },
          }),
        { timeout: 20_000 },
      );
      expect(await inRotation()).toBe('0');
      expect(await markerStatus()).toBe(404); // the primary answers now
      await vi.waitFor(() => expect(load.succeeded()).toBeGreaterThan(beforeOutage + 20), {
        timeout: 20_000,
      });

      // A catalog write while the replica is away: it does not wait for (or fail on) it.
      const updated = await call('PUT', `/v1/products/${productId}`, {
        token: admin,
        body: { price: '35.00' },
      });
      expect(updated.status).toBe(200);

      await cluster!.restartReplica();
      await vi.waitFor(
        async () =>
          expect(await ready()).toEqual({
            status: 200,
            body: { status: 'ok', database: 'ok', redis: 'disabled', replicas: { replica0: 'ok' } },
          }),
        { timeout: 30_000 },
      );
      const afterReturn = load.succeeded();
      await vi.waitFor(() => expect(load.succeeded()).toBeGreaterThan(afterReturn + 20), {
        timeout: 20_000,
      });
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);

    // Back in the rotation only once caught up: the write made while it was away is there.
    expect(await inRotation()).toBe('1');
    expect(await markerStatus()).toBe(200);
    expect((await call('GET', `/v1/products/${productId}`)).body.data.price).toBe('35.00');
  }, 180_000);

  it('fails no public read while the replica is frozen (connections open, no answer), and takes it back once it thaws', async () => {
    const load = readLoad();
    try {
      await vi.waitFor(() => expect(load.succeeded()).toBeGreaterThan(20), { timeout: 20_000 });
      cluster!.freezeReplica();
      try {
        await vi.waitFor(
          async () => expect((await ready()).body).toMatchObject({ status: 'degraded' }),
          { timeout: 20_000 },
        );
        expect(await markerStatus()).toBe(404); // the primary answers now
        const frozen = load.succeeded();
        await vi.waitFor(() => expect(load.succeeded()).toBeGreaterThan(frozen + 20), {
          timeout: 20_000,
        });
      } finally {
        cluster!.thawReplica();
      }
      await vi.waitFor(async () => expect((await ready()).body).toMatchObject({ status: 'ok' }), {
        timeout: 30_000,
      });
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);
    expect(await markerStatus()).toBe(200);
  }, 120_000);
});
