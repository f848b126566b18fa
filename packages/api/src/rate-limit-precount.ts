import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

import type { ChainableCommander, Cluster, Redis } from 'ioredis';

/**
 * What the rate limiter asks of a budget (rate-limit.ts): the Redis-shared
 * pre-count below and rate-limiter-flexible's limiters both answer it.
 */
export interface Bucket {
  /** Calls per window. */
  readonly points: number;
  /** Counts `calls`, refused or not; allowed while the window's total stays within `points`. */
  consume(key: string, calls: number): Promise<{ allowed: boolean; msBeforeNext: number }>;
  /** Counts `calls` only if the total stays within `points`; false, counting nothing, if not. */
  charge(key: string, calls: number): Promise<boolean>;
  used(key: string): Promise<{ calls: number; msBeforeNext: number }>;
  record(key: string, calls: number): Promise<void>;
  /** Sends what was counted here and not yet shared (shutdown). */
  flush(): Promise<void>;
}

/** How long a call counted here may wait before it is sent to Redis. */
export const FLUSH_MS = 100;

/**
 * The share of a budget each instance may count for one caller without
 * asking Redis, up to MAX_SLACK calls: with N instances a caller gets at
 * most `budget + N × slack` calls per window (slackOf). Constants rather
 * than settings: 1% is a margin nobody needs to tune, and the cap keeps a
 * huge budget (an internal client's, or the bench's) from counting mostly in
 * the process: a busy caller still reaches Redis once per 11 calls.
 */
export const LOCAL_SHARE = 0.01;
export const MAX_SLACK = 10;

export const slackOf = (points: number) =>
  Math.min(MAX_SLACK, Math.max(1, Math.ceil(points * LOCAL_SHARE)));

/**
 * One round trip per sync. ARGV: the budget, the window in ms, the points
 * this instance already counted (added whatever the total), then one
 * (points, kind) pair per call waiting for the answer, in order: `c` is
 * counted and fits while the total stays within the budget (a refused call
 * still counts, as rate-limiter-flexible counts it), `f` is counted only if
 * it fits, `r` is counted and never refused. Returns the total, the key's
 * PTTL (-2 when nothing was ever counted) and 1/0 per call for "fits". One
 * key, so a Redis Cluster runs it on the key's node. The key is the one
 * rate-limiter-flexible names (`<prefix>:<caller>`), an integer with a TTL,
 * so instances of the previous release count in the same counters.
 */
const SYNC_SCRIPT = `
local budget = tonumber(ARGV[1])
local total = tonumber(redis.call('get', KEYS[1]) or '0')
local added = tonumber(ARGV[3])
total = total + added
local answer = {0, 0}
for i = 4, #ARGV, 2 do
  local points = tonumber(ARGV[i])
  if ARGV[i + 1] == 'f' and total + points > budget then
    answer[#answer + 1] = 0
  else
    total = total + points
    added = added + points
    answer[#answer + 1] = (total <= budget) and 1 or 0
  end
end
if added > 0 then total = redis.call('incrby', KEYS[1], added) end
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('pexpire', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
answer[1] = total
answer[2] = ttl
return answer
`;
const COMMAND = 'buybuyRateLimitSync';

type Kind = 'consume' | 'charge' | 'record' | 'read';
const CODE: Record<Kind, string> = { consume: 'c', charge: 'f', record: 'r', read: 'r' };

interface Answer {
  fits: boolean;
  /** The window's total as last known (for `used`). */
  total: number;
  msBeforeNext: number;
}

interface Waiter {
  kind: Kind;
  points: number;
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
}

/** What this instance knows of one caller's counter. */
interface Counter {
  /** The Redis total at the last answer. */
  known: number;
  /** Counted here (allowed, or refused and still counted), not sent yet. */
  pending: number;
  /** Sent and counted whatever the answer, not answered yet. */
  sending: number;
  /** Sent, counted only if they fit (charges): unknown until answered. */
  maybe: number;
  /** performance.now() before which Redis still holds this window (from its PTTL, measured from the send). */
  windowEnd: number;
  /** Calls that need Redis' answer; they go with the next request. */
  queue: Waiter[];
  /** A request is in flight: one at a time per key, so `known` is always the newest total. */
  busy: boolean;
}

interface Request {
  args: (string | number)[];
  settle: (reply: number[]) => void;
  fail: (error: unknown) => void;
}

type ScriptCaller = (key: string, ...args: (string | number)[]) => Promise<number[]>;

export interface PrecountOptions {
  redis: Redis | Cluster;
  /** Prefix of the counters' keys: `<keyPrefix>:<caller key>`. */
  keyPrefix: string;
  points: number;
  windowSeconds: number;
  /** Counts instead while Redis fails: the in-process limiter. */
  fallback: Bucket;
}

