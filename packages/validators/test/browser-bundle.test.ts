import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the validators in a browser bundle', () => {
  it('bundles for the browser from zod alone', async () => {
    const result = await build({
      // Input paths in the metafile are relative to this package.
      absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
      entryPoints: ['src/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    });
    const inputs = Object.keys(result.metafile.inputs);
    const ours = inputs.filter((input) => !input.includes('node_modules/'));
    expect(ours.filter((input) => !input.startsWith('src/'))).toEqual([]);
    expect(ours).toContain('src/money.ts');
    const packages = inputs
      .filter((input) => input.includes('node_modules/'))
      .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input)?.[1]);
    expect([...new Set(packages)]).toEqual(['zod']);
  });

  it("keeps the price filter check free of zod, for the storefront's first screen", async () => {
    const result = await build({
      absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
      stdin: {
        contents: "export { checkPriceFilter, normaliseDecimalComma } from './src/index.ts';",
        resolveDir: fileURLToPath(new URL('..', import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    });
    // What ends up in the bundle (every import is read, unused modules are dropped).
    const [output] = Object.values(result.metafile.outputs);
    const shipped = Object.entries(output!.inputs)
      .filter(([, use]) => use.bytesInOutput > 0)
      .map(([input]) => input);
    expect(shipped).toEqual(['src/amounts.ts']);
  });
});
