import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';

import { isGrantable, scopeOf } from './api-keys/scopes';
import { API_INTRODUCTION } from './openapi-introduction';
import { routerProcedures } from './operations';
import { appRouter } from './router';

/**
 * The OpenAPI document of the REST face. trpc-to-openapi describes raw
 * procedure outputs and its own error bodies; the server wraps every /v1 body
 * in the envelope, so the generated document is rewritten here to describe
 * what clients really receive (success and error envelopes, 201 on creates,
 * the errors every operation can meet).
 */

type Json = Record<string, unknown>;
type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
const HTTP_METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

/** What the post-processor needs to know about one REST operation, read from procedure meta. */
export interface RestOperation {
  method: HttpMethod;
  /** As in the document: no trailing slash, `{id}` parameters. */
  path: string;
  successStatus: 200 | 201;
  /** Error descriptions the procedure declared (`meta.openapi.errorResponses`). */
  errorResponses: Record<number, string>;
  /** The scope an API key needs for it (api-keys/scopes.ts), when a key may have it. */
  apiKeyScope?: string;
}

export interface OpenApiDocumentOptions {
  version: string;
  /** Where /v1 is served, e.g. `https://api.example.com/v1`. */
  baseUrl: string;
  description?: string;
}

const SECURITY_SCHEME = 'bearerAuth';
const API_KEY_SCHEME = 'apiKey';

/**
 * trpc-to-openapi offers every scheme on every protected operation; a key
 * may call only the operations of a scope it can be given. Those list the key
 * scheme beside the bearer token, with the scope it needs (OpenAPI 3.1 lets a
 * non-OAuth requirement name roles); a public one also lists `{}`: it stays
 * callable with neither. The others lose the key scheme.
 */
function setApiKeySecurity(operation: Json, scope: string | undefined) {
  const current = ((operation.security ?? []) as Json[]).filter(
    (requirement) => !(API_KEY_SCHEME in requirement),
  );
  if (!scope) {
    if (operation.security) operation.security = current;
    return;
  }
  const others = current.length > 0 ? current : [{}];
  operation.security = [...others, { [API_KEY_SCHEME]: [scope] }];
}

/** Generates the enveloped document for the app router. Call once at start. */
export function createOpenApiDocument(options: OpenApiDocumentOptions): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: 'BuyBuy API',
    version: options.version,
    description: options.description,
    baseUrl: options.baseUrl,
    securitySchemes: {
      [SECURITY_SCHEME]: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'An access token from /auth/login, /auth/register or /auth/refresh; an API key (bb_live_…) is taken here too',
      },
      [API_KEY_SCHEME]: {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description:
          'A key an admin created (POST /api-keys), for third parties: reaches only the operations of its scopes (listed on each operation), with its own rate limit',
      },
    },
  });
  return envelopeOpenApiDocument(document, restOperations(appRouter));
}

/** The REST operations of a router, from each procedure's `meta.openapi`. */
export function restOperations(router: { _def: { procedures: object } }): RestOperation[] {
  const operations: RestOperation[] = [];
  for (const { name, type, meta } of routerProcedures(router)) {
    const openapi = meta?.openapi;
    const scope = scopeOf(name, type);
    if (!openapi || openapi.enabled === false) continue;
    const declared = openapi.errorResponses;
    operations.push({
      method: openapi.method.toLowerCase() as HttpMethod,
      path: `/${openapi.path.replace(/^\/|\/$/g, '')}`,
      successStatus: meta.successStatus ?? 200,
      errorResponses: Array.isArray(declared)
        ? Object.fromEntries(
            declared.map((status) => [status, DEFAULT_ERROR_DESCRIPTIONS[status] ?? 'Error']),
          )
        : { ...declared },
      ...(isGrantable(scope) ? { apiKeyScope: scope } : {}),
    });
  }
  return operations;
}

const DEFAULT_ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON or validation failed (field errors in `errors`)',
  401: 'Missing, expired or invalid access token',
  403: 'Authenticated but not allowed',
  404: 'No resource with this id',
  409: 'Conflicts with existing data',
  413: 'Request body too large',
  415: 'Request body is not application/json',
  429: 'Rate limited: wait `Retry-After` seconds',
  500: 'Unexpected server error',
  503: 'A dependency (the database) is unavailable',
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Shared components: the failure envelope and its field errors. */
const ENVELOPE_COMPONENTS: Record<string, Json> = {
  FieldError: {
    type: 'object',
    description:
      'One error. `field` is a dot path into the input (`images.0.url`), or null when no field is to blame.',
    properties: {
      field: { type: ['string', 'null'], example: 'email' },
      code: {
        type: 'string',
        description: 'Stable UPPER_SNAKE machine code',
        example: 'EMAIL_TAKEN',
      },
      message: { type: 'string', example: 'This email is already registered' },
    },
    required: ['field', 'code', 'message'],
  },
  ErrorEnvelope: {
    type: 'object',
    description: 'Every failed /v1 response.',
    properties: {
      success: { type: 'boolean', enum: [false] },
      data: { type: 'null' },
      message: { type: 'string' },
      errors: { type: 'array', items: ref('FieldError'), minItems: 1 },
      meta: { type: 'object' },
    },
    required: ['success', 'data', 'message', 'errors', 'meta'],
    example: {
      success: false,
      data: null,
      message: 'Validation failed',
      errors: [{ field: 'email', code: 'VALIDATION', message: 'Invalid email address' }],
      meta: {},
    },
  },
};

