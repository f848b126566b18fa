import { connect } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Sends raw bytes and reads what the server writes until it closes the socket. */
const exchange = (bytes: string) =>
  new Promise<string>((resolve, reject) => {
    const { port } = new URL(t.url);
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });

const parse = (answer: string) => {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head: head.toLowerCase(), body };
};

describe('requests Node refuses before Fastify sees them wear the envelope', () => {
  it.each([
    [
      'headers too large',
      `GET /v1/products?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE',
    ],
    ['a malformed request line', 'GET /v1/products HTTP/9.9 nonsense\r\n\r\n', 400, 'BAD_REQUEST'],
    [
      'a bad chunk',
      'POST /v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      400,
      'BAD_REQUEST',
    ],
    [
      'Content-Length with Transfer-Encoding',
      'POST /v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
      400,
      'BAD_REQUEST',
    ],
  ])('%s', async (_name, bytes, status, code) => {
    const { status: answered, head, body } = parse(await exchange(bytes));
    expect(answered).toBe(status);
    expect(head).toContain('content-type: application/json; charset=utf-8');
    expect(JSON.parse(body)).toMatchObject({
      success: false,
      data: null,
      errors: [{ field: null, code }],
      meta: {},
    });
  });
});
