import type { DataTag } from '@tanstack/query-core';

/**
 * TanStack Query keys and options derived from the router, so no screen types
 * a key by hand. `createQueries(client).products.list.queryOptions(input)` is
 * `{ queryKey: ['products.list', input], queryFn }`, its key tagged with the
 * procedure's output type; `pathFilter()` matches every input of a procedure,
 * for invalidation. Only query procedures appear. Type-only use of
 * @tanstack/query-core: nothing of it reaches a bundle from here.
 */

/** The cache key of one call: the procedure's dotted path, then its input. */
export type ProcedureKey<TInput> = readonly [path: string, input: TInput];

export interface ProcedureQueries<TInput, TOutput> {
  /** The key of this procedure called with `input`, for setQueryData, removeQueries, ... */
  queryKey: (input: TInput) => DataTag<ProcedureKey<TInput>, TOutput>;
  /** Key and fetcher for useQuery or fetchQuery; spread it to add options. */
  queryOptions: (input: TInput) => {
    queryKey: DataTag<ProcedureKey<TInput>, TOutput>;
    queryFn: () => Promise<TOutput>;
  };
  /** Matches every cached call of this procedure, whatever its input. */
  pathFilter: () => { queryKey: readonly [path: string] };
}

/** The query procedures of a typed tRPC client, as nested records of ProcedureQueries. */
export type QueriesOf<TNode> = {
  [
    K in keyof TNode as K extends string
      ? TNode[K] extends { mutate: unknown } | { subscribe: unknown }
        ? never
        : K
      : never
  ]: TNode[K] extends {
    query: (input: infer TInput, ...rest: never[]) => Promise<infer TOutput>;
  }
    ? ProcedureQueries<TInput, TOutput>
    : QueriesOf<TNode[K]>;
};

type Query = (input: unknown) => Promise<unknown>;

function procedureQueries(client: object, path: readonly string[]) {
  const name = path.join('.');
  // The tRPC client is itself a proxy: walking it builds the same path the call is sent to.
  const call = path.reduce<Record<string, unknown>>(
    (node, segment) => node[segment] as Record<string, unknown>,
    client as Record<string, unknown>,
  );
  const queryKey = (input: unknown) => [name, input] as const;
  return {
    queryKey,
    queryOptions: (input: unknown) => ({
      queryKey: queryKey(input),
      queryFn: () => (call.query as Query)(input),
    }),
    pathFilter: () => ({ queryKey: [name] as const }),
  };
}

const HELPERS = new Set(['queryKey', 'queryOptions', 'pathFilter']);

function node(client: object, path: readonly string[]): unknown {
  return new Proxy(
    {},
    {
      get(_target, segment) {
        if (typeof segment !== 'string') return undefined;
        // A router may not name a procedure like a helper; tRPC's own proxy reserves `query` alike.
        if (HELPERS.has(segment)) {
          return procedureQueries(client, path)[
            segment as keyof ReturnType<typeof procedureQueries>
          ];
        }
        return node(client, [...path, segment]);
      },
    },
  );
}

/** Query keys and options for every query procedure of `client` (a BuyBuyClient). */
export function createQueries<TClient extends object>(client: TClient): QueriesOf<TClient> {
  return node(client, []) as QueriesOf<TClient>;
}
