import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { AppRouter } from '@buybuy/api';
import { loadConfig } from '@buybuy/config';
import { createTestDatabase, freePort, type TestDatabase } from '@buybuy/db/testing';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

import { buildApp } from '../src/app';

/**
 * A real Prometheus (Debian's `prometheus` package, as for promtool)
 * scraping a real server with its METRICS_TOKEN, through the scrape section
 * of infra/monitoring/prometheus.yml, and evaluating the rules every second:
 * every rule evaluates without error on live series (what promtool's static
 * check cannot see), and the recording rules produce their series.
 */
const monitoring = fileURLToPath(new URL('../../../infra/monitoring/', import.meta.url));
const TOKEN = 'prometheus-test-token-0123456789';

let db: TestDatabase;
let app: FastifyInstance;
let appUrl: string;
let dir: string;
let prometheus: ChildProcess | undefined;
let prometheusUrl: string;
const prometheusOutput: string[] = [];

/** Polls until `check` returns a value, or fails saying what it waited for. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let waited = 0; waited < 60_000; waited += 250) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}; Prometheus said:\n${prometheusOutput.join('')}`);
}

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${prometheusUrl}/api/v1/${path}`);
  const body = (await response.json()) as { status: string; data: T };
  if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.data;
}

/** infra/monitoring/prometheus.yml, pointed at this test's server and evaluating every second. */
async function prometheusConfig(target: string): Promise<string> {
  const config = parseYaml(await readFile(join(monitoring, 'prometheus.yml'), 'utf8')) as {
    global: Record<string, string>;
    scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
  };
  config.global = { scrape_interval: '1s', evaluation_interval: '1s' };
  config.scrape_configs[0]!.static_configs = [{ targets: [target] }];
  return stringifyYaml(config);
}

/** How many rules infra/monitoring/rules holds (recording and alerting). */
async function rulesInFiles(): Promise<number> {
  let count = 0;
  for (const file of ['recording.yml', 'alerts.yml']) {
    const parsed = parseYaml(await readFile(join(monitoring, 'rules', file), 'utf8')) as {
      groups: Array<{ rules: unknown[] }>;
    };
    count += parsed.groups.reduce((sum, group) => sum + group.rules.length, 0);
  }
  return count;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  app = await buildApp({
    config: {
      ...base,
      database: { ...base.database, url: db.url },
      metrics: { ...base.metrics, enabled: true, token: TOKEN },
    },
    db: db.db,
    logger: false,
  });
  appUrl = await app.listen({ host: '127.0.0.1', port: 0 });

  dir = await mkdtemp(join(tmpdir(), 'buybuy-prometheus-'));
  await cp(join(monitoring, 'rules'), join(dir, 'rules'), { recursive: true });
  await writeFile(join(dir, 'metrics-token'), TOKEN);
  await writeFile(join(dir, 'prometheus.yml'), await prometheusConfig(new URL(appUrl).host));
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  try {
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (chunk: Buffer) => prometheusOutput.push(chunk.toString()));
    prometheus.stderr!.on('data', (chunk: Buffer) => prometheusOutput.push(chunk.toString()));
    const [error] = (await Promise.race([
      once(prometheus, 'error'),
      once(prometheus, 'spawn').then(() => [undefined]),
    ])) as [Error | undefined];
    if (error) throw error;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new Error(
        'prometheus is not installed: `apt-get install -y prometheus` (Debian) provides it; .ci/run installs it',
      );
    }
    throw error;
  }
}, 60_000);

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = once(prometheus, 'exit');
    prometheus.kill('SIGTERM');
    await exited;
  }
  await app.close();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
}, 30_000);

/** Calls on both faces, a 404 among them. */
async function someCalls() {
  const trpc = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${appUrl}/trpc`, transformer: superjson })],
  });
  for (let round = 0; round < 3; round++) {
    expect((await fetch(`${appUrl}/v1/products?per_page=2`)).status).toBe(200);
    expect((await fetch(`${appUrl}/v1/products/424242`)).status).toBe(404);
    await trpc.categories.list.query({});
  }
}

interface RuleGroup {
  name: string;
  rules: Array<{ name: string; health: string; lastError?: string; lastEvaluation: string }>;
}

// Each test waits on Prometheus' own clock (1 s scrapes and evaluations), at most a minute.
describe('Prometheus with the rules, scraping the server', { timeout: 90_000 }, () => {
  it('scrapes /metrics with the token from the credentials file', async () => {
    const target = await waitFor('the target to be up', async () => {
      const { activeTargets } = await api<{
        activeTargets: Array<{ health: string; lastError: string; labels: Record<string, string> }>;
      }>('targets');
      return activeTargets[0]?.health === 'up' ? activeTargets[0] : undefined;
    });
    expect(target.labels.job).toBe('buybuy-api');
  });

  it('evaluates every rule without error once calls on both faces have made series', async () => {
    await someCalls();
    // A series is born with the first calls: only calls after a scrape has seen it make a rate.
    await waitFor('the first calls to be scraped', async () => {
      const { result } = await api<{ result: unknown[] }>(
        `query?query=${encodeURIComponent('buybuy_http_requests_total{route="categories.list"}')}`,
      );
      return result.length > 0 ? true : undefined;
    });
    await someCalls();
    // Two scrapes after the calls, then an evaluation of every group after those.
    const calledAt = Date.now();
    const groups = await waitFor('every rule evaluated after the calls', async () => {
      const { groups: all } = await api<{ groups: RuleGroup[] }>('rules');
      const evaluated = all.every((group) =>
        group.rules.every((rule) => Date.parse(rule.lastEvaluation) > calledAt + 2_500),
      );
      return evaluated ? all : undefined;
    });
    const rules = groups.flatMap((group) => group.rules);
    // Every rule of the files loaded, none dropped.
    expect(rules.length).toBe(await rulesInFiles());
    expect(rules.filter((rule) => rule.health !== 'ok')).toEqual([]);
  });

  it('records the series the alerts and the dashboard read', async () => {
    const series = await waitFor('the API request rate to be recorded', async () => {
      const { result } = await api<{
        result: Array<{ metric: Record<string, string>; value: [number, string] }>;
      }>(`query?query=${encodeURIComponent('face_route:buybuy_http_requests:rate5m')}`);
      return result.filter(({ value }) => Number(value[1]) > 0).length >= 3 ? result : undefined;
    });
    expect(series.map(({ metric }) => `${metric.face} ${metric.route}`).sort()).toEqual(
      expect.arrayContaining([
        'rest /v1/products',
        'rest /v1/products/{id}',
        'trpc categories.list',
      ]),
    );
    const { result } = await api<{ result: Array<{ value: [number, string] }> }>(
      `query?query=${encodeURIComponent('job:buybuy_api_errors:ratio_rate5m')}`,
    );
    expect(result.map(({ value }) => Number(value[1]))).toEqual([0]);
  });
});
