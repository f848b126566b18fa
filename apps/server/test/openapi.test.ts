import SwaggerParser from '@apidevtools/swagger-parser';
import { envelopeOpenApiDocument } from '@buybuy/api/openapi';
import type { OpenAPIObject } from 'trpc-to-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let doc: Json;
beforeAll(async () => {
  t = await startTestApp({ publicUrl: 'https://api.buybuy.test' });
  const res = await t.rest('GET', '/openapi.json');
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(() => t.close());

/** Every REST operation of the contract (docs: /work/shared/spec/api-contract.md). */
const CONTRACT: [method: string, path: string][] = [
  ['post', '/auth/register'],
  ['post', '/auth/login'],
  ['post', '/auth/refresh'],
  ['post', '/auth/logout'],
  ['get', '/users/profile'],
  ['put', '/users/profile'],
  ['get', '/users'],
  ['get', '/categories'],
  ['post', '/categories'],
  ['get', '/categories/{id}'],
  ['put', '/categories/{id}'],
  ['delete', '/categories/{id}'],
  ['get', '/products'],
  ['post', '/products'],
  ['get', '/products/{id}'],
  ['put', '/products/{id}'],
  ['delete', '/products/{id}'],
];

const operations = () =>
  Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json).map(([method, operation]) => ({
      method,
      path,
      operation: operation as Json,
    })),
  );

const schemaOf = (response: Json) => response.content['application/json'].schema as Json;
const resolve = (schema: Json): Json =>
  schema.$ref
    ? resolve(doc.components.schemas[String(schema.$ref).replace('#/components/schemas/', '')])
    : schema;

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI document served outside the envelope', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('BuyBuy API');
    expect(doc.servers).toEqual([{ url: 'https://api.buybuy.test/v1' }]);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('documents every operation of the contract, and paths without trailing slashes', () => {
    const documented = operations().map(({ method, path }) => `${method} ${path}`);
    for (const [method, path] of CONTRACT) expect(documented).toContain(`${method} ${path}`);
    for (const path of Object.keys(doc.paths)) expect(path).not.toMatch(/.\/$/);
  });

  it('declares bearer JWT auth, required on protected operations only', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    // A requirement `{}` among them: callable with no credentials (a public read an API key may make).
    const secured = (method: string, path: string) => {
      const security = (doc.paths[path][method].security ?? []) as object[];
      return security.length > 0 && !security.some((entry) => Object.keys(entry).length === 0);
    };
    expect(secured('get', '/users/profile')).toBe(true);
    expect(secured('post', '/products')).toBe(true);
    expect(secured('post', '/auth/login')).toBe(false);
    expect(secured('get', '/products')).toBe(false);
  });

  it('declares the API key scheme beside it, with the scope, where a key may call', () => {
    expect(doc.components.securitySchemes.apiKey).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
    const keyScopes = (method: string, path: string) =>
      ((doc.paths[path][method].security ?? []) as Record<string, string[]>[]).find(
        (entry) => entry.apiKey,
      )?.apiKey;
    expect(keyScopes('get', '/products')).toEqual(['catalog:read']);
    expect(keyScopes('post', '/products')).toEqual(['catalog:write']);
    expect(keyScopes('post', '/orders/{id}/ship')).toEqual(['orders:write']);
    expect(keyScopes('post', '/uploads/images')).toEqual(['catalog:write']);
    for (const [method, path] of [
      ['get', '/users'],
      ['get', '/users/profile'],
      ['post', '/auth/login'],
      ['get', '/api-keys'],
      ['get', '/cart'],
    ] as const)
      expect(keyScopes(method, path), `${method} ${path}`).toBeUndefined();
  });
});

