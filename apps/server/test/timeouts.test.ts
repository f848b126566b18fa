import { connect } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ http: { keepAliveMs: 1000, requestMs: 300, idleMs: 1500 } });
});
afterAll(() => t.close());

/** Opens a socket, writes `bytes`, and reads until the server closes it (and how long that took). */
const until = (bytes: string) =>
  new Promise<{ answer: string; ms: number }>((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(new URL(t.url).port), '127.0.0.1', () => {
      if (bytes) socket.write(bytes);
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve({ answer, ms: Date.now() - started }));
    socket.on('error', reject);
  });

describe('connection timeouts', () => {
  it('a request that does not arrive in time is a 408 in the envelope', async () => {
    const { answer, ms } = await until('GET /v1/products HTTP/1.1\r\nHost: a\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({
      success: false,
      errors: [{ code: 'REQUEST_TIMEOUT' }],
    });
    expect(ms).toBeLessThan(5000);
  });

  it('a socket that never sends is closed', async () => {
    const { answer, ms } = await until('');
    expect(ms).toBeLessThan(5000);
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('an idle kept-alive connection is closed, and says when', async () => {
    const { answer, ms } = await until('GET /health HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.toLowerCase()).toContain('keep-alive: timeout=1');
    expect(ms).toBeLessThan(5000);
  });
});
