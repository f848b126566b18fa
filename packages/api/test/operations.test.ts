import { describe, expect, it } from 'vitest';

import { servedOpenApiDocument } from '../src/openapi';
import { operationTable } from '../src/operations';
import { appRouter } from '../src/router';

const table = operationTable(appRouter, servedOpenApiDocument('http://localhost:3000'));

/** Every documented path made concrete, as a caller writes it, and ways to get it wrong. */
const concretePaths = table.operations.flatMap(({ path }) => {
  const concrete = path.replace(/\{[^}]+\}/g, '42');
  return [
    concrete,
    `${concrete}/`,
    concrete.toUpperCase(),
    `${concrete}/extra`,
    `/${concrete}`,
    concrete.replace(/42/g, ''),
  ];
});
const otherPaths = ['/', '', '/nope', '/nope/42', '//', '/products//', '/%70roducts'];

describe('the operation table', () => {
  it('looks a concrete path up as matching it against every operation would', () => {
    expect(table.operations.length).toBeGreaterThan(40);
    const found = new Set<string>();
    for (const path of [...concretePaths, ...otherPaths]) {
      const everyOne = table.operations.filter((operation) => operation.matches(path));
      const atPath = table.atPath(path);
      expect(atPath, path).toEqual(everyOne);
      for (const operation of atPath) found.add(`${operation.method} ${operation.path}`);
    }
    // Every operation was found through its own concrete path.
    expect(found.size).toBe(table.operations.length);
  });

  it('finds the operation a method runs, HEAD running GET, and none for a method the path lacks', () => {
    expect(table.find('GET', '/products/42')?.procedure).toBe('products.byId');
    expect(table.find('HEAD', '/PRODUCTS/42/')?.procedure).toBe('products.byId');
    expect(table.find('DELETE', '/products/42')?.procedure).toBe('products.delete');
    expect(table.find('POST', '/products/42')).toBeUndefined();
    expect(table.find('GET', '/products/42/nope')).toBeUndefined();
  });
});
