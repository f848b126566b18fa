import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../../../apps/server/test/harness';

// Issue 12: the SDK as a partner installs it. The package is packed as it
// would be published, installed with npm from the tarball into a project
// outside the workspace (registry packages only, no workspace link), then
// type-checked and run against a live server under two module resolutions.

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
};
/** The versions this workspace builds with: what a partner installs beside the SDK. */
const installed = async (name: string) =>
  (
    JSON.parse(await readFile(join(packageDir, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

const TRPC_CONSUMER = `
import { createBuyBuyClient, errorCode, type RouterOutputs } from '@buybuy/client';

const [url, email, password] = process.argv.slice(2) as [string, string, string];
const client = createBuyBuyClient({ baseUrl: url });

const page = await client.products.list.query({ per_page: 5 });
const first: RouterOutputs['products']['list']['items'][number] | undefined = page.items[0];
const price: string | undefined = first?.price;

const session = await client.auth.login.mutate({ email, password });
const username: string = session.user.username;
const cart = await client.cart.addItem.mutate({ product_id: first!.id, quantity: 1 });

/** Wrong calls, for the type checker only (never run). */
export function wrongCalls() {
  // @ts-expect-error: products.list takes no "colour" filter; the types must say so.
  void client.products.list.query({ colour: 'red' });
  // @ts-expect-error: the id is a number or a string of digits, never an object.
  void client.products.byId.query({ id: { nested: true } });
}

const refused = await client.products.byId.query({ id: 999_999_999 }).catch((error: unknown) => error);
console.log(JSON.stringify({
  total: page.pagination.total, price, username,
  lines: cart.items.length, refused: errorCode(refused),
}));
`;

const REST_CONSUMER = `
import { createRestClient, type RestSchemas } from '@buybuy/client/rest';

const [url] = process.argv.slice(2) as [string];
const rest = createRestClient({ baseUrl: url });
const { data, error } = await rest.GET('/products', { params: { query: { per_page: 5 } } });
if (error) throw new Error(error.message);
const items: RestSchemas['ProductListItem'][] = data.data;

/** A wrong call, for the type checker only (never run). */
export function wrongCall() {
  // @ts-expect-error: there is no such path.
  void rest.GET('/no-such-path');
}

const missing = await rest.GET('/products/{id}', { params: { path: { id: 999999999 } } });
console.log(JSON.stringify({
  count: items.length, total: data.meta.pagination.total,
  missing: missing.error?.errors[0]?.code,
}));
`;

const tsconfig = (resolution: 'bundler' | 'node16', outDir: string) => ({
  compilerOptions: {
    target: 'es2022',
    module: resolution === 'bundler' ? 'esnext' : 'node16',
    moduleResolution: resolution,
    strict: true,
    // The SDK's own declaration files are checked too.
    skipLibCheck: false,
    types: ['node'],
    outDir,
  },
  include: ['src'],
});

let t: TestApp;
let project: string;
let compiled: Promise<unknown> | undefined;
/** The consumers compiled once for Node (node16 resolution), to run them. */
const compileForNode = async () => {
  await writeFile(
    join(project, 'tsconfig.node16.json'),
    JSON.stringify(tsconfig('node16', 'dist-node16')),
  );
  return (compiled ??= run('npx', ['tsc', '-p', 'tsconfig.node16.json'], { cwd: project }));
};
let account: { email: string; password: string };
let tarball: string;

beforeAll(async () => {
  t = await startTestApp();
  project = await mkdtemp(join(tmpdir(), 'buybuy-sdk-consumer-'));

  // Data for the consumers: a product, and an account to sign in with.
  const admin = await t.tokenFor('sdkadmin', { admin: true });
  const category = await t.rest('POST', '/v1/categories', {
    token: admin,
    body: { name: 'Packed goods' },
  });
  const product = await t.rest('POST', '/v1/products', {
    token: admin,
    body: {
      name: 'Tarball',
      price: '12.50',
      stock_quantity: 5,
      category_id: category.json().data.id,
    },
  });
  expect(product.statusCode).toBe(201);
  account = { email: 'partner@example.com', password: 'correct horse battery' };
  const registered = await t.rest('POST', '/v1/auth/register', {
    body: { username: 'partner', ...account },
  });
  expect(registered.statusCode).toBe(201);

  // Packed as published (prepack builds dist/; publishConfig swaps the exports to it).
  await run('pnpm', ['pack', '--pack-destination', project], { cwd: packageDir });
  tarball = (await readdir(project)).find((name) => name.endsWith('.tgz'))!;

  const versions = Object.fromEntries(
    await Promise.all(
      ['@trpc/client', '@trpc/server', 'superjson', 'typescript', '@types/node'].map(
        async (name) => [name, await installed(name)] as const,
      ),
    ),
  );
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'partner-app',
      private: true,
      type: 'module',
      dependencies: {
        '@buybuy/client': `file:./${tarball}`,
        '@trpc/client': versions['@trpc/client'],
        '@trpc/server': versions['@trpc/server'],
        superjson: versions.superjson,
      },
      devDependencies: { typescript: versions.typescript, '@types/node': versions['@types/node'] },
    }),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: project,
  });
  await run('mkdir', ['-p', join(project, 'src')]);
  await writeFile(join(project, 'src', 'trpc-consumer.ts'), TRPC_CONSUMER);
  await writeFile(join(project, 'src', 'rest-consumer.ts'), REST_CONSUMER);
}, 600_000);

