import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { envSchema } from './index';

const documented = readFileSync(
  fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url)),
  'utf8',
);

describe('docs/configuration.md', () => {
  it('documents every variable the configuration reads', () => {
    const missing = Object.keys(envSchema.shape).filter(
      (name) => !documented.includes(`\`${name}\``),
    );
    expect(missing).toEqual([]);
  });
});
