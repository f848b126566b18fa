import { request } from 'node:http';
import type { AddressInfo } from 'node:net';

import { initTRPC } from '@trpc/server';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import superjson from 'superjson';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

/**
 * What patches/@trpc__server@11.25.2.patch gives the tRPC face
 * (docs/architecture.md, "The tRPC face's fetch objects"): a GET reaches
 * resolveResponse as a plain object, one call's JSON answer comes back as text,
 * and its procedure takes the request's own signal. These fail if the patch is
 * lost (the abort-signal count), and hold the behaviour the patch must keep:
 * the same answers, headers and statuses, and a procedure told when its client
 * goes away.
 */

const t = initTRPC.create({ transformer: superjson });
/** Set by `waitForAbort` once its signal fires. */
let aborted: (() => void) | undefined;

const router = t.router({
  echo: t.procedure.input(z.object({ word: z.string() })).query(({ input }) => ({
    said: input.word,
    at: new Date(0),
  })),
  waitForAbort: t.procedure.query(
    ({ signal }) =>
      new Promise<string>((resolve) => {
        signal?.addEventListener('abort', () => {
          aborted?.();
          resolve('aborted');
        });
      }),
  ),
  rename: t.procedure.input(z.object({ name: z.string() })).mutation(({ input }) => input.name),
});

let app: FastifyInstance;
let url: string;
beforeAll(async () => {
  app = Fastify();
  // As CORS does: a Vary of its own, which tRPC's must add to, not replace.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('vary', 'Origin');
    done();
  });
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: { router, responseMeta: () => ({ headers: { 'x-meta': 'kept' } }) },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(() => app.close());
afterEach(() => vi.restoreAllMocks());

const input = (value: unknown) => encodeURIComponent(JSON.stringify(superjson.serialize(value)));

describe('tRPC over Fastify, as patched', () => {
  it('answers one GET call with the JSON text, status and headers tRPC gives it', async () => {
    const res = await app.inject(`/trpc/echo?input=${input({ word: 'hi' })}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers.vary).toBe('Origin, trpc-accept, accept');
    expect(res.headers['x-meta']).toBe('kept');
    expect(res.body).toBe(
      '{"result":{"data":{"json":{"said":"hi","at":"1970-01-01T00:00:00.000Z"},"meta":{"values":{"at":["Date"]},"v":1}}}}',
    );
  });

  it('makes no AbortSignal.any for one GET call, and keeps them for a batch', async () => {
    const any = vi.spyOn(AbortSignal, 'any');
    expect((await app.inject(`/trpc/echo?input=${input({ word: 'one' })}`)).statusCode).toBe(200);
    expect(any).not.toHaveBeenCalled();

    const batch = await app.inject(
      `/trpc/echo,echo?batch=1&input=${encodeURIComponent(
        JSON.stringify({
          0: superjson.serialize({ word: 'a' }),
          1: superjson.serialize({ word: 'b' }),
        }),
      )}`,
    );
    expect(batch.statusCode).toBe(200);
    expect(
      batch
        .json<{ result: { data: { json: { said: string } } } }[]>()
        .map((r) => r.result.data.json.said),
    ).toEqual(['a', 'b']);
    expect(any).toHaveBeenCalled();
  });

  it('keeps tRPC errors as they were: unknown procedure, bad input, wrong method', async () => {
    const missing = await app.inject('/trpc/nothing.here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { json: { data: { code: 'NOT_FOUND' } } } });

    const invalid = await app.inject(`/trpc/echo?input=${input({ word: 3 })}`);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: { json: { data: { code: 'BAD_REQUEST' } } } });

    const wrongMethod = await app.inject(`/trpc/rename?input=${input({ name: 'x' })}`);
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
  });

  it('still serves a POST through the fetch Request', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/trpc/rename',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(superjson.serialize({ name: 'new name' })),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ result: { data: { json: 'new name' } } });
  });

  it("aborts a GET call's signal when its client goes away", async () => {
    const seen = new Promise<void>((resolve) => (aborted = resolve));
    const client = request(`${url}/trpc/waitForAbort`);
    client.on('error', () => undefined); // the socket we destroy
    client.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    client.destroy();
    await expect(
      Promise.race([
        seen.then(() => 'aborted'),
        new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000)),
      ]),
    ).resolves.toBe('aborted');
  });
});
