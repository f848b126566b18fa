import type { OpenAPIObject } from 'trpc-to-openapi';

import type { ProcedureMeta } from './trpc';

/**
 * The API's operations in one table, built once at start from the router and
 * the served OpenAPI document: every REST operation (method, path, the
 * procedure behind it, who may call it, its success status, the bodies it
 * takes) and every tRPC procedure. The server's plugins (caching, metrics,
 * 405/415 detection, 201s) read it instead of each matching paths or reading
 * tRPC's internals on its own; this module is the only one that does.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export type ProcedureType = 'query' | 'mutation' | 'subscription';

export interface Operation {
  method: HttpMethod;
  /** As in the OpenAPI document, relative to /v1: `/products/{id}`. */
  path: string;
  /** Whether a concrete path relative to /v1 (`/products/42`, trailing slash allowed) is this one's. */
  matches: (path: string) => boolean;
  /** The tRPC procedure behind it; absent for routes the server adds by hand (image uploads). */
  procedure?: string;
  type?: ProcedureType;
  /** Callable without a token (`protect: false`, or no security requirement for a hand-written route). */
  public: boolean;
  /** Its anonymous answer may be stored and shared (`meta.sharedCache`). */
  sharedCache: boolean;
  successStatus: number;
  /** Content types its documented request body accepts (JSON when it documents none). */
  contentTypes: string[];
}

export interface ProcedureEntry {
  name: string;
  type: ProcedureType;
  /** Its REST face, when it has one. */
  operation?: Operation;
}

export interface OperationTable {
  /** Every REST operation, in the document's order (paths, then methods as in HTTP_METHODS). */
  operations: readonly Operation[];
  /** The operations at a concrete path relative to /v1, in the same order; empty when unknown. */
  atPath: (path: string) => Operation[];
  /** The operation a `method` on a concrete path relative to /v1 runs (HEAD runs GET). */
  find: (method: string, path: string) => Operation | undefined;
  /** A tRPC procedure by name (`products.list`). */
  procedure: (name: string) => ProcedureEntry | undefined;
}

export interface RouterProcedure {
  name: string;
  type: ProcedureType;
  meta?: ProcedureMeta;
}

/** The router's procedures with their type and meta: the one reader of tRPC's `_def`. */
export function routerProcedures(router: { _def: { procedures: object } }): RouterProcedure[] {
  const procedures = router._def.procedures as Record<
    string,
    { _def: { type: ProcedureType; meta?: ProcedureMeta } }
  >;
  return Object.entries(procedures).map(([name, { _def }]) => ({
    name,
    type: _def.type,
    meta: _def.meta,
  }));
}

/** A document path as trpc-to-openapi writes it: one leading slash, none trailing. */
const normalisePath = (path: string) => `/${path.replace(/^\/|\/$/g, '')}`;

/** `{id}` segments match any one segment, case-insensitively, as trpc-to-openapi matches them. */
function pathMatcher(path: string): (path: string) => boolean {
  const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  const regex = new RegExp(`^${pattern}/?$`, 'i');
  return (concrete) => regex.test(concrete);
}

/** `products` of `/products/42` (as the matcher compares: in lower case). */
const firstSegment = (path: string) => (path.split('/', 2)[1] ?? '').toLowerCase();

type DocumentOperation = {
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, unknown>;
  security?: unknown[];
};

/** A hand-written route's success status: its first documented 2xx. */
function documentedSuccess(operation: DocumentOperation): number {
  const statuses = Object.keys(operation.responses ?? {})
    .map(Number)
    .filter((status) => status >= 200 && status < 300)
    .sort((a, b) => a - b);
  return statuses[0] ?? 200;
}

/** Builds the table. Call once at start, with the document the server serves. */
export function operationTable(
  router: { _def: { procedures: object } },
  document: OpenAPIObject,
): OperationTable {
  const procedures = routerProcedures(router);
  const byRoute = new Map<string, RouterProcedure>();
  for (const procedure of procedures) {
    const openapi = procedure.meta?.openapi;
    if (openapi) byRoute.set(`${openapi.method} ${normalisePath(openapi.path)}`, procedure);
  }

  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const matches = pathMatcher(path);
    for (const method of HTTP_METHODS) {
      const documented = item[method.toLowerCase() as 'get'] as DocumentOperation | undefined;
      if (!documented) continue;
      const contentTypes = Object.keys(
        documented.requestBody?.content ?? { 'application/json': {} },
      );
      const procedure = byRoute.get(`${method} ${path}`);
      operations.push(
        procedure
          ? {
              method,
              path,
              matches,
              procedure: procedure.name,
              type: procedure.type,
              public: procedure.meta?.openapi?.protect === false,
              sharedCache: procedure.meta?.sharedCache === true,
              successStatus: procedure.meta?.successStatus ?? 200,
              contentTypes,
            }
          : {
              method,
              path,
              matches,
              public: (documented.security ?? []).length === 0,
              sharedCache: false,
              successStatus: documentedSuccess(documented),
              contentTypes,
            },
      );
    }
  }

  const byName = new Map<string, ProcedureEntry>(
    procedures.map(({ name, type }) => [
      name,
      { name, type, operation: operations.find((operation) => operation.procedure === name) },
    ]),
  );
  // A REST request looks its operation up several times (405 and 415, the
  // caches, metrics): a concrete path is matched against the operations whose
  // path starts with the same segment, not against every one.
  const bySegment = new Map<string, Operation[]>();
  for (const operation of operations) {
    const first = firstSegment(operation.path);
    bySegment.set(first, [...(bySegment.get(first) ?? []), operation]);
  }
  // A path starting with a parameter would match any first segment: then every one is tried.
  const everyOne = [...bySegment.keys()].some((first) => first.startsWith('{'));
  const atPath = (path: string) =>
    (everyOne ? operations : (bySegment.get(firstSegment(path)) ?? [])).filter((operation) =>
      operation.matches(path),
    );
  return {
    operations,
    atPath,
    find: (method, path) => {
      const wanted = method === 'HEAD' ? 'GET' : method;
      return atPath(path).find((operation) => operation.method === wanted);
    },
    procedure: (name) => byName.get(name),
  };
}
