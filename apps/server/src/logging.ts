import type { Config } from '@buybuy/config';
import {
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import pretty, { type PrettyOptions } from 'pino-pretty';

/** false silences logs (tests); a stream receives them instead of stdout. */
export type LogDestination = boolean | { stream: NodeJS.WritableStream } | undefined;

/** Probes, metrics scrapes and static files: polled or fetched in bulk, never worth a line in development. */
const QUIET_PATHS = /^\/(?:health|ready|metrics)(?:[/?]|$)|^\/(?:uploads|docs)\/./;

/**
 * Development logs one short line per request (`GET /v1/products 200 4 ms`)
 * when it completes, and none for probes and static files, instead of
 * Fastify's two multi-line records per request. Production logs one JSON
 * record per request (ProductionLogController).
 */
export class DevelopmentLogController extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (QUIET_PATHS.test(request.originalUrl)) return;
    const line = `${request.method} ${request.originalUrl} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (error) reply.log.error({ err: error }, line);
    else reply.log.info(line);
  }
}

/** What the server learns about a request while answering it, for its log line. */
interface RequestFacts {
  face?: string;
  /** The route pattern or tRPC procedure(s), as /metrics labels it. */
  route?: string;
  userId?: number;
  apiKeyId?: number | null;
}

const facts = new WeakMap<FastifyRequest, RequestFacts>();

function factsOf(request: FastifyRequest): RequestFacts {
  let known = facts.get(request);
  if (!known) facts.set(request, (known = {}));
  return known;
}

/** The metrics plugin names the route (a pattern, never a raw URL) once the reply is sent. */
export function noteRoute(request: FastifyRequest, face: string, route: string): void {
  Object.assign(factsOf(request), { face, route });
}

/** The router names the caller once their token or API key checks out. */
export function noteCaller(
  request: FastifyRequest,
  caller: { userId: number; apiKeyId: number | null },
): void {
  Object.assign(factsOf(request), caller);
}

/**
 * Production logs one JSON record per request when it completes, instead
 * of Fastify's two (incoming, completed): the request id (`reqId`, the
 * `x-request-id` the client got back), method, path without its query
 * (queries carry search words and tRPC inputs), face and route, status,
 * duration, and the caller's user id (and API key id) when the call was
 * signed. Probes, metrics scrapes and static files are left out while they
 * succeed: a balancer asks every few seconds, a page fetches files in bulk.
 */
export class ProductionLogController extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const status = reply.statusCode;
    if (status < 400 && QUIET_PATHS.test(request.originalUrl)) return;
    const { face, route, userId, apiKeyId } = facts.get(request) ?? {};
    const line = {
      method: request.method,
      path: request.originalUrl.split('?', 1)[0],
      face,
      route,
      status,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      userId,
      ...(apiKeyId ? { apiKeyId } : {}),
    };
    // An error while sending (a reset socket); the handlers log their own failures with their cause.
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** pino-pretty in development: one line per record, the time, no pid, host or request id. */
const PRETTY: PrettyOptions = {
  translateTime: 'HH:MM:ss',
  ignore: 'pid,hostname,reqId',
  singleLine: true,
};

/** Fastify's logger and log controller for an environment. */
export function loggingOptions(
  config: Config,
  destination: LogDestination,
): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  if (destination === false) return { logger: false };
  const development = config.env === 'development';
  const stream = typeof destination === 'object' ? destination.stream : undefined;
  const logger: FastifyServerOptions['logger'] = {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'req.headers["x-api-key"]',
        'headers["x-api-key"]',
      ],
      censor: '[redacted]',
    },
  };
  if (!development) {
    return {
      logger: stream ? { ...logger, stream } : logger,
      logController: new ProductionLogController(),
    };
  }
  return {
    logger: stream
      ? // In-process, so a test reads exactly the lines a developer sees.
        {
          ...logger,
          stream: pretty({ ...PRETTY, colorize: false, destination: stream, sync: true }),
        }
      : { ...logger, transport: { target: 'pino-pretty', options: PRETTY } },
    logController: new DevelopmentLogController(),
  };
}
