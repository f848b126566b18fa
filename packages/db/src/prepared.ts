import type { Database } from './client';

/** Beyond this many shapes on one handle, its statements are rebuilt from scratch. */
const MAX_SHAPES = 1000;

/**
 * Statements drizzle builds once per shape and then only executes. Building a
 * list page's SQL (query builders, an `is()` check on every chunk) costs the
 * API more CPU than mysql2 spends sending and reading it; a prepared query
 * keeps the SQL text and only fills in its placeholders.
 *
 * `prepared(build, keyOf)` returns `(db, shape) => statement`. A shape names
 * what the SQL text depends on (the filters present, the sort, how many ids
 * an IN list takes), never the values, which go in placeholders. A handle made
 * by `withReplicas` gets its statements per replica and picks one at random
 * per call, as `withReplicas` does for a select.
 */
export function prepared<Shape, Statement>(
  build: (db: Database, shape: Shape) => Statement,
  keyOf: (shape: Shape) => string,
): (db: Database, shape: Shape) => Statement {
  const byHandle = new WeakMap<Database, Map<string, Statement>>();
  return (db, shape) => {
    const replicas = (db as { $replicas?: Database[] }).$replicas;
    const target = replicas?.length ? replicas[Math.floor(Math.random() * replicas.length)]! : db;
    let statements = byHandle.get(target);
    if (!statements || statements.size >= MAX_SHAPES)
      byHandle.set(target, (statements = new Map()));
    const key = keyOf(shape);
    let statement = statements.get(key);
    if (statement === undefined) statements.set(key, (statement = build(target, shape)));
    return statement;
  };
}
