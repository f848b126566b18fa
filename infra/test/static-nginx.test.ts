import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import {
  chmod,
  type FileHandle,
  mkdir,
  mkdtemp,
  open,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The `web` image's nginx config (infra/static-nginx.conf), run by Debian's
 * nginx (.ci/run installs it) over two small built apps. Only what the image
 * fixes is moved: the apps' folder, the ports and /tmp become this test's own.
 */
/** Debian's path, which a non-root PATH may lack. */
const nginxBinary = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
const configFile = fileURLToPath(new URL('../static-nginx.conf', import.meta.url));
let dir: string;
let nginx: ChildProcess | undefined;
let log: FileHandle | undefined;
let storefront: string;
let admin: string;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A built app: index.html naming a hashed script, as vite writes it. */
async function writeApp(root: string, name: string) {
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), `<!doctype html><title>${name}</title>`);
  await writeFile(
    join(root, 'assets', `${name}-3f9a1c.js`),
    `console.log(${JSON.stringify(name.repeat(400))});`,
  );
}

async function waitUntilServing(url: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (nginx?.exitCode !== null)
      throw new Error(`nginx exited: ${await readFile(join(dir, 'nginx.log'), 'utf8')}`);
    const served = await fetch(url).then(
      () => true,
      () => false,
    );
    if (served) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nginx did not answer at ${url}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'buybuy-static-nginx-'));
  // Run as root, nginx's workers read the files as `nobody`.
  await chmod(dir, 0o755);
  await writeApp(join(dir, 'html', 'storefront'), 'storefront');
  await writeApp(join(dir, 'html', 'admin'), 'admin');
  await mkdir(join(dir, 'tmp'));
  const [storefrontPort, adminPort] = [await freePort(), await freePort()];
  const config = (await readFile(configFile, 'utf8'))
    .replaceAll(' /tmp/', ` ${join(dir, 'tmp')}/`)
    .replaceAll('/usr/share/nginx/html', join(dir, 'html'))
    .replaceAll(/\b8080\b/g, String(storefrontPort))
    .replaceAll(/\b8081\b/g, String(adminPort));
  await writeFile(join(dir, 'nginx.conf'), config);
  storefront = `http://127.0.0.1:${storefrontPort}`;
  admin = `http://127.0.0.1:${adminPort}`;

  // The config logs to /dev/stdout and /dev/stderr, as in the container; a
  // file behind them (node's pipes are sockets, which nginx cannot reopen).
  log = await open(join(dir, 'nginx.log'), 'w');
  nginx = spawn(nginxBinary, ['-e', 'stderr', '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', log.fd, log.fd],
  });
  await waitUntilServing(storefront);
});
afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGTERM');
    await once(nginx, 'exit');
  }
  await log?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the web image', () => {
  it.each([
    ['storefront', '/'],
    ['storefront', '/products/42'],
    ['admin', '/'],
    ['admin', '/orders/7'],
  ])('serves the %s index for %s, revalidated every time', async (app, path) => {
    const response = await fetch(`${app === 'admin' ? admin : storefront}${path}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<title>${app}</title>`);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('keeps hashed assets for a year, compressed', async () => {
    const response = await fetch(`${storefront}/assets/storefront-3f9a1c.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.text()).toContain('storefrontstorefront');
  });

  it('answers a missing asset with 404, not with the index', async () => {
    const response = await fetch(`${storefront}/assets/storefront-000000.js`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<title>storefront</title>');
  });
});
