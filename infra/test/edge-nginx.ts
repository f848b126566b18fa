import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Debian's path, which a non-root PATH may lack. */
const nginxBinary = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/** infra/: nginx.conf and the files it includes. */
export const infraDir = fileURLToPath(new URL('..', import.meta.url));

export interface EdgeLayout {
  /** The test's folder: the rendered nginx.conf, its pid and access log. */
  dir: string;
  /** The API instances' ports, in the order of the upstream's `server` lines. */
  upstreams: number[];
  http: number;
  https: number;
  /** Holds tls.crt, tls.key and chain.crt. */
  tlsDir: string;
  /** Holds storefront/ and admin/, as /usr/share/nginx/html does in compose. */
  htmlDir: string;
}

/** One swap of the rendering: what nginx.conf says, what the test needs, how often it must occur. */
interface Swap {
  find: string | RegExp;
  replace: string | ((...match: string[]) => string);
  times: number;
}

/**
 * infra/nginx.conf as this test runs it: the real file, with only what
 * differs on this machine swapped (the instances' addresses, the ports, the
 * paths of the included files, certificate, apps and log). A swap that no
 * longer matches fails loudly, so the test never runs a config that drifted
 * from the file.
 */
export async function renderNginxConfig(layout: EdgeLayout): Promise<string> {
  const swaps: Swap[] = [
    {
      find: /^(\s*)server server:3000( [^;]*)?;$/m,
      replace: (_line, indent, parameters = '') =>
        layout.upstreams
          .map((port) => `${indent}server 127.0.0.1:${port}${parameters};`)
          .join('\n'),
      times: 1,
    },
    {
      find: 'listen 80 default_server;',
      replace: `listen ${layout.http} default_server;`,
      times: 1,
    },
    { find: 'listen 443 ssl http2', replace: `listen ${layout.https} ssl http2`, times: 2 },
    { find: '/etc/nginx/tls/', replace: `${layout.tlsDir}/`, times: 3 },
    { find: '/etc/nginx/buybuy-', replace: join(infraDir, 'buybuy-'), times: 4 },
    { find: '/usr/share/nginx/html/', replace: `${layout.htmlDir}/`, times: 2 },
    { find: '/var/log/nginx/access.log', replace: join(layout.dir, 'access.log'), times: 1 },
  ];
  let config = await readFile(join(infraDir, 'nginx.conf'), 'utf8');
  for (const swap of swaps) config = applySwap(config, swap);
  return config;
}

function applySwap(config: string, { find, replace, times }: Swap): string {
  const pattern =
    typeof find === 'string'
      ? new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')
      : new RegExp(find.source, `${find.flags.replace('g', '')}g`);
  const found = config.match(pattern)?.length ?? 0;
  if (found !== times) {
    throw new Error(
      `infra/nginx.conf has ${found} of ${String(find)} where the edge test expects ${times}: update infra/test/edge-nginx.ts with the config`,
    );
  }
  return config.replace(pattern, replace as (...match: string[]) => string);
}

/** A self-signed certificate for localhost and admin.localhost (openssl), with itself as the chain. */
export async function makeCertificate(tlsDir: string): Promise<string> {
  await mkdir(tlsDir, { recursive: true });
  const crt = join(tlsDir, 'tls.crt');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,DNS:admin.localhost,IP:127.0.0.1',
    '-keyout',
    join(tlsDir, 'tls.key'),
    '-out',
    crt,
  ]);
  await copyFile(crt, join(tlsDir, 'chain.crt'));
  return readFile(crt, 'utf8');
}

export interface RunningNginx {
  /** What nginx wrote to stderr (its error log). */
  errors: () => string;
  accessLog: () => Promise<string>;
  stop: () => Promise<void>;
}

/** Debian's nginx in the foreground on the rendered config, once its HTTPS port accepts a handshake. */
export async function startNginx(layout: EdgeLayout, ca: string): Promise<RunningNginx> {
  const configPath = join(layout.dir, 'nginx.conf');
  await writeFile(configPath, await renderNginxConfig(layout));
  // Workers as root only when the test is root: the test's files are private to it.
  const user = process.getuid?.() === 0 ? ' user root;' : '';
  const child: ChildProcess = spawn(
    nginxBinary,
    [
      '-p',
      layout.dir,
      '-c',
      configPath,
      '-e',
      'stderr',
      '-g',
      `daemon off; pid ${join(layout.dir, 'nginx.pid')};${user}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = once(child, 'exit');
  await untilHandshake(
    layout.https,
    ca,
    () => child.exitCode !== null,
    () => errors,
  );
  return {
    errors: () => errors,
    accessLog: () => readFile(join(layout.dir, 'access.log'), 'utf8'),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGQUIT');
      await exited;
    },
  };
}

async function untilHandshake(port: number, ca: string, exited: () => boolean, log: () => string) {
  for (;;) {
    if (exited()) throw new Error(`nginx exited:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Files standing in for Vite's dist/ of each app: an index.html and one hashed asset. */
export async function writeAppFixtures(htmlDir: string) {
  for (const app of ['storefront', 'admin']) {
    await mkdir(join(htmlDir, app, 'assets'), { recursive: true });
    await writeFile(
      join(htmlDir, app, 'index.html'),
      `<!doctype html><title>${app}</title><script type="module" src="/assets/index-3f2a9c1b.js"></script>`,
    );
    // Large enough for gzip_min_length.
    const code = `export const lines = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => `line ${i}`))};\n`;
    await writeFile(join(htmlDir, app, 'assets', 'index-3f2a9c1b.js'), code);
  }
}
