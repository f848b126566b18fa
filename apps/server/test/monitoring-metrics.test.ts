import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { AppRouter } from '@buybuy/api';
import { loadConfig } from '@buybuy/config';
import { createDatabase, type DatabaseHandle } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { createBullQueue, jobDefinitions } from '@buybuy/jobs';
import { parser } from '@prometheus-io/lezer-promql';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

import { buildApp } from '../src/app';

/**
 * Every metric the Grafana dashboard and the Prometheus rules in
 * infra/monitoring query is one the real server exports (or one a recording
 * rule makes). The app is built as server.ts builds it with Redis: a BullMQ
 * job queue and a read replica's pool (here a second pool to the same
 * database), so every conditional series is there. Not the harness: it makes
 * neither a queue nor a replica pool.
 */
const monitoring = fileURLToPath(new URL('../../../infra/monitoring/', import.meta.url));
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `test:monitoring:${Date.now().toString(36)}`;

let db: TestDatabase;
let database: DatabaseHandle;
let redis: Redis;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  db = await createTestDatabase();
  database = createDatabase(db.url, { poolSize: 2, replicaUrls: [db.url] });
  redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  app = await buildApp({
    config: { ...base, database: { ...base.database, url: db.url } },
    db: database.db,
    redis,
    keyPrefix,
    logger: false,
    jobs: (log) =>
      createBullQueue({
        redis: { url: redisUrl },
        redisKeyPrefix: keyPrefix,
        definitions: jobDefinitions,
        log,
      }),
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await database.close();
  const keys = [...(await redis.keys(`${keyPrefix}:*`)), ...(await redis.keys(`{${keyPrefix}:*`))];
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await db.drop();
});

/** The names a scrape exports: every sample's, and each declared family's with its type's suffixes. */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const declared = /^# TYPE (\S+) (\w+)$/.exec(line);
    if (declared) {
      const [, name, type] = declared;
      names.add(name!);
      const suffixes = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };
      for (const suffix of suffixes[type as keyof typeof suffixes] ?? []) names.add(name + suffix);
    } else if (line !== '' && !line.startsWith('#')) {
      names.add(/^[A-Za-z_:][A-Za-z0-9_:]*/.exec(line)![0]);
    }
  }
  return names;
}

/**
 * The metric names a PromQL expression selects, read by Prometheus' own
 * parser: the name of each vector selector (never a function, a label, a
 * keyword or a string). Grafana's range variables are given a value first.
 */
function selectedMetrics(expression: string): string[] {
  const promql = expression.replace(/\$__(?:rate_)?interval|\$__range/g, '5m');
  const tree = parser.parse(promql);
  const names: string[] = [];
  const errors: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`at ${node.from}: "${promql.slice(node.from, node.to + 10)}"`);
      if (node.name !== 'VectorSelector') return;
      const name = node.node.getChild('Identifier');
      if (!name)
        errors.push(`a selector without a metric name: ${promql.slice(node.from, node.to)}`);
      else names.push(promql.slice(name.from, name.to));
    },
  });
  if (errors.length > 0)
    throw new Error(`PromQL that does not parse: ${expression}\n${errors.join('\n')}`);
  return names;
}

interface RuleFile {
  groups: Array<{ rules: Array<{ record?: string; alert?: string; expr: string }> }>;
}

async function rules(): Promise<Array<{ record?: string; alert?: string; expr: string }>> {
  const files = ['rules/recording.yml', 'rules/alerts.yml'];
  const parsed = await Promise.all(
    files.map(
      async (file) => parseYaml(await readFile(join(monitoring, file), 'utf8')) as RuleFile,
    ),
  );
  return parsed.flatMap((file) => file.groups.flatMap((group) => group.rules));
}

interface Panel {
  title: string;
  panels?: Panel[];
  targets?: Array<{ expr: string }>;
}

/** Each query of each dashboard: its panels' targets and its template variables' queries. */
async function dashboardQueries(): Promise<Array<{ where: string; expr: string }>> {
  const folder = join(monitoring, 'grafana/dashboards');
  const queries: Array<{ where: string; expr: string }> = [];
  for (const file of await readdir(folder)) {
    const dashboard = JSON.parse(await readFile(join(folder, file), 'utf8')) as {
      panels: Panel[];
      templating: { list: Array<{ name: string; query: { query: string } }> };
    };
    const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        queries.push({ where: `${file}: ${panel.title}`, expr: target.expr });
      }
    }
    for (const variable of dashboard.templating.list) {
      // label_values(<selector>, label): the selector is PromQL.
      const selector = /^label_values\((.+),\s*\w+\)$/.exec(variable.query.query)?.[1];
      if (!selector)
        throw new Error(`${file}: variable ${variable.name} is not a label_values query`);
      queries.push({ where: `${file}: variable ${variable.name}`, expr: selector });
    }
  }
  return queries;
}

