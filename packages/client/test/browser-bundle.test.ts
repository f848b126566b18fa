import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const FORBIDDEN = ['drizzle-orm', 'mysql2', 'fastify', 'ioredis', 'bcrypt'];

async function bundle(entry: string) {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../src/${entry}`, import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Minified like a shipped app; it also drops esbuild's path comments, whose pnpm folder names mention peers.
    minify: true,
    // As strict as a consumer's bundler can be: an import that is not `import type` stays an import.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  return {
    text: result.outputFiles.map((file) => file.text).join('\n'),
    inputs: Object.keys(result.metafile.inputs),
  };
}

describe('the SDK in a browser bundle', () => {
  for (const entry of ['index.ts', 'rest.ts']) {
    it(`${entry} bundles for the browser without any server code`, async () => {
      const { text, inputs } = await bundle(entry);
      for (const name of FORBIDDEN) expect(text, `bundle mentions ${name}`).not.toContain(name);
      expect(
        inputs.filter((input) => /packages\/(api|db|auth|config)\/|apps\//.test(input)),
      ).toEqual([]);
      expect(text.length).toBeGreaterThan(1000);
    });
  }

  it('query.ts bundles to its own few lines: TanStack Query comes from the app, as types here', async () => {
    const { text, inputs } = await bundle('query.ts');
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatch(/(^|\/)src\/query\.ts$/);
    expect(text).toContain('pathFilter');
  });
});
