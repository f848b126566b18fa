import { setTimeout as sleep } from 'node:timers/promises';

import { createAuth } from '@buybuy/auth';
import { type Config, ConfigError, loadConfig } from '@buybuy/config';
import { createDatabase, type DatabaseHandle, replicaReader, users } from '@buybuy/db';
import { type ReplicatedMariaDb, startReplicatedMariaDb } from '@buybuy/db/testing-replication';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';

/**
 * A real primary and replica (GTID replication between two MariaDB servers
 * this file starts), and the real app on a handle with that replica. The
 * replica's app user cannot write (read_only, no SUPER), so every write
 * landing on the primary is checked by construction.
 */
let cluster: ReplicatedMariaDb | undefined;
let database: DatabaseHandle | undefined;
let app: FastifyInstance | undefined;
let name: string;
let admin: string;

const marker = { categoryId: 900_001, productId: 900_001 };

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
  // Loose on purpose: each test asserts the fields it reads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.statusCode, body: response.json() as { data: any } };
}

beforeAll(async () => {
  cluster = await startReplicatedMariaDb({ timeoutMs: 120_000 });
  name = await cluster.createDatabase();
  const base = loadConfig({
    NODE_ENV: 'test',
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    // Replica routing is what is under test here, not the catalog cache.
    CACHE_ENABLED: 'false',
  });
  const config: Config = {
    ...base,
    database: { ...base.database, url: cluster.primaryUrl(name) },
    rateLimit: { ...base.rateLimit, enabled: false },
  };
  database = createDatabase(config.database.url, {
    poolSize: 4,
    replicaUrls: [cluster.replicaUrl(name)],
    // Short, so writes made while replication is paused on purpose give up waiting quickly.
    replicaWaitMs: 1_500,
  });
  app = await buildApp({ config, db: database.db, logger: false });
  await app.ready();

  const auth = createAuth({ db: database.db, ...config.auth });
  const [row] = await database.db
    .insert(users)
    .values({ username: 'admin', email: 'admin@example.com', password_hash: 'x', is_staff: true })
    .$returningId();
  admin = (await auth.signIn(row!.id)).access_token;
}, 180_000);

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await database?.close().catch(() => undefined);
  await cluster?.stop();
}, 60_000);

