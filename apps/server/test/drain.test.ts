import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

import { loadConfig } from '@buybuy/config';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';

/**
 * Closing the app (what SIGTERM does in server.ts) while requests are under
 * way, on a real port: /ready turns 503 at once for a balancer still asking,
 * other requests that reach the closing instance on an open connection are
 * served, and the close ends only after every handler has. The handlers are
 * held by a database check the test releases (the readiness ping).
 */
let db: TestDatabase;
let app: FastifyInstance;
let port: number;
let releasePing: () => void;
let pinged: Promise<void>;
let pingStarted: () => void;

beforeAll(async () => {
  db = await createTestDatabase();
  const gate = new Promise<void>((resolve) => (releasePing = resolve));
  let started = 0;
  // Two held /ready calls, one per connection: resolved once both wait.
  pinged = new Promise<void>((resolve) => (pingStarted = () => ++started === 2 && resolve()));
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    db: db.db,
    logger: false,
    pingDatabase: async () => {
      pingStarted();
      await gate;
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`;

/** A kept-alive connection and everything the server wrote on it. */
async function openConnection() {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const ended = once(socket, 'close').then(() => received);
  return { socket, ended };
}

/** Resolves once the port refuses connections: the close has begun. */
async function untilRefused() {
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const probe: Socket = connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve(false);
      });
      probe.once('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The status line and body of each response in `raw`, in order. */
function responses(raw: string) {
  return raw.split(/(?=HTTP\/1\.1 )/).map((response) => ({
    status: Number(response.slice(9, 12)),
    connection: /\r\nconnection: (\S+)/i.exec(response)?.[1],
    body: response.slice(response.indexOf('\r\n\r\n') + 4),
  }));
}

describe('closing the app with requests under way', () => {
  it('answers /ready 503 at once, serves what still arrives, and ends after every handler', async () => {
    const first = await openConnection();
    const second = await openConnection();
    // One that never sends a request (a preconnect): Node's close alone would wait for it.
    const unused = await openConnection();
    first.socket.write(request('/ready'));
    second.socket.write(request('/ready'));
    await pinged;

    const closing = app.close();
    await untilRefused();
    // Requests that reach the closing instance on its open connections.
    first.socket.write(request('/ready'));
    second.socket.write(request('/health'));
    releasePing();

    const [onFirst, onSecond, onUnused] = await Promise.all([
      first.ended,
      second.ended,
      unused.ended,
    ]);
    expect(onUnused).toBe('');
    expect(responses(onFirst)).toEqual([
      { status: 200, connection: 'keep-alive', body: expect.stringContaining('"status":"ok"') },
      { status: 503, connection: 'close', body: '{"status":"closing"}' },
    ]);
    expect(responses(onSecond)).toEqual([
      { status: 200, connection: 'keep-alive', body: expect.stringContaining('"status":"ok"') },
      { status: 200, connection: 'close', body: '{"status":"ok"}' },
    ]);
    await closing;
  });
});
