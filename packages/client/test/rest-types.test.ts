import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { generateRestTypes, REST_TYPES_FILE } from '../scripts/rest-types-source';

describe('src/rest-types.ts', () => {
  it('matches the OpenAPI document the router produces today', async () => {
    const committed = await readFile(REST_TYPES_FILE, 'utf8');
    const fresh = await generateRestTypes();
    expect(
      committed === fresh,
      'src/rest-types.ts is stale: run pnpm --filter @buybuy/client generate',
    ).toBe(true);
  });
});
