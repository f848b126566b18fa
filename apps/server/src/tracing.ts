import type { OperationTable } from '@buybuy/api';
import type { Config } from '@buybuy/config';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';

import type { RedisClient } from './redis';

/** Routes whose requests are not traced: probes and scrapes, every few seconds, say nothing. */
const UNTRACED_ROUTES = new Set(['/health', '/ready', '/metrics']);

export interface Tracing {
  /** Registered first in buildApp: a SERVER span per request, the route's handler a child of it. */
  plugin: FastifyPluginCallback;
  /** Sends the spans still buffered and stops the SDK (after the app has closed). */
  shutdown: () => Promise<void>;
}

/**
 * Starts OpenTelemetry when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (or a test
 * hands its own span processor): a global tracer provider with
 * AsyncLocalStorage context, so the spans the database (packages/db
 * instrument.ts) and Redis (`traceRedis`) start inside a request find it as
 * their parent. Unset: undefined, and nothing of the SDK runs.
 */
export function startTracing(
  config: Config['tracing'],
  processor?: SpanProcessor,
): Tracing | undefined {
  const spanProcessor = processor ?? exporterOf(config);
  if (!spanProcessor) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    spanProcessors: [spanProcessor],
  });
  provider.register();
  const instrumentation = new FastifyOtelInstrumentation({
    // One span per request and one for its handler: a span per hook (a
    // dozen per request here) would cost more than it tells.
    instrumentHooks: false,
    ignorePaths: ({ url }) => UNTRACED_ROUTES.has(url),
  });
  instrumentation.setTracerProvider(provider);
  return { plugin: instrumentation.plugin(), shutdown: () => provider.shutdown() };
}

/** OTLP/HTTP to `<endpoint>/v1/traces` (the OpenTelemetry convention), batched. */
function exporterOf(config: Config['tracing']): SpanProcessor | undefined {
  if (!config.endpoint) return undefined;
  const url = `${config.endpoint.replace(/\/+$/, '')}/v1/traces`;
  return new BatchSpanProcessor(new OTLPTraceExporter({ url }));
}

/**
 * Names each request span `METHOD route` with the route as the API knows it:
 * Fastify sees `/v1/*` and `/trpc/*` (the adapters route below them), so the
 * REST operation's path template (`/v1/products/{id}`) or the tRPC procedures
 * (`/trpc/products.byId`, a batch's joined by commas) come from the operation
 * table. `url.path` loses the query string, which can carry what users type.
 */
export function nameRequestSpans(app: FastifyInstance, operations: OperationTable): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const { span } = request.opentelemetry();
    if (span) {
      const path = request.originalUrl.split('?', 1)[0]!;
      const route = apiRouteOf(path, operations) ?? request.routeOptions.url ?? 'unmatched';
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'url.path': path });
    }
    done();
  });
}

function apiRouteOf(path: string, operations: OperationTable): string | undefined {
  if (path.startsWith('/trpc/')) {
    let names: string[];
    try {
      names = decodeURIComponent(path.slice(6)).split(',');
    } catch {
      return '/trpc/unknown'; // bad percent-encoding: the adapter answers it
    }
    return `/trpc/${names.map((name) => (operations.procedure(name) ? name : 'unknown')).join(',')}`;
  }
  if (path === '/v1' || path.startsWith('/v1/')) {
    const operation = operations.atPath(path.slice(3) || '/')[0];
    return operation ? `/v1${operation.path}` : undefined;
  }
  return undefined;
}

type SendCommand = RedisClient['sendCommand'];
type Command = Parameters<SendCommand>[0];

/**
 * A CLIENT span per Redis command sent inside a traced request (pipelines
 * and MULTI send theirs one by one too). Its name and attributes carry the
 * command, never its keys or values. Only called when tracing is on.
 */
export function traceRedis(client: RedisClient): void {
  const tracer = trace.getTracer('@buybuy/server/redis');
  const send = client.sendCommand.bind(client) as (...args: unknown[]) => unknown;
  client.sendCommand = ((command: Command, ...rest: unknown[]) => {
    if (!trace.getActiveSpan()?.isRecording()) return send(command, ...rest);
    const operation = command.name.toUpperCase();
    const span = tracer.startSpan(operation, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'redis',
        'db.system.name': 'redis',
        'db.operation.name': operation,
      },
    });
    command.promise.then(
      () => span.end(),
      (error: Error) => {
        span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        span.end();
      },
    );
    return send(command, ...rest);
  }) as SendCommand;
}