afterAll(async () => {
  await t.close();
  await rm(project, { recursive: true, force: true });
});

describe('the packed SDK', () => {
  it('ships only its build: ESM, declarations, the REST document, and no workspace package', async () => {
    const { stdout } = await run('tar', ['-tzf', join(project, tarball)]);
    const files = stdout.trim().split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/README.md',
        'package/CHANGELOG.md',
        'package/LICENSE',
        'package/openapi.json',
        'package/dist/index.js',
        'package/dist/index.d.ts',
        'package/dist/rest.d.ts',
        'package/dist/query.d.ts',
      ]),
    );
    expect(files.filter((file) => file.startsWith('package/src/'))).toEqual([]);

    const installedManifest = JSON.parse(
      await readFile(join(project, 'node_modules/@buybuy/client/package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(installedManifest.version).toBe(manifest.version);
    expect(installedManifest.private).toBeUndefined();
    expect(JSON.stringify(installedManifest.exports)).not.toContain('src/');
    expect(JSON.stringify(installedManifest)).not.toMatch(/workspace:|catalog:/);
    expect(Object.keys(installedManifest.dependencies as object)).toEqual(['openapi-fetch']);

    for (const file of files.filter((name) => /\.(js|d\.ts)$/.test(name))) {
      const text = await readFile(
        join(project, 'node_modules/@buybuy/client', file.slice(8)),
        'utf8',
      );
      const imports = [...text.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((match) => match[1]!);
      expect(
        imports.filter((name) => name.startsWith('@buybuy/')),
        file,
      ).toEqual([]);
      expect(
        imports.filter((name) => name.startsWith('node:')),
        file,
      ).toEqual([]);
    }
  });

  it.each(['bundler', 'node16'] as const)(
    'type-checks a consumer with moduleResolution %s, the wrong calls refused',
    async (resolution) => {
      const config = `tsconfig.${resolution}.json`;
      await writeFile(
        join(project, config),
        JSON.stringify(tsconfig(resolution, `dist-${resolution}`)),
      );
      const check = run('npx', ['tsc', '-p', config, '--noEmit'], { cwd: project });
      await expect(check).resolves.toBeDefined();

      // The same consumer without its @ts-expect-error lines must fail: the types are not `any`.
      const loose = TRPC_CONSUMER.replaceAll('// @ts-expect-error', '//');
      await writeFile(join(project, 'src', 'trpc-consumer.ts'), loose);
      const failed = await run('npx', ['tsc', '-p', config, '--noEmit'], { cwd: project }).then(
        () => '',
        (error: { stdout: string }) => error.stdout,
      );
      await writeFile(join(project, 'src', 'trpc-consumer.ts'), TRPC_CONSUMER);
      // Exactly the two wrong calls, each where it was written.
      expect(failed.match(/trpc-consumer\.ts\(\d+,\d+\): error TS/g)).toHaveLength(2);
      expect(failed).toContain("'colour' does not exist");
    },
    120_000,
  );

  it('runs against a live server: the tRPC client (compiled for node16)', async () => {
    await compileForNode();
    const { stdout } = await run(
      'node',
      ['dist-node16/trpc-consumer.js', t.url, account.email, account.password],
      { cwd: project },
    );
    expect(JSON.parse(stdout)).toEqual({
      total: 1,
      price: '12.50',
      username: 'partner',
      lines: 1,
      refused: 'NOT_FOUND',
    });
  }, 120_000);

  it('runs against a live server: the REST client', async () => {
    await compileForNode();
    const { stdout } = await run('node', ['dist-node16/rest-consumer.js', t.url], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ count: 1, total: 1, missing: 'NOT_FOUND' });
  }, 60_000);
});
