import { readFile } from 'node:fs/promises';

import { API_VERSION, servedOpenApiDocument } from '@buybuy/api/openapi';
import { describe, expect, it } from 'vitest';

import {
  breakingChanges,
  generateOpenApiDocument,
  OPENAPI_FILE,
  packageVersion,
  refusedChanges,
} from '../scripts/openapi-source';

/** A document being edited by hand: any shape below its version. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = { info: { version: string }; [key: string]: any };

const committedText = () => readFile(OPENAPI_FILE, 'utf8');

describe('openapi.json, the REST document published with the SDK', () => {
  it('is the document the router produces today', async () => {
    const [committed, fresh] = [await committedText(), await generateOpenApiDocument()];
    const breaks = breakingChanges(JSON.parse(committed), JSON.parse(fresh));
    expect(
      breaks,
      'the router breaks REST clients: add a "major" changeset, run pnpm changeset version, then generate',
    ).toEqual([]);
    expect(
      committed === fresh,
      'openapi.json is stale: run pnpm --filter @buybuy/client generate',
    ).toBe(true);
  });

  it("carries the package's version, which is the version the server serves", async () => {
    const version = await packageVersion();
    expect(JSON.parse(await committedText()).info.version).toBe(version);
    expect(API_VERSION, 'set API_VERSION in packages/api/src/openapi.ts to the SDK version').toBe(
      version,
    );
    expect(servedOpenApiDocument('http://x').info.version).toBe(version);
  });
});

describe('the breaking-change rules', () => {
  let base: Json;
  const changed = async (change: (document: Json) => void) => {
    base ??= JSON.parse(await committedText()) as Json;
    const after = structuredClone(base);
    change(after);
    return after;
  };
  const productBody = (document: Json) =>
    document.paths['/products'].post.requestBody.content['application/json'].schema as Json;

  it.each<[string, (document: Json) => void]>([
    ['a path removed', (d) => delete d.paths['/shop']],
    ['a method removed', (d) => delete d.paths['/products/{id}'].delete],
    [
      'a response field removed',
      (d) => {
        const product = d.components.schemas.Product;
        delete product.properties.stock_quantity;
        product.required = product.required.filter((key: string) => key !== 'stock_quantity');
      },
    ],
    [
      'a response field made optional',
      (d) => {
        const product = d.components.schemas.Product;
        product.required = product.required.filter((key: string) => key !== 'name');
      },
    ],
    [
      'a required input added',
      (d) => {
        const body = productBody(d);
        body.properties.sku = { type: 'string' };
        body.required = [...body.required, 'sku'];
      },
    ],
    ['an input type narrowed', (d) => void (productBody(d).properties.price = { type: 'string' })],
    [
      'a required query parameter added',
      (d) =>
        d.paths['/products'].get.parameters.push({
          in: 'query',
          name: 'shop',
          required: true,
          schema: { type: 'string' },
        }),
    ],
  ])('%s breaks clients, and needs a major version', async (_, change) => {
    const after = await changed(change);
    expect(breakingChanges(base, after).length).toBeGreaterThan(0);
    expect(refusedChanges(base, after).length).toBeGreaterThan(0);
    const [major] = (base.info.version as string).split('.');
    after.info.version = `${Number(major) + 1}.0.0`;
    expect(refusedChanges(base, after)).toEqual([]);
  });

  it.each<[string, (document: Json) => void]>([
    ['nothing changed', () => undefined],
    ['an operation added', (d) => (d.paths['/wishlist'] = structuredClone(d.paths['/shop']))],
    ['an optional input added', (d) => void (productBody(d).properties.note = { type: 'string' })],
    [
      'a response field added',
      (d) => void (d.components.schemas.Product.properties.rating = { type: 'number' }),
    ],
    [
      'a required response field added',
      (d) => {
        const product = d.components.schemas.Product;
        product.properties.rating = { type: 'number' };
        product.required = [...product.required, 'rating'];
      },
    ],
  ])('%s is not a break: a minor or a patch', async (_, change) => {
    const after = await changed(change);
    expect(breakingChanges(base, after)).toEqual([]);
    expect(refusedChanges(base, after)).toEqual([]);
  });
});