describe('responses describe the enveloped bodies', () => {
  it('every success is {success: true, data, message, errors: [], meta}', () => {
    for (const { method, path, operation } of operations()) {
      const statuses = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      expect(statuses, `${method} ${path}`).toHaveLength(1);
      const schema = schemaOf(operation.responses[statuses[0]!]);
      expect(schema.required, `${method} ${path}`).toEqual([
        'success',
        'data',
        'message',
        'errors',
        'meta',
      ]);
      expect(schema.properties.success).toEqual({ type: 'boolean', enum: [true] });
      expect(schema.properties.errors.maxItems).toBe(0);
    }
  });

  it('creates answer 201, the rest 200', () => {
    expect(Object.keys(doc.paths['/auth/register'].post.responses)).toContain('201');
    expect(Object.keys(doc.paths['/auth/register'].post.responses)).not.toContain('200');
    expect(Object.keys(doc.paths['/auth/login'].post.responses)).toContain('200');
    expect(Object.keys(doc.paths['/products'].post.responses)).toContain('201');
    expect(Object.keys(doc.paths['/categories'].post.responses)).toContain('201');
    expect(Object.keys(doc.paths['/products/{id}'].put.responses)).toContain('200');
  });

  it('lists put the array in data and the page in meta.pagination', () => {
    for (const path of ['/products', '/users']) {
      const schema = schemaOf(doc.paths[path].get.responses['200']);
      expect(resolve(schema.properties.data).type, path).toBe('array');
      expect(schema.properties.meta.required).toEqual(['pagination']);
      expect(Object.keys(resolve(schema.properties.meta.properties.pagination).properties)).toEqual(
        ['page', 'per_page', 'total', 'total_pages'],
      );
    }
  });

  it('a single resource is data itself', () => {
    const schema = schemaOf(doc.paths['/products/{id}'].get.responses['200']);
    expect(resolve(schema.properties.data).properties).toHaveProperty('price');
    expect(schema.properties.meta).toEqual({ type: 'object' });
  });

  it('every error refers to the shared ErrorEnvelope', () => {
    expect(resolve({ $ref: '#/components/schemas/ErrorEnvelope' })).toMatchObject({
      required: ['success', 'data', 'message', 'errors', 'meta'],
      properties: {
        success: { enum: [false] },
        data: { type: 'null' },
        errors: { items: { $ref: '#/components/schemas/FieldError' } },
      },
    });
    expect(resolve({ $ref: '#/components/schemas/FieldError' }).properties.field.type).toEqual([
      'string',
      'null',
    ]);
    for (const { method, path, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        if (Number(status) < 400) continue;
        expect(schemaOf(response), `${method} ${path} ${status}`).toEqual({
          $ref: '#/components/schemas/ErrorEnvelope',
        });
      }
    }
    expect(Object.keys(doc.components.schemas).filter((name) => name.startsWith('error.'))).toEqual(
      [],
    );
  });

  it('lists the errors each operation can really meet', () => {
    const statuses = (method: string, path: string) =>
      Object.keys(doc.paths[path][method].responses).map(Number);
    for (const { method, path } of operations()) {
      expect(statuses(method, path), `${method} ${path}`).toEqual(
        expect.arrayContaining([429, 500, 503]),
      );
      for (const status of ['429', '503'])
        expect(doc.paths[path][method].responses[status].headers['Retry-After'].schema.type).toBe(
          'integer',
        );
    }
    expect(statuses('post', '/products')).toEqual(
      expect.arrayContaining([400, 401, 403, 409, 413, 415]),
    );
    expect(statuses('get', '/products/{id}')).toEqual(expect.arrayContaining([400, 404]));
    expect(statuses('get', '/products/{id}')).not.toContain(413);
    expect(statuses('delete', '/categories/{id}')).toEqual(
      expect.arrayContaining([401, 403, 404, 409]),
    );
    expect(statuses('get', '/products')).not.toContain(404);
    expect(statuses('post', '/auth/register')).toEqual(
      expect.arrayContaining([400, 409, 413, 415]),
    );
    expect(statuses('post', '/auth/register')).not.toContain(403);
  });

  it("keeps each procedure's own error descriptions", () => {
    expect(doc.paths['/auth/login'].post.responses['401'].description).toBe(
      'Invalid email or password',
    );
    expect(doc.paths['/auth/refresh'].post.responses['401'].description).not.toBe(
      'Invalid email or password',
    );
  });
});

describe('envelopeOpenApiDocument', () => {
  it('is pure: the input document is left as it was', () => {
    const source: OpenAPIObject = {
      openapi: '3.1.0',
      info: { title: 'x', version: '1' },
      paths: {
        '/things': {
          get: {
            responses: {
              200: {
                description: 'ok',
                content: { 'application/json': { schema: { type: 'string' } } },
              },
            },
          },
        },
      },
      components: { schemas: { 'error.NOT_FOUND': { type: 'object' } } },
    };
    const before = structuredClone(source);
    const after = envelopeOpenApiDocument(source, [
      { method: 'get', path: '/things', successStatus: 200, errorResponses: {} },
    ]);
    expect(source).toEqual(before);
    expect(
      (after.paths as Json)['/things'].get.responses['200'].content['application/json'].schema
        .properties.data,
    ).toEqual({ type: 'string' });
  });
});

describe('GET /docs', () => {
  it('serves the interactive reference, reading /openapi.json', async () => {
    const redirect = await t.rest('GET', '/docs');
    expect([200, 301, 302]).toContain(redirect.statusCode);
    const res = await t.rest('GET', '/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('/openapi.json');
    const script = /<script src="([^"]+)"/.exec(res.body)?.[1];
    expect(script).toBeDefined();
    const js = await t.rest('GET', new URL(script!, 'http://x/docs/').pathname);
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
  });
});

describe('real responses match the document', () => {
  it('a list and an error have the documented shapes', async () => {
    const list = await t.rest('GET', '/v1/products?per_page=5');
    expect(list.statusCode).toBe(200);
    const listSchema = schemaOf(doc.paths['/products'].get.responses['200']);
    expect(Object.keys(list.json()).sort()).toEqual(Object.keys(listSchema.properties).sort());
    expect(Object.keys(list.json().meta.pagination).sort()).toEqual(
      Object.keys(resolve(listSchema.properties.meta.properties.pagination).properties).sort(),
    );
    const missing = await t.rest('GET', '/v1/products/999999');
    expect(missing.statusCode).toBe(404);
    expect(Object.keys(missing.json()).sort()).toEqual(
      Object.keys(resolve({ $ref: '#/components/schemas/ErrorEnvelope' }).properties).sort(),
    );
  });
});
