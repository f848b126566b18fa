import type { Pool } from 'mysql2/promise';

import { isDatabaseUnreachable } from './errors';
import type { Rows } from './rows';

/** A replica's state as the rotation sees it. */
export interface ReplicaState {
  /** `replica0`, `replica1`, ...: the order of DATABASE_REPLICA_URLS, as /metrics labels pools. */
  name: string;
  /** In the rotation: reads routed to it run on it. */
  up: boolean;
}

/** A replica leaving the rotation (with the failure that took it out) or coming back. */
export type ReplicaChange = ReplicaState & { error?: unknown };

export interface RotationOptions {
  /** Longest a read waits for a replica before it is taken out and the read goes elsewhere. */
  readTimeoutMs: number;
  /** How often a replica out of the rotation is asked whether it is healthy again. */
  probeIntervalMs: number;
}

interface Member extends ReplicaState {
  pool: Pool;
  probe?: NodeJS.Timeout;
}

type Method = 'query' | 'execute';

/** `pool.query(sql, values)` or `pool.execute(...)`, with whatever drizzle passed. */
const run = (pool: Pool, method: Method, sql: unknown, values: unknown): Promise<unknown> =>
  (pool[method] as (sql: unknown, values?: unknown) => Promise<unknown>).call(pool, sql, values);

/** A replica that did not answer within the read timeout (mysql2 would wait for TCP to give up). */
class ReplicaTimeout extends Error {
  readonly code = 'REPLICA_TIMEOUT';
}

/** The replica is away, not wrong: the same read may succeed elsewhere. */
export const isAway = (error: unknown) =>
  error instanceof ReplicaTimeout || isDatabaseUnreachable(error);

/** `promise`, or a ReplicaTimeout after `ms`; the timer never outlives it. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReplicaTimeout(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Which replicas take reads. Each replica's drizzle handle runs its
 * statements through `client(i)`: on the replica while it is in the rotation,
 * else on another one that is, else on the primary. A read that fails because
 * its replica is away (connection refused, reset or lost, no answer within
 * the read timeout) takes that replica out and runs again on the next choice,
 * so a read tries each replica at most once and the primary last; an SQL
 * error is the read's own and fails over nowhere. A replica out of the
 * rotation is probed every `probeIntervalMs` and comes back once it answers
 * and has applied what the primary had committed when the probe began.
 */
export class ReplicaRotation {
  private readonly members: Member[];
  private readonly listeners = new Set<(change: ReplicaChange) => void>();
  private closed = false;

  constructor(
    private readonly primary: Pool,
    replicas: Pool[],
    private readonly options: RotationOptions,
    /** The primary's GTID position and how a replica waits for it (replicas.ts). */
    private readonly caughtUp: (replica: Pool) => Promise<boolean>,
  ) {
    this.members = replicas.map((pool, i) => ({ name: `replica${i}`, pool, up: true }));
  }

  /** What drizzle gets instead of the replica's pool: `query`/`execute`, routed. */
  client(index: number): Pool {
    const member = this.members[index]!;
    const route = (method: Method) => (sql: unknown, values?: unknown) =>
      this.read(member, method, sql, values);
    // Reads only: withReplicas sends transactions to the primary, and a
    // replica handle is never given one; getConnection is there for drizzle's
    // pool check and lends the replica's own connection.
    return {
      query: route('query'),
      execute: route('execute'),
      getConnection: () => member.pool.getConnection(),
    } as unknown as Pool;
  }

  states(): ReplicaState[] {
    return this.members.map(({ name, up }) => ({ name, up }));
  }

  /**
   * The rotation after asking every replica in it to answer (`SELECT 1`
   * within the read timeout), so a replica that died while no read went its
   * way is noticed by /ready too.
   */
  async check(): Promise<ReplicaState[]> {
    await Promise.all(
      this.members
        .filter((member) => member.up)
        .map((member) =>
          // Any failure counts here: a replica that cannot answer SELECT 1 serves no reads.
          within(answers(member.pool), this.options.readTimeoutMs, member.name).catch(
            (error: unknown) => this.takeOut(member, error),
          ),
        ),
    );
    return this.states();
  }

  /** Calls `listener` whenever a replica leaves or rejoins the rotation; returns the unsubscribe. */
  watch(listener: (change: ReplicaChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replicas in the rotation, to wait for or to report on. */
  pools(): Pool[] {
    return this.members.filter((member) => member.up).map((member) => member.pool);
  }

  /** Takes out the replica behind `pool` (a write's wait for it found it away). */
  reportAway(pool: Pool, error: unknown): void {
    const member = this.members.find((each) => each.pool === pool);
    if (member) this.takeOut(member, error);
  }

  close(): void {
    this.closed = true;
    for (const member of this.members) clearTimeout(member.probe);
  }

  private async read(first: Member, method: Method, sql: unknown, values: unknown) {
    const tried = new Set<Member>();
    for (let member = first.up ? first : this.pick(tried); member; member = this.pick(tried)) {
      tried.add(member);
      try {
        return await within(
          run(member.pool, method, sql, values),
          this.options.readTimeoutMs,
          member.name,
        );
      } catch (error) {
        if (!isAway(error)) throw error;
        this.takeOut(member, error);
      }
    }
    return run(this.primary, method, sql, values);
  }

  /** A random replica in the rotation that this read has not tried yet. */
  private pick(tried: Set<Member>): Member | undefined {
    const candidates = this.members.filter((member) => member.up && !tried.has(member));
    return candidates[Math.floor(Math.random() * candidates.length)];
  }

  private takeOut(member: Member, error: unknown) {
    if (!member.up || this.closed) return;
    member.up = false;
    this.emit({ name: member.name, up: false, error });
    this.scheduleProbe(member);
  }

  private scheduleProbe(member: Member) {
    member.probe = setTimeout(() => void this.probe(member), this.options.probeIntervalMs);
    // A probe never keeps the process alive.
    member.probe.unref();
  }

  /** One probe at a time per replica: the next is scheduled only once this one has finished. */
  private async probe(member: Member) {
    const healthy = await within(
      this.caughtUp(member.pool),
      this.options.readTimeoutMs,
      member.name,
    ).catch(() => false);
    if (this.closed) return;
    if (!healthy) return this.scheduleProbe(member);
    member.up = true;
    this.emit({ name: member.name, up: true });
  }

  private emit(change: ReplicaChange) {
    for (const listener of this.listeners) listener(change);
  }
}

/** `SELECT 1` on the replica: what a probe asks when the primary cannot tell its position. */
export async function answers(replica: Pool): Promise<boolean> {
  const [rows] = await replica.query<Rows<{ ok: number }>>('SELECT 1 AS ok');
  return Number(rows[0]?.ok) === 1;
}