/** Every procedure's POST honours it (idempotency/middleware.ts). */
const IDEMPOTENCY_KEY: Json = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retried write safe: the same key and body within 24 hours replay the first status and body; the same key with another body is a 422 IDEMPOTENCY_KEY_REUSED; while the first request runs, a 409 IDEMPOTENCY_KEY_IN_PROGRESS. Keys are per caller.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
};

const IDEMPOTENCY_ERRORS = {
  409: 'Conflict, or a request with this Idempotency-Key is still running',
  422: 'This Idempotency-Key was used with a different request',
};

/**
 * Rewrites a trpc-to-openapi document so every response describes the
 * enveloped body. Pure: returns a new document and leaves the input alone.
 */
export function envelopeOpenApiDocument(
  source: OpenAPIObject,
  operations: RestOperation[],
): OpenAPIObject {
  const document = structuredClone(source) as unknown as Json;
  const components = (document.components ??= {}) as Json;
  const schemas = (components.schemas ??= {}) as Json;
  // trpc-to-openapi's own error bodies (`error.BAD_REQUEST`, ...) are never sent by this server.
  for (const name of Object.keys(schemas)) if (name.startsWith('error.')) delete schemas[name];
  Object.assign(schemas, ENVELOPE_COMPONENTS);

  const byKey = new Map(
    operations.map((operation) => [`${operation.method} ${operation.path}`, operation]),
  );
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const info = byKey.get(`${method} ${path}`) ?? {
        method,
        path,
        successStatus: 200,
        errorResponses: {},
      };
      setApiKeySecurity(operation, info.apiKeyScope);
      const idempotent = method === 'post' && byKey.has(`${method} ${path}`);
      if (idempotent) {
        operation.parameters = [...((operation.parameters ?? []) as Json[]), IDEMPOTENCY_KEY];
      }
      const described = idempotent
        ? { ...info, errorResponses: { ...IDEMPOTENCY_ERRORS, ...info.errorResponses } }
        : info;
      operation.responses = envelopeResponses(operation, described, schemas);
    }
  }
  return document as unknown as OpenAPIObject;
}

function envelopeResponses(operation: Json, info: RestOperation, schemas: Json): Json {
  const original = (operation.responses ?? {}) as Record<string, Json>;
  const success = original['200'] ??
    original[String(info.successStatus)] ?? { description: 'Successful response' };
  const content = success.content as Record<string, { schema?: Json }> | undefined;
  const dataSchema = content?.['application/json']?.schema ?? {};
  const responses: Json = {
    [info.successStatus]: {
      ...success,
      description:
        success.description === 'Successful response' && info.successStatus === 201
          ? 'Created'
          : success.description,
      content: { 'application/json': { schema: successEnvelope(dataSchema, schemas) } },
    },
  };
  for (const status of errorStatuses(operation, info)) {
    responses[status] = errorResponse(
      status,
      info.errorResponses[status] ?? DEFAULT_ERROR_DESCRIPTIONS[status] ?? 'Error',
    );
  }
  return responses;
}

/** The errors an operation can meet, given what the server does before and around procedures. */
function errorStatuses(operation: Json, info: RestOperation): number[] {
  const statuses = new Set(Object.keys(info.errorResponses).map(Number));
  const parameters = (operation.parameters ?? []) as Json[];
  const hasBody =
    operation.requestBody !== undefined || ['post', 'put', 'patch'].includes(info.method);
  const isProtected = Array.isArray(operation.security) && operation.security.length > 0;
  const hasPathId =
    parameters.some((parameter) => parameter.in === 'path') || /\{[^}]+\}/.test(info.path);
  const isWrite =
    info.successStatus === 201 ||
    (hasPathId && (info.method === 'put' || info.method === 'patch' || info.method === 'delete'));

  if (hasBody || parameters.length > 0) statuses.add(400);
  if (isProtected) statuses.add(401).add(403);
  if (hasPathId) statuses.add(404);
  if (isWrite) statuses.add(409);
  if (hasBody) statuses.add(413).add(415);
  statuses.add(429).add(500).add(503);
  return [...statuses].sort((a, b) => a - b);
}

/** Statuses that say when to come back: rate limited, or a dependency away. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** An error response object: the shared ErrorEnvelope (with Retry-After on 429 and 503). */
export function errorResponse(status: number, description: string): Json {
  return {
    description,
    ...(RETRY_AFTER_STATUSES.has(status)
      ? {
          headers: {
            'Retry-After': {
              description: 'Seconds to wait before retrying',
              schema: { type: 'integer', minimum: 1 },
            },
          },
        }
      : {}),
    content: { 'application/json': { schema: ref('ErrorEnvelope') } },
  };
}

