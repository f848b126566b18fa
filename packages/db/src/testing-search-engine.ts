import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import mysql from 'mysql2/promise';

import { searchdConfig } from './search-engine';
import { freePort } from './testing-port';

export interface TestSearchd {
  /** `sphinxql://127.0.0.1:<port>/products[?shards=N]`, for `openSearchEngine` or SEARCH_ENGINE_URL. */
  url: string;
  port: number;
  /** Stops the daemon (SIGKILL: `kill`, as a crash would) and, with `stop`, removes its data. */
  kill: () => Promise<void>;
  /**
   * Starts it again on the same port (after `kill`): on the same data, or
   * with `{ lost: true }` on none, as a volume lost or replaced would leave it.
   */
  restart: (options?: { lost?: boolean }) => Promise<void>;
  stop: () => Promise<void>;
}

const INSTALL_HINT =
  'The search engine tests run searchd (Sphinx 2.2 or Manticore): `apt-get install sphinxsearch` (`.ci/run` installs it).';

/**
 * A `searchd` of its own for one test file, on a free port with its own
 * data directory, serving the index BuyBuy's configuration describes
 * (`searchdConfig`): what `infra/search/manticore.conf` runs in production,
 * or that index in `shards` parts (the URL says so too).
 */
export async function startTestSearchd(options: { shards?: number } = {}): Promise<TestSearchd> {
  const dir = await mkdtemp(join(tmpdir(), 'buybuy-searchd-'));
  const port = await freePort();
  const shards = options.shards ?? 1;
  const config = join(dir, 'searchd.conf');
  await writeFile(config, searchdConfig({ index: 'products', dataDir: dir, port, shards }));
  let child: ChildProcess | undefined;

  const start = async () => {
    const started = spawn('searchd', ['--config', config, '--nodetach'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = started;
    let stderr = '';
    started.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<never>((_, reject) => {
      started.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new Error(INSTALL_HINT) : error),
      );
      started.once('exit', (code) => reject(new Error(`searchd exited (${code}): ${stderr}`)));
    });
    exited.catch(() => undefined);
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const connection = await Promise.race([
          mysql.createConnection({ host: '127.0.0.1', port, connectTimeout: 1_000 }),
          exited,
        ]);
        await connection.end();
        return;
      } catch (error) {
        if (Date.now() > deadline || (error as Error).message.startsWith('searchd exited'))
          throw error;
        if ((error as Error).message === INSTALL_HINT) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };

  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const gone = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await gone;
  };

  await start();
  return {
    url: `sphinxql://127.0.0.1:${port}/products${shards > 1 ? `?shards=${shards}` : ''}`,
    port,
    kill,
    restart: async ({ lost = false } = {}) => {
      if (lost) {
        for (const file of await readdir(dir))
          if (join(dir, file) !== config)
            await rm(join(dir, file), { recursive: true, force: true });
      }
      await start();
    },
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