/** Traffic on both faces, a 404 and a refused call, so the request series have samples. */
async function someTraffic() {
  expect((await fetch(`${url}/v1/products?per_page=5`)).status).toBe(200);
  expect((await fetch(`${url}/v1/products/999999`)).status).toBe(404);
  expect((await fetch(`${url}/v1/categories`)).status).toBe(200);
  const trpc = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${url}/trpc`, transformer: superjson })],
  });
  await trpc.products.list.query({ per_page: 5 });
  await trpc.categories.list.query({});
  expect((await fetch(`${url}/v1/users/me`)).status).toBe(401);
}

describe('the dashboard and the rules query what the server exports', () => {
  let exposition: string;
  let exported: Set<string>;
  let recorded: Set<string>;

  beforeAll(async () => {
    await someTraffic();
    const scrape = await fetch(`${url}/metrics`);
    expect(scrape.status).toBe(200);
    exposition = await scrape.text();
    exported = exportedNames(exposition);
    recorded = new Set((await rules()).flatMap((rule) => (rule.record ? [rule.record] : [])));
  });

  it('reads the server’s series: both faces, the pools of the primary and the replica, jobs, dependencies', () => {
    for (const name of [
      'buybuy_http_requests_total',
      'buybuy_http_request_duration_seconds_bucket',
      'buybuy_db_pool_connections',
      'buybuy_db_replica_replicating',
      'buybuy_jobs',
      'buybuy_ready',
      'buybuy_redis_errors_total',
    ]) {
      expect(exported, name).toContain(name);
    }
    // Not only declared: the requests above left samples on both faces and on the replica's pool.
    expect(exposition).toMatch(/^buybuy_http_requests_total\{face="rest",route="\/v1\/products"/m);
    expect(exposition).toMatch(/^buybuy_http_requests_total\{face="trpc",route="products.list"/m);
    expect(exposition).toMatch(/^buybuy_db_pool_connections\{pool="replica0",state="limit"\} 2$/m);
    expect(exposition).toMatch(/^buybuy_jobs\{queue="jobs",state="waiting"\} 0$/m);
  });

  it('every metric a rule reads is exported, or recorded by another rule', async () => {
    const missing: string[] = [];
    for (const rule of await rules()) {
      for (const name of selectedMetrics(rule.expr)) {
        // `up` is Prometheus' own, one per scrape target.
        if (name !== 'up' && !exported.has(name) && !recorded.has(name)) {
          missing.push(`${rule.record ?? rule.alert}: ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('every metric a dashboard panel or variable reads is exported, or recorded by a rule', async () => {
    const queries = await dashboardQueries();
    expect(queries.length).toBeGreaterThan(30);
    const missing: string[] = [];
    for (const { where, expr } of queries) {
      for (const name of selectedMetrics(expr)) {
        if (!exported.has(name) && !recorded.has(name)) missing.push(`${where}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every recording rule is read by an alert or the dashboard (none kept for nothing)', async () => {
    const read = new Set<string>();
    for (const rule of await rules()) selectedMetrics(rule.expr).forEach((name) => read.add(name));
    for (const { expr } of await dashboardQueries()) {
      selectedMetrics(expr).forEach((name) => read.add(name));
    }
    expect([...recorded].filter((name) => !read.has(name))).toEqual([]);
  });

  it('would notice a metric the server does not export (the check is not a formality)', () => {
    const names = selectedMetrics(
      'sum by (route) (rate(buybuy_no_such_metric_total{face=~"$face"}[$__rate_interval])) / on (route) group_left up',
    );
    expect(names).toEqual(['buybuy_no_such_metric_total', 'up']);
    expect(exported.has('buybuy_no_such_metric_total')).toBe(false);
    expect(() => selectedMetrics('sum(rate(buybuy_http_requests_total[5m])')).toThrow(
      /does not parse/,
    );
  });
});
