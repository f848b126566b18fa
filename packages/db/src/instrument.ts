import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Pool, PoolConnection } from 'mysql2/promise';

/** One statement the pool ran: its SQL shape (placeholders, never values) and how long it took. */
export interface QueryEvent {
  sql: string;
  durationMs: number;
  failed: boolean;
}

export type QueryListener = (event: QueryEvent) => void;

export interface PoolStats {
  /** Connections open (busy or idle). */
  total: number;
  /** Open connections waiting for work. */
  free: number;
  /** Callers waiting for a connection because every one is busy. */
  queued: number;
  /** connectionLimit. */
  limit: number;
}

const listeners = new WeakMap<Pool, Set<QueryListener>>();

/**
 * The text of a statement as drizzle hands it over, made safe to log: drizzle
 * sends parameterised SQL (`?` placeholders), so this only replaces any
 * string literal a hand-written statement carries and folds long
 * placeholder lists (`IN (?, ?, ?, ...)`) so one shape stays one line.
 */
export function sqlShape(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.|'')*'/g, '?')
    .replace(/\?(?:\s*,\s*\?){3,}/g, '?, ?, ?, …')
    .replace(/\s+/g, ' ')
    .trim();
}

const textOf = (query: unknown): string =>
  typeof query === 'string'
    ? query
    : typeof query === 'object' && query !== null && 'sql' in query
      ? String((query as { sql: unknown }).sql)
      : '';

type Run = (...args: unknown[]) => Promise<unknown>;

const tracer = trace.getTracer('@buybuy/db');

/**
 * A CLIENT span for one statement, when it runs inside a traced request
 * (apps/server tracing.ts). With tracing off no SDK is registered, nothing is
 * active, and this is one lookup that finds nothing. Statements outside a
 * request (background jobs, start-up checks) are not traced either.
 */
function statementSpan(sql: string): Span | undefined {
  if (!trace.getActiveSpan()?.isRecording()) return undefined;
  const statement = sqlShape(sql);
  const operation = /^\w+/.exec(statement)?.[0]?.toUpperCase() ?? 'SQL';
  return tracer.startSpan(operation, {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system': 'mysql',
      'db.system.name': 'mysql',
      'db.operation.name': operation,
      'db.statement': statement,
      'db.query.text': statement,
    },
  });
}

function endSpan(span: Span | undefined, error: unknown) {
  if (!span) return;
  if (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
  }
  span.end();
}

function timed(target: { query: Run; execute: Run }, notify: QueryListener) {
  for (const method of ['query', 'execute'] as const) {
    const original = target[method].bind(target);
    target[method] = async (...args: unknown[]) => {
      const started = performance.now();
      const span = statementSpan(textOf(args[0]));
      let failure: unknown;
      try {
        return await original(...args);
      } catch (error) {
        failure = error ?? new Error('statement failed');
        throw error;
      } finally {
        endSpan(span, failure);
        notify({
          sql: textOf(args[0]),
          durationMs: performance.now() - started,
          failed: failure !== undefined,
        });
      }
    };
  }
}

/**
 * Times every statement sent through the pool: `query`/`execute` on the pool
 * itself and on connections it lends out (drizzle's transactions). Listeners
 * subscribe with `onQuery`; with none, the cost is one clock read per statement.
 */
export function instrumentPool(pool: Pool): Pool {
  if (listeners.has(pool)) return pool;
  const subscribed = new Set<QueryListener>();
  listeners.set(pool, subscribed);
  const notify: QueryListener = (event) => {
    for (const listener of subscribed) listener(event);
  };
  timed(pool as unknown as { query: Run; execute: Run }, notify);
  const getConnection = pool.getConnection.bind(pool);
  // mysql2 lends a pooled connection in a new promise wrapper each time; one
  // wrapper per connection, timed once, keeps its identity from lend to lend
  // (statements built in a transaction are kept per connection: prepared.ts).
  const wrappers = new WeakMap<object, PoolConnection>();
  pool.getConnection = async () => {
    const connection: PoolConnection = await getConnection();
    const pooled = (connection as unknown as { connection: object }).connection;
    const known = wrappers.get(pooled);
    if (known) return known;
    timed(connection as unknown as { query: Run; execute: Run }, notify);
    wrappers.set(pooled, connection);
    return connection;
  };
  return pool;
}

/** Calls `listener` after every statement on an instrumented pool; returns the unsubscribe. */
export function onQuery(pool: Pool, listener: QueryListener): () => void {
  instrumentPool(pool); // a no-op for pools made by createDatabase
  const subscribed = listeners.get(pool)!;
  subscribed.add(listener);
  return () => subscribed.delete(listener);
}

/** The pool's current occupancy (mysql2 keeps these counts on the core pool, unexported). */
export function poolStats(pool: Pool): PoolStats {
  const core = (pool as unknown as { pool: CorePool }).pool;
  return {
    total: core._allConnections?.length ?? 0,
    free: core._freeConnections?.length ?? 0,
    queued: core._connectionQueue?.length ?? 0,
    limit: core.config?.connectionLimit ?? 0,
  };
}

interface CorePool {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}
