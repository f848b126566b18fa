import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { createEmbeddedQueue, defineJob } from '../src';
import { depsWithout, waitFor } from './support';

const retry = { attempts: 3, backoffMs: 60 };

describe('the embedded queue (no Redis)', () => {
  it('returns from enqueue before the job runs, then runs it with its parsed payload', async () => {
    const seen: string[] = [];
    const greet = defineJob({
      name: 'greet',
      payload: z.object({ who: z.string().min(1) }),
      handler: async ({ who }) => {
        seen.push(who);
      },
    });
    const queue = createEmbeddedQueue({ definitions: [greet], deps: depsWithout(), retry });
    await queue.enqueue(greet, { who: 'Ada' });
    expect(seen).toEqual([]);
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual(['Ada']);
    await queue.close();
  });

  it('refuses a bad payload in the caller, and a job it was not given', async () => {
    const greet = defineJob({
      name: 'greet',
      payload: z.object({ who: z.string().min(1) }),
      handler: async () => undefined,
    });
    const other = defineJob({ name: 'other', payload: z.object({}), handler: async () => 1 });
    const queue = createEmbeddedQueue({ definitions: [greet], deps: depsWithout(), retry });
    await expect(queue.enqueue(greet, { who: '' })).rejects.toThrow(z.ZodError);
    await expect(queue.enqueue(other, {})).rejects.toThrow(/Unknown job other/);
    await queue.close();
  });

  it('retries with exponential backoff, then keeps the job as failed', async () => {
    const tries: number[] = [];
    const flaky = defineJob({
      name: 'flaky',
      payload: z.object({ n: z.number() }),
      handler: async () => {
        tries.push(Date.now());
        throw new Error('still broken');
      },
    });
    const deps = depsWithout();
    const queue = createEmbeddedQueue({ definitions: [flaky], deps, retry });
    await queue.enqueue(flaky, { n: 7 });
    await waitFor(async () => (await queue.counts()).failed === 1);
    expect(tries).toHaveLength(3);
    // The waits double (60 ms, then 120 ms). Read with Date.now(), a timer can
    // seem to fire a few ms early (libuv measures from its loop's cached clock),
    // hence the slack: the second wait is still longer than the whole first.
    const early = 5;
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(60 - early);
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(120 - early);
    expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 1 });
    const [failed] = await queue.failed();
    expect(failed).toMatchObject({
      name: 'flaky',
      payload: { n: 7 },
      error: 'still broken',
      tries: 3,
    });
    expect(deps.log.lines.filter((line) => line.level === 'warn')).toHaveLength(2);
    expect(deps.log.lines.filter((line) => line.level === 'error')).toHaveLength(1);
    await queue.close();
  });

  it('succeeds on a later try without counting a failure', async () => {
    let calls = 0;
    const second = defineJob({
      name: 'second',
      payload: z.object({}),
      handler: async () => {
        calls++;
        if (calls === 1) throw new Error('first try fails');
      },
    });
    const queue = createEmbeddedQueue({ definitions: [second], deps: depsWithout(), retry });
    await queue.enqueue(second, {});
    await waitFor(() => calls === 2);
    await waitFor(async () => (await queue.counts()).active === 0);
    expect(await queue.counts()).toMatchObject({ failed: 0, delayed: 0 });
    await queue.close();
  });

  it('runs at most `concurrency` jobs at once, and close waits for the ones under way', async () => {
    let running = 0;
    let most = 0;
    let done = 0;
    const slow = defineJob({
      name: 'slow',
      payload: z.object({}),
      handler: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 80));
        running--;
        done++;
      },
    });
    const queue = createEmbeddedQueue({
      definitions: [slow],
      deps: depsWithout(),
      retry,
      concurrency: 2,
    });
    for (let i = 0; i < 6; i++) await queue.enqueue(slow, {});
    await waitFor(async () => (await queue.counts()).active === 2);
    expect((await queue.counts()).waiting).toBe(4);
    await waitFor(() => done === 6);
    expect(most).toBe(2);
    await queue.enqueue(slow, {});
    await waitFor(() => running === 1);
    await queue.close();
    expect(done).toBe(7);
    await expect(queue.enqueue(slow, {})).rejects.toThrow(/closed/);
  });

  it('enqueues each schedule at start and again every interval', async () => {
    let runs = 0;
    const tick = defineJob({
      name: 'tick',
      payload: z.object({}),
      handler: async () => {
        runs++;
      },
    });
    const queue = createEmbeddedQueue({
      definitions: [tick],
      deps: depsWithout(),
      retry,
      schedules: [{ job: tick, everyMs: 100, payload: {} }],
    });
    await waitFor(() => runs >= 3);
    await queue.close();
    const after = runs;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(runs).toBe(after);
  });
});