/**
 * A budget counted here first and synced to Redis (issue 13): a call within
 * this instance's share of the budget is answered at once and sent within
 * FLUSH_MS, together with every other key due then, in one pipeline. Redis
 * is asked before answering only for a caller's first call here in a window,
 * or once the unsent calls would pass the share. With one instance the
 * answers are exact (what it knows is the whole total); with N, a caller gets
 * at most `budget + N × slack` calls per window (docs/architecture.md).
 *
 * rate-limiter-flexible has no such mode: `inMemoryBlockOnConsumed` only
 * saves the round trips of callers already refused, `RateLimiterCluster`
 * shares counts between the workers of one machine (not instances), and
 * every store limiter sends each consume on its own.
 */
export function createPrecountBucket(options: PrecountOptions): Bucket {
  const { redis, points, fallback } = options;
  const windowMs = options.windowSeconds * 1000;
  const slack = slackOf(points);
  const counters = new Map<string, Counter>();
  const dirty = new Set<string>();
  const flights = new Set<Promise<void>>();
  let flushTimer: NodeJS.Timeout | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  // A timed flush sends every caller's counts since the last: it runs where
  // the bucket was made, not in the request that happened to start the
  // timer (a trace would show it under that request, after its end).
  const outsideRequests = AsyncResource.bind((work: () => void) => work());

  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SYNC_SCRIPT });
  const script = (target: Redis | Cluster | ChainableCommander) =>
    (target as unknown as Record<typeof COMMAND, ScriptCaller>)[COMMAND].bind(target);
  const redisKey = (key: string) => `${options.keyPrefix}:${key}`;

  /** Answers from what this instance knows, or undefined when only Redis can. */
  function decideHere(key: string, counter: Counter, kind: Kind, calls: number) {
    const now = performance.now();
    if (now >= counter.windowEnd) return undefined; // first call here, or the window ended
    const msBeforeNext = counter.windowEnd - now;
    // A lower bound of the true total (the whole of it with one instance).
    const counted = counter.known + counter.sending + counter.pending;
    const unsent = counter.sending + counter.maybe + counter.pending;
    const answer = (fits: boolean): Answer => ({ fits, total: counted, msBeforeNext });
    switch (kind) {
      case 'read':
        return counter.maybe === 0 ? answer(true) : undefined;
      case 'record':
        countHere(key, counter, calls);
        return answer(true);
      case 'consume':
      case 'charge':
        if (counted + calls > points) {
          if (kind === 'consume') countHere(key, counter, calls);
          return answer(false);
        }
        if (counted + counter.maybe + calls <= points && unsent + calls <= slack) {
          countHere(key, counter, calls);
          return answer(true);
        }
        return undefined;
    }
  }

  function countHere(key: string, counter: Counter, calls: number) {
    counter.pending += calls;
    flushSoon(key);
  }

  function flushSoon(key: string) {
    dirty.add(key);
    if (!flushTimer) {
      flushTimer = setTimeout(() => outsideRequests(() => void flushDue()), FLUSH_MS);
      flushTimer.unref();
    }
  }

  function counterOf(key: string): Counter {
    let counter = counters.get(key);
    if (!counter) {
      counter = {
        known: 0,
        pending: 0,
        sending: 0,
        maybe: 0,
        windowEnd: 0,
        queue: [],
        busy: false,
      };
      counters.set(key, counter);
      if (!sweepTimer) {
        sweepTimer = setTimeout(sweep, windowMs);
        sweepTimer.unref();
      }
    }
    return counter;
  }

  function count(key: string, kind: Kind, calls: number): Promise<Answer> {
    const counter = counterOf(key);
    const here = decideHere(key, counter, kind, calls);
    if (here) return Promise.resolve(here);
    return new Promise((resolve, reject) => {
      counter.queue.push({ kind, points: calls, resolve, reject });
      if (!counter.busy) void send([[key, prepare(key, counter)]]);
    });
  }

  /** Moves what is pending and queued into one request; the counter is busy until it is answered. */
  function prepare(key: string, counter: Counter): Request {
    const sentAt = performance.now();
    // Points counted in a window that has ended belong to it, not to the next one.
    const carried = sentAt < counter.windowEnd ? counter.pending : 0;
    const batch = counter.queue;
    counter.pending = 0;
    counter.queue = [];
    counter.busy = true;
    counter.sending = carried;
    counter.maybe = 0;
    for (const waiter of batch) {
      if (waiter.kind === 'charge') counter.maybe += waiter.points;
      else counter.sending += waiter.points;
    }
    const args: (string | number)[] = [points, windowMs, carried];
    for (const waiter of batch) args.push(waiter.points, CODE[waiter.kind]);
    return {
      args,
      settle([total = 0, ttl = -2, ...fits]) {
        counter.busy = false;
        counter.sending = 0;
        counter.maybe = 0;
        counter.known = ttl > 0 ? total : 0;
        counter.windowEnd = ttl > 0 ? sentAt + ttl : 0;
        const msBeforeNext = Math.max(0, ttl);
        batch.forEach((waiter, i) => waiter.resolve({ fits: fits[i] === 1, total, msBeforeNext }));
        // Calls that came while waiting: most can now be answered here.
        const waiting = counter.queue;
        counter.queue = [];
        for (const waiter of waiting) {
          const here = decideHere(key, counter, waiter.kind, waiter.points);
          if (here) waiter.resolve(here);
          else counter.queue.push(waiter);
        }
        if (counter.queue.length > 0) void send([[key, prepare(key, counter)]]);
        else if (counter.pending > 0) flushSoon(key);
      },
      fail() {
        // Redis failed: this caller is counted in-process until Redis answers
        // again, starting from what was counted here and not sent.
        if (counters.get(key) === counter) counters.delete(key);
        const waiters = [...batch, ...counter.queue];
        const unsent = carried + counter.pending;
        counter.queue = [];
        counter.pending = 0;
        counter.busy = false;
        // The in-process limiter's promises do not reject.
        const recorded = unsent > 0 ? fallback.record(key, unsent) : Promise.resolve();
        for (const waiter of waiters) {
          recorded.then(() => fallbackAnswer(key, waiter)).then(waiter.resolve, waiter.reject);
        }
      },
    };
  }

  async function fallbackAnswer(key: string, { kind, points: calls }: Waiter): Promise<Answer> {
    switch (kind) {
      case 'consume': {
        const { allowed, msBeforeNext } = await fallback.consume(key, calls);
        return { fits: allowed, total: 0, msBeforeNext };
      }
      case 'charge':
        return { fits: await fallback.charge(key, calls), total: 0, msBeforeNext: 0 };
      case 'record':
        await fallback.record(key, calls);
        return { fits: true, total: 0, msBeforeNext: 0 };
      case 'read': {
        const used = await fallback.used(key);
        return { fits: true, total: used.calls, msBeforeNext: used.msBeforeNext };
      }
    }
  }

  /**
   * One round trip for all of them: a pipeline on one Redis, one command per
   * key on a Cluster (ioredis refuses a pipeline whose keys span slots).
   * Settles every request, Redis error or not.
   */
  function send(requests: [string, Request][]): Promise<void> {
    let flight: Promise<void>;
    if (requests.length > 1 && !redis.isCluster) {
      const pipeline = redis.pipeline();
      for (const [key, request] of requests) void script(pipeline)(redisKey(key), ...request.args);
      flight = pipeline.exec().then(
        (results) =>
          requests.forEach(([, request], i) => {
            const [error, reply] = results?.[i] ?? [new Error('no reply')];
            if (error) request.fail(error);
            else request.settle(reply as number[]);
          }),
        (error: unknown) => requests.forEach(([, request]) => request.fail(error)),
      );
    } else {
      const call = script(redis);
      flight = Promise.all(
        requests.map(([key, request]) =>
          call(redisKey(key), ...request.args).then(request.settle, request.fail),
        ),
      ).then(() => undefined);
    }
    flights.add(flight);
    return flight.finally(() => flights.delete(flight));
  }

  function flushDue(): Promise<void> {
    flushTimer = undefined;
    const requests: [string, Request][] = [];
    for (const key of dirty) {
      const counter = counters.get(key);
      // A busy counter sends what is left when its answer comes.
      if (!counter || counter.busy || counter.pending === 0) continue;
      // Counted in a window that has ended: they belong to it, not to the next one.
      if (performance.now() >= counter.windowEnd) counter.pending = 0;
      else requests.push([key, prepare(key, counter)]);
    }
    dirty.clear();
    return requests.length > 0 ? send(requests) : Promise.resolve();
  }

  /** Forgets callers whose window has ended, once a window. */
  function sweep() {
    sweepTimer = undefined;
    const now = performance.now();
    for (const [key, counter] of counters) {
      if (now >= counter.windowEnd && !counter.busy && counter.queue.length === 0) {
        counters.delete(key);
        dirty.delete(key);
      }
    }
    if (counters.size > 0) {
      sweepTimer = setTimeout(sweep, windowMs);
      sweepTimer.unref();
    }
  }

  return {
    points,
    async consume(key, calls) {
      const { fits, msBeforeNext } = await count(key, 'consume', calls);
      return { allowed: fits, msBeforeNext };
    },
    async charge(key, calls) {
      return (await count(key, 'charge', calls)).fits;
    },
    async used(key) {
      const { total, msBeforeNext } = await count(key, 'read', 0);
      return { calls: total, msBeforeNext };
    },
    async record(key, calls) {
      await count(key, 'record', calls);
    },
    async flush() {
      while (dirty.size > 0 || flights.size > 0) {
        if (flushTimer) clearTimeout(flushTimer);
        await flushDue();
        await Promise.all(flights);
      }
    },
  };
}
