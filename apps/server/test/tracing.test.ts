import { SpanKind } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { startTracing, type Tracing } from '../src/tracing';
import { startTestApp, type TestApp } from './harness';

/**
 * OpenTelemetry with an in-memory exporter: a traced app and an untraced one
 * beside it (same database, same Redis), so the untraced one shows that the
 * SQL and Redis seams start nothing without the request span.
 */
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let traced: TestApp;
let untraced: TestApp;
let productId: number;

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'buybuy-test' }, new SimpleSpanProcessor(exporter))!;
  traced = await startTestApp({}, { tracing });
  untraced = await startTestApp({}, { sharedWith: traced });
  const admin = await traced.tokenFor('tracer', { admin: true });
  const category = await traced.rest('POST', '/v1/categories', {
    token: admin,
    body: { name: 'Lamps' },
  });
  const product = await traced.rest('POST', '/v1/products', {
    token: admin,
    body: { name: 'Secret Lamp', price: 19.9, category_id: category.json().data.id },
  });
  expect(product.statusCode, product.body).toBe(201);
  productId = product.json().data.id;
});
afterAll(async () => {
  await untraced?.close();
  await traced?.close();
  await tracing?.shutdown();
});

const requestSpans = () =>
  exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);

/** The spans under `root` (any depth), found through their parents' ids. */
function descendants(root: ReadableSpan): ReadableSpan[] {
  const spans = exporter.getFinishedSpans();
  const under = new Set([root.spanContext().spanId]);
  const found: ReadableSpan[] = [];
  for (let grew = true; grew;) {
    grew = false;
    for (const span of spans) {
      const parent = span.parentSpanContext?.spanId;
      if (parent && under.has(parent) && !under.has(span.spanContext().spanId)) {
        under.add(span.spanContext().spanId);
        found.push(span);
        grew = true;
      }
    }
  }
  return found;
}

/** Waits for the request's span (ended when the response is sent) and returns its tree. */
async function traceOf(route: string) {
  const request = await vi.waitFor(() => {
    const span = requestSpans().find((s) => s.attributes['http.route'] === route);
    if (!span) throw new Error(`no request span for ${route} yet`);
    return span;
  });
  const children = descendants(request);
  return {
    request,
    children,
    statements: children.filter((span) => span.attributes['db.system'] === 'mysql'),
    redis: children.filter((span) => span.attributes['db.system'] === 'redis'),
  };
}

function expectOneTrace(tree: Awaited<ReturnType<typeof traceOf>>) {
  const traceId = tree.request.spanContext().traceId;
  for (const span of tree.children) expect(span.spanContext().traceId).toBe(traceId);
  expect(tree.request.parentSpanContext).toBeUndefined();
  expect(tree.request.resource.attributes['service.name']).toBe('buybuy-test');
}

describe('tracing on', () => {
  it('gives a REST request a server span with SQL and Redis spans under it', async () => {
    exporter.reset();
    const res = await traced.rest('GET', '/v1/products?search=Secret');
    expect(res.statusCode, res.body).toBe(200);

    const tree = await traceOf('/v1/products');
    expectOneTrace(tree);
    // Named by the API's route (Fastify alone sees `/v1/*`); the query string is left out.
    expect(tree.request.name).toBe('GET /v1/products');
    expect(tree.request.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/v1/products',
      'url.path': '/v1/products',
      'http.response.status_code': 200,
    });
    // A first read: the catalog cache misses in Redis, the database answers.
    expect(tree.statements.length).toBeGreaterThan(0);
    for (const span of tree.statements) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes['db.statement']).toMatch(/^select /i);
      expect(span.name).toBe('SELECT');
      // The search term is bound, never written into the statement.
      expect(span.attributes['db.statement']).not.toContain('Secret');
    }
    expect(tree.redis.length).toBeGreaterThan(0);
    for (const span of tree.redis) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.name).toMatch(/^[A-Z]+$/);
    }
    // Every span of the request is in its tree: nothing started a trace of its own.
    const strays = exporter
      .getFinishedSpans()
      .filter((span) => span !== tree.request && !tree.children.includes(span));
    expect(strays.map((span) => span.name)).toEqual([]);
  });

  it('gives a tRPC call the same tree', async () => {
    exporter.reset();
    const product = await traced.trpc().products.byId.query({ id: productId });
    expect(product.name).toBe('Secret Lamp');

    const tree = await traceOf('/trpc/products.byId');
    expectOneTrace(tree);
    expect(tree.request.name).toBe('GET /trpc/products.byId');
    expect(tree.request.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/trpc/products.byId',
      'http.response.status_code': 200,
    });
    expect(tree.statements.length).toBeGreaterThan(0);
    for (const span of tree.statements) {
      expect(span.attributes['db.system']).toBe('mysql');
      expect(span.attributes['db.statement']).not.toContain(String(productId));
    }
    expect(tree.redis.length).toBeGreaterThan(0);
  });

  it("continues a caller's trace from its traceparent header", async () => {
    exporter.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await traced.rest('GET', '/v1/products?search=Lamp&per_page=5', {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.statusCode).toBe(200);
    const tree = await traceOf('/v1/products');
    expect(tree.request.spanContext().traceId).toBe(traceId);
    expect(tree.request.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(tree.statements.length).toBeGreaterThan(0);
    for (const span of tree.statements) expect(span.spanContext().traceId).toBe(traceId);
  });
});

describe('tracing off', () => {
  it('records nothing for an app started without tracing, though the SDK is running', async () => {
    exporter.reset();
    expect((await untraced.rest('GET', '/v1/products?search=Lamp')).statusCode).toBe(200);
    expect((await untraced.trpc().products.byId.query({ id: productId })).name).toBe('Secret Lamp');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('starts no SDK when OTEL_EXPORTER_OTLP_ENDPOINT is unset', () => {
    expect(startTracing({ serviceName: 'buybuy-api' })).toBeUndefined();
  });
});
