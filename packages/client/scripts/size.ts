import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';

/**
 * Bundle sizes of the built SDK (run `pnpm --filter @buybuy/client build`
 * first), as the README states them: minified and gzipped, the SDK's own
 * code alone and with the dependencies a browser app bundles with it.
 */
async function size(entry: string, withDependencies: boolean) {
  const result = await build({
    entryPoints: [new URL(`../dist/${entry}.js`, import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    // TanStack Query belongs to the app: ./query uses its types only.
    external: withDependencies ? ['@tanstack/query-core'] : ['*'],
  });
  const code = result.outputFiles[0]!.contents;
  return `${(gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KB`;
}

console.warn('entry   own      with dependencies (minified + gzip)');
for (const entry of ['index', 'rest', 'query']) {
  const [own, all] = [await size(entry, false), await size(entry, true)];
  console.warn(`${entry.padEnd(8)}${own.padEnd(9)}${all}`);
}
