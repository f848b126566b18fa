import type { Socket } from 'node:net';

import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Closing waits for the route handlers still running. `close()` stops
 * accepting connections and waits for the open ones, but a client that hangs
 * up closes its socket while its handler goes on (a transaction, a job to
 * queue): server.ts would then close the database pools under it, and the
 * handler would fail with "Pool is closed", its write lost. Every handler is
 * tracked here, and the app's close waits for them before the onClose hooks
 * registered earlier (the job queue) and before server.ts closes the pools.
 *
 * From the start of the close, /ready answers 503 `closing` whatever the
 * dependencies say, for a balancer that still asks on an open connection.
 * Other requests arriving that way are served (with Connection: close; the
 * app sets return503OnClosing off), since a balancer would not retry a POST.
 *
 * Connections with no request under way are closed at once, including
 * those that never carried one (a browser's preconnect, a client's spare):
 * Node's close leaves those open until its headers timeout, past the
 * server's shutdown deadline.
 *
 * Registered before any route (it wraps the handlers of routes added after
 * it) and after the job queue's onClose hook (onClose hooks run last-first).
 */
async function drainHandlers(app: FastifyInstance) {
  const running = new Set<Promise<unknown>>();
  const quiet = quietConnections(app);
  let closing = false;

  app.addHook('preClose', async () => {
    closing = true;
    for (const socket of quiet) socket.destroy();
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (closing && request.routeOptions.url === '/ready') {
      void reply.code(503).send({ status: 'closing' });
      return; // answered: the route's handler does not run
    }
    done();
  });
  app.addHook('onRoute', (route) => {
    route.handler = tracked(route.handler, running);
  });
  app.addHook('onClose', async () => {
    // Requests still arriving on open connections add handlers: wait until none is left.
    while (running.size > 0) await Promise.allSettled([...running]);
  });
}

/** The server's connections that carry no request at the moment. */
function quietConnections(app: FastifyInstance): Set<Socket> {
  const quiet = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    quiet.add(socket);
    socket.once('close', () => quiet.delete(socket));
  });
  app.server.on('request', ({ socket }: { socket: Socket }, response: NodeJS.EventEmitter) => {
    quiet.delete(socket);
    response.once('finish', () => {
      if (!socket.destroyed) quiet.add(socket);
    });
  });
  return quiet;
}

/** The handler, its promise (or thenable reply) kept in `running` until it settles. */
function tracked(handler: RouteHandlerMethod, running: Set<Promise<unknown>>): RouteHandlerMethod {
  return function trackedHandler(this: FastifyInstance, request, reply) {
    const result: unknown = handler.call(this, request, reply);
    if (isThenable(result)) {
      // Settled either way: a failure is the handler's to report, not the drain's.
      const settled: Promise<unknown> = Promise.resolve(result)
        .catch(() => undefined)
        .finally(() => running.delete(settled));
      running.add(settled);
    }
    return result as ReturnType<RouteHandlerMethod>;
  };
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

export const drainPlugin = fp(drainHandlers, {
  name: 'buybuy-drain',
  fastify: '5.x',
});
