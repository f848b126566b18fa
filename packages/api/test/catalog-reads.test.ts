import { describe, expect, it } from 'vitest';

import { appRouter } from '../src/router';
import { procedureDefs } from '../src/trpc/output';

describe('catalog reads', () => {
  it('are queries: their base leaves out the Idempotency-Key step, which writes need', () => {
    const reads = procedureDefs(appRouter).filter(([, def]) => def.meta?.sharedCache === true);
    expect(reads.map(([path]) => path)).toEqual(
      expect.arrayContaining(['products.list', 'products.byId', 'categories.list']),
    );
    expect(reads.filter(([, def]) => def.type !== 'query').map(([path]) => path)).toEqual([]);
  });
});