/** The success envelope around a data schema (a page's items and pagination are lifted). */
export function successEnvelope(dataSchema: Json, schemas: Json = {}): Json {
  const page = pageParts(dataSchema, schemas);
  return {
    type: 'object',
    properties: {
      success: { type: 'boolean', enum: [true] },
      data: page ? page.items : normaliseData(dataSchema),
      message: { type: 'string' },
      errors: { type: 'array', items: ref('FieldError'), maxItems: 0 },
      meta: page
        ? { type: 'object', properties: { pagination: page.pagination }, required: ['pagination'] }
        : { type: 'object' },
    },
    required: ['success', 'data', 'message', 'errors', 'meta'],
  };
}

/** trpc-to-openapi writes `{not: {}}` for outputs that are never sent; the envelope carries null then. */
function normaliseData(schema: Json): Json {
  if (schema.not !== undefined && Object.keys(schema).length === 1) return { type: 'null' };
  return schema;
}

/** `{items, pagination}` outputs (shared/schemas pageSchema) become `data: items, meta.pagination`. */
function pageParts(schema: Json, schemas: Json): { items: Json; pagination: Json } | undefined {
  const resolved = resolve(schema, schemas);
  const properties = resolved?.properties as Record<string, Json> | undefined;
  if (resolved?.type !== 'object' || !properties) return undefined;
  const keys = Object.keys(properties);
  if (keys.length !== 2 || !properties.items || !properties.pagination) return undefined;
  if (resolve(properties.items, schemas)?.type !== 'array') return undefined;
  return { items: properties.items, pagination: properties.pagination };
}

function resolve(schema: Json, schemas: Json): Json | undefined {
  const target = schema.$ref;
  if (typeof target !== 'string') return schema;
  const name = target.replace('#/components/schemas/', '');
  const found = schemas[name] as Json | undefined;
  return found ? resolve(found, schemas) : undefined;
}

/**
 * The image upload, a plain multipart route of the server (apps/server/src/plugins/uploads.ts),
 * described by hand: the generator knows only the tRPC procedures.
 */
export function withUploadOperation(document: OpenAPIObject): OpenAPIObject {
  const string = { type: 'string' };
  return {
    ...document,
    paths: {
      ...document.paths,
      '/uploads/images': {
        post: {
          operationId: 'uploads-image',
          tags: ['uploads'],
          summary: 'Upload a product image (admin)',
          description:
            'Multipart upload of one JPEG, PNG, WebP or AVIF image in the field `file` (checked by content, not name). ' +
            'Answers once the original is stored: `image_url` and `thumbnail_url` show the original (`variants: pending`) ' +
            'while a background job makes a display-size WebP (1600px) and a 320px list thumbnail; attach the URLs to a product ' +
            'with `PUT /products/{id}`, and its image rows switch to the variants when they exist (`variants: ready`).',
          security: [{ [SECURITY_SCHEME]: [] }, { [API_KEY_SCHEME]: ['catalog:write'] }],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: { file: { type: 'string', format: 'binary' } },
                },
              },
            },
          },
          responses: {
            201: {
              description: 'Stored',
              content: {
                'application/json': {
                  schema: successEnvelope({
                    type: 'object',
                    required: [
                      'image_url',
                      'thumbnail_url',
                      'original_url',
                      'width',
                      'height',
                      'content_type',
                      'variants',
                    ],
                    properties: {
                      image_url: string,
                      thumbnail_url: string,
                      original_url: string,
                      width: { type: 'integer' },
                      height: { type: 'integer' },
                      content_type: {
                        type: 'string',
                        enum: ['image/jpeg', 'image/png', 'image/webp', 'image/avif'],
                      },
                      variants: { type: 'string', enum: ['pending', 'ready'] },
                    },
                  }),
                },
              },
            },
            400: errorResponse(400, 'No file, or an image that cannot be read'),
            401: errorResponse(401, 'Missing, expired or invalid token'),
            403: errorResponse(403, 'Admins only'),
            413: errorResponse(413, 'The file is larger than UPLOAD_MAX_BYTES'),
            415: errorResponse(415, 'Not multipart, or not a JPEG, PNG, WebP or AVIF image'),
            429: errorResponse(429, 'Rate limited'),
            500: errorResponse(500, 'Internal server error'),
            503: errorResponse(503, 'The database is unavailable'),
          },
        },
      },
    },
  };
}

/** Version of the REST contract, shown in the OpenAPI document. */
export const API_VERSION = '2.0.0';

/**
 * The document /openapi.json serves: the router's enveloped operations plus
 * the upload route beside them. The server serves it and the SDK's REST types
 * are generated from it, so both read this one function.
 */
export function servedOpenApiDocument(publicUrl: string): OpenAPIObject {
  return withUploadOperation(
    createOpenApiDocument({
      version: API_VERSION,
      baseUrl: `${publicUrl}/v1`,
      description: API_INTRODUCTION,
    }),
  );
}