describe('read replicas (a real primary and replica)', () => {
  it('writes through the app reach the replica by replication', async () => {
    const category = await call('POST', '/v1/categories', {
      token: admin,
      body: { name: 'Shoes' },
    });
    expect(category.status).toBe(201);
    const product = await call('POST', '/v1/products', {
      token: admin,
      body: { name: 'Boot', price: '80.00', category_id: category.body.data.id, stock_quantity: 3 },
    });
    expect(product.status).toBe(201);
    await cluster!.waitForReplica();
    const rows = (await cluster!.queryReplica(
      `SELECT name, price FROM \`${name}\`.products`,
    )) as Array<{ name: string; price: string }>;
    expect(rows).toEqual([{ name: 'Boot', price: '80.00' }]);
  });

  it('serves the public catalog reads from the replica', async () => {
    // Rows only the replica has (written as root, past read_only): whoever returns them read the replica.
    await cluster!.queryReplica(
      `INSERT INTO \`${name}\`.categories (id, name, slug, is_active) VALUES (?, 'Replica only', 'replica-only', true)`,
      [marker.categoryId],
    );
    await cluster!.queryReplica(
      `INSERT INTO \`${name}\`.products (id, name, price, category_id, stock_quantity, is_active)
       VALUES (?, 'Replica marker', '1.00', ?, 1, true)`,
      [marker.productId, marker.categoryId],
    );

    const list = await call('GET', '/v1/products?per_page=100');
    expect(list.body.data.map((item: { name: string }) => item.name)).toContain('Replica marker');
    expect((await call('GET', `/v1/products/${marker.productId}`)).status).toBe(200);
    const filtered = await call('GET', `/v1/products?category_id=${marker.categoryId}`);
    expect(filtered.body.data.map((item: { id: number }) => item.id)).toEqual([marker.productId]);
    const categories = await call('GET', '/v1/categories?tree=true');
    expect(categories.body.data.map((item: { slug: string }) => item.slug)).toContain(
      'replica-only',
    );
    expect((await call('GET', `/v1/categories/${marker.categoryId}`)).status).toBe(200);
  });

  it('keeps admin reads on the primary (the replica-only rows do not exist there)', async () => {
    const list = await call('GET', '/v1/products?include_inactive=true&per_page=100', {
      token: admin,
    });
    expect(list.status).toBe(200);
    expect(list.body.data.map((item: { name: string }) => item.name)).not.toContain(
      'Replica marker',
    );
    expect((await call('GET', `/v1/products/${marker.productId}`, { token: admin })).status).toBe(
      404,
    );
    const categories = await call('GET', '/v1/categories?include_inactive=true', { token: admin });
    expect(categories.body.data.map((item: { slug: string }) => item.slug)).not.toContain(
      'replica-only',
    );
    expect(
      (await call('GET', `/v1/categories/${marker.categoryId}`, { token: admin })).status,
    ).toBe(404);
  });

  it('reads the admin’s own writes while replication is paused; the public sees them once it resumes', async () => {
    const [product] = (
      await call('GET', '/v1/products?include_inactive=true&search=Boot', { token: admin })
    ).body.data;
    await cluster!.pauseReplication();
    try {
      const updated = await call('PUT', `/v1/products/${product.id}`, {
        token: admin,
        body: { price: '99.00' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body.data.price).toBe('99.00');
      expect(
        (await call('GET', `/v1/products/${product.id}`, { token: admin })).body.data.price,
      ).toBe('99.00');
      const adminList = await call('GET', '/v1/products?include_inactive=true&search=Boot', {
        token: admin,
      });
      expect(adminList.body.data[0].price).toBe('99.00');

      // A product created in a category created a moment ago: both re-selects read the primary.
      const category = await call('POST', '/v1/categories', {
        token: admin,
        body: { name: 'Made while lagging' },
      });
      expect(category.status).toBe(201);
      const created = await call('POST', '/v1/products', {
        token: admin,
        body: { name: 'Fresh', price: '5.00', category_id: category.body.data.id },
      });
      expect(created.status).toBe(201);
      expect(created.body.data.category.name).toBe('Made while lagging');
      const renamed = await call('PUT', `/v1/categories/${category.body.data.id}`, {
        token: admin,
        body: { name: 'Renamed while lagging' },
      });
      expect(renamed.body.data.name).toBe('Renamed while lagging');
      expect(
        (await call('GET', `/v1/categories/${category.body.data.id}`, { token: admin })).body.data
          .name,
      ).toBe('Renamed while lagging');

      // Each write above waited 1.5 s for the paused replica, then returned anyway. The public
      // read goes to that lagging replica: still the old price, no new product yet.
      expect((await call('GET', `/v1/products/${product.id}`)).body.data.price).toBe('80.00');
      expect((await call('GET', `/v1/products/${created.body.data.id}`)).status).toBe(404);
    } finally {
      await cluster!.resumeReplication();
    }
    await cluster!.waitForReplica();
    expect((await call('GET', `/v1/products/${product.id}`)).body.data.price).toBe('99.00');
  });

  it('returns a catalog write only once the replica has applied it, so the next public read sees it', async () => {
    const [product] = (await call('GET', '/v1/products?search=Boot')).body.data;
    await cluster!.pauseReplication();
    let returned = false;
    const pending = call('PUT', `/v1/products/${product.id}`, {
      token: admin,
      body: { price: '120.00' },
    }).then((response) => {
      returned = true;
      return response;
    });
    try {
      await sleep(500);
      expect(returned).toBe(false); // committed on the primary, waiting for the replica
    } finally {
      await cluster!.resumeReplication();
    }
    expect((await pending).status).toBe(200);
    expect((await call('GET', `/v1/products/${product.id}`)).body.data.price).toBe('120.00');
  });

  it('keeps sign-up, sign-in and token checks on the primary', async () => {
    await cluster!.pauseReplication();
    try {
      const credentials = { email: 'lag@example.com', password: 'a-long-password-1' };
      const registered = await call('POST', '/v1/auth/register', {
        body: { username: 'lag', ...credentials },
      });
      expect(registered.status).toBe(201);
      const login = await call('POST', '/v1/auth/login', { body: credentials });
      expect(login.status).toBe(200);
      const token = login.body.data.tokens.access_token as string;
      const profile = await call('GET', '/v1/users/profile', { token });
      expect(profile.status).toBe(200);
      expect(profile.body.data.email).toBe('lag@example.com');
      const refreshed = await call('POST', '/v1/auth/refresh', {
        body: { refresh_token: login.body.data.tokens.refresh_token },
      });
      expect(refreshed.status).toBe(200);
    } finally {
      await cluster!.resumeReplication();
    }
  });

  it('sends every statement of a public read to the replica and none to the primary', async () => {
    const count = async (query: (sql: string) => Promise<unknown>) => {
      const [row] = (await query("SHOW GLOBAL STATUS LIKE 'Com_select'")) as Array<{
        Value: string;
      }>;
      return Number(row!.Value);
    };
    const primary = (sql: string) => cluster!.queryPrimary(sql);
    const replica = (sql: string) => cluster!.queryReplica(sql);
    const [primaryBefore, replicaBefore] = [await count(primary), await count(replica)];
    await call('GET', '/v1/products?per_page=5');
    const [primaryAfter, replicaAfter] = [await count(primary), await count(replica)];
    // Tree, page, count and images on the replica (SHOW STATUS is not counted as a SELECT).
    expect(replicaAfter - replicaBefore).toBeGreaterThanOrEqual(4);
    expect(primaryAfter - primaryBefore).toBe(0);
  });
});

describe('without replicas', () => {
  it('reads everything from the primary', () => {
    const handle = createDatabase('mysql://root@127.0.0.1:1/none');
    expect(replicaReader(handle.db)).toBe(handle.db);
    expect(handle.replicaPools).toEqual([]);
    return handle.close();
  });

  it('parses DATABASE_REPLICA_URLS as a comma-separated list', () => {
    expect(loadConfig({}).database.replicaUrls).toEqual([]);
    expect(
      loadConfig({ DATABASE_REPLICA_URLS: 'mysql://r1:3306/b, mysql://r2:3306/b' }).database
        .replicaUrls,
    ).toEqual(['mysql://r1:3306/b', 'mysql://r2:3306/b']);
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgres://x/y' })).toThrow(ConfigError);
  });
});
