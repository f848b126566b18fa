import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { banner } from '../src/banner';
import { type DevProcess, runDev } from '../src/run';

/**
 * runDev with small real processes in place of the API and the apps: one
 * that ends itself cleanly on SIGINT (like the server), one with no handler
 * that SIGINT simply ends (like vite). Stop signals come from an emitter.
 */
let dir: string;

/** An HTTP server on `port` that writes its pid to `pidFile`; `graceful` handles SIGINT itself. */
const SERVER = `
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
const [port, pidFile, graceful] = process.argv.slice(2);
writeFileSync(pidFile, String(process.pid));
const server = createServer((_req, res) => res.end('ok')).listen(Number(port), '127.0.0.1', () =>
  console.log('listening on ' + port));
if (graceful === 'yes') process.on('SIGINT', () => server.close(() => process.exit(0)));
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function collect() {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { out, text: () => text };
}

async function until(check: () => boolean, what: string) {
  for (let waited = 0; waited < 20_000; waited += 50) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stub(name: string, graceful: boolean): Promise<DevProcess & { pidFile: string }> {
  const port = await freePort();
  const pidFile = join(dir, `${name}.pid`);
  return {
    name,
    cwd: dir,
    command: `node server.mjs ${port} ${pidFile} ${graceful ? 'yes' : 'no'}`,
    readyUrl: `http://127.0.0.1:${port}/`,
    pidFile,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'buybuy-dev-'));
  await writeFile(join(dir, 'server.mjs'), SERVER);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runDev', () => {
  it('prints the banner once everything answers, and on SIGINT stops all with one line and code 0', async () => {
    const processes = [await stub('api', true), await stub('app', false)];
    const { out, text } = collect();
    const signals = new EventEmitter();
    const running = runDev({ processes, banner: 'ALL UP', out, signals, pollMs: 50 });

    await until(() => text().includes('ALL UP'), 'the banner');
    expect(text()).toContain('[api] listening on');
    expect(text()).toContain('[app] listening on');
    const pids = await Promise.all(
      processes.map(async ({ pidFile }) => Number(await readFile(pidFile, 'utf8'))),
    );
    const before = text();

    // The terminal, pnpm and tsx may each deliver Ctrl-C: every child still gets it once.
    signals.emit('SIGINT', 'SIGINT');
    signals.emit('SIGINT', 'SIGINT');
    signals.emit('SIGTERM', 'SIGTERM');
    expect(await running).toBe(0);

    expect(text().split('ALL UP')).toHaveLength(2);
    expect(text().slice(before.length).trim()).toBe('Stopped.');
    for (const pid of pids) expect(alive(pid), `process ${pid}`).toBe(false);
  });

  it('waits for no address from a process without one (the job worker), and stops it too', async () => {
    const worker: DevProcess = {
      name: 'worker',
      cwd: dir,
      command: `node -e "console.log('taking jobs'); process.on('SIGINT', () => process.exit(0)); setInterval(() => {}, 1000)"`,
    };
    const processes = [await stub('api', true), worker];
    const { out, text } = collect();
    const signals = new EventEmitter();
    const running = runDev({ processes, banner: 'ALL UP', out, signals, pollMs: 50 });

    await until(
      () => text().includes('ALL UP') && text().includes('[worker] taking jobs'),
      'the banner',
    );
    signals.emit('SIGINT', 'SIGINT');
    expect(await running).toBe(0);
    expect(text().trim().split('\n').at(-1)).toBe('Stopped.');
  });

  it('stops the others and says which one ended when a process fails', async () => {
    const app = await stub('app', false);
    const broken: DevProcess = {
      name: 'api',
      cwd: dir,
      command: `node -e "console.error('no database'); process.exit(3)"`,
      readyUrl: 'http://127.0.0.1:9/',
    };
    const { out, text } = collect();
    const code = await runDev({
      processes: [broken, app],
      banner: 'ALL UP',
      out,
      signals: new EventEmitter(),
      pollMs: 50,
    });

    expect(code).toBe(1);
    expect(text()).toContain('[api] no database');
    expect(text()).not.toContain('ALL UP');
    expect(text().trim().split('\n').at(-1)).toBe('Stopped: api (exit 3) ended.');
  });
});

describe('the banner', () => {
  it('names every address and the demo accounts', () => {
    const text = banner({
      api: 'http://localhost:3000',
      storefront: 'http://localhost:5173',
      admin: 'http://localhost:5174',
      accounts: [
        { email: 'admin@buybuy.dev', password: 'admin-password' },
        { email: 'customer@buybuy.dev', password: 'customer-password' },
      ],
    });
    expect(text.split('\n')).toEqual([
      'BuyBuy is running:',
      '  Storefront     http://localhost:5173',
      '  Admin panel    http://localhost:5174',
      '  API            http://localhost:3000',
      '  API reference  http://localhost:3000/docs',
      '  Sign in as     admin@buybuy.dev / admin-password',
      '  Sign in as     customer@buybuy.dev / customer-password',
      'Ctrl-C stops everything.',
    ]);
  });

  it('names the mail folder when emails are written to files (no SMTP_URL)', () => {
    const text = banner({
      api: 'http://localhost:3000',
      storefront: 'http://localhost:5173',
      admin: 'http://localhost:5174',
      accounts: [],
      mailDir: '/repo/var/mail',
    });
    expect(text.split('\n')).toContain('  Emails (.eml)  /repo/var/mail');
  });
});
