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
 * Fastify's two multi-line records per request. Production keeps those
 * structured JSON records.
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
  if (!development) return { logger: stream ? { ...logger, stream } : logger };
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
