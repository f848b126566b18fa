import { describe, expect, it } from 'vitest';

import { createOpenApiDocument } from '../src/openapi';

// Issue 10 item 12: money inputs accept a number, and the document must say so.

const document = createOpenApiDocument({
  version: 'test',
  baseUrl: 'http://api.test/v1',
});

const offersNumber = (node: object) =>
  'anyOf' in node &&
  Array.isArray(node.anyOf) &&
  node.anyOf.some((option: { type?: string }) => option.type === 'number');

/**
 * Every schema offering a number in its `anyOf` that also names a `type`
 * (a value must match both, so `type: string` refuses the number).
 */
function typedUnions(node: unknown, at: string[] = []): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const here = 'type' in node && offersNumber(node) ? [at.join('.')] : [];
  return [
    ...here,
    ...Object.entries(node).flatMap(([key, child]) => typedUnions(child, [...at, key])),
  ];
}

describe('the OpenAPI document', () => {
  it('never pairs a type with an anyOf offering a number, so a number fits a money input', () => {
    expect(typedUnions(document)).toEqual([]);
  });

  it('describes a product price as a number or a string', () => {
    const create = document.paths?.['/products']?.post as unknown as {
      requestBody: {
        content: { 'application/json': { schema: { properties: Record<string, unknown> } } };
      };
    };
    const price = create.requestBody.content['application/json'].schema.properties.price;
    // OpenAPI 3.1 writes the union as a type list (or an anyOf): either way a number fits.
    const { type, anyOf } = price as { type?: string | string[]; anyOf?: { type: string }[] };
    const types = anyOf && type === undefined ? anyOf.map((option) => option.type) : type;
    expect(types).toEqual(['number', 'string']);
  });
});
