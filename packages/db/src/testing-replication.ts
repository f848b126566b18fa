import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import mysql from 'mysql2/promise';

import { migrateDatabase } from './migrate';
import type { Rows } from './rows';
import { freePort } from './testing-port';

/**
 * A throwaway MariaDB primary (binlog on, server-id 1) and one replica
 * (server-id 2, read_only) replicating from it by GTID, each in its own
 * temporary data directory on a free loopback port. For tests that must show
 * where reads land; `stop()` kills both servers and removes every file.
 */
export interface ReplicatedMariaDb {
  /** `mysql://buybuy:…@127.0.0.1:<port>/<database>` on the primary (a user without SUPER). */
  primaryUrl: (database: string) => string;
  /** The same database on the replica. */
  replicaUrl: (database: string) => string;
  /** A fresh, migrated database (made on the primary, replicated), with the replica caught up. */
  createDatabase: () => Promise<string>;
  /** Runs one statement on the primary / the replica as root (read_only, triggers included, does not apply to it). */
  queryPrimary: (sql: string, values?: unknown[]) => Promise<unknown>;
  queryReplica: (sql: string, values?: unknown[]) => Promise<unknown>;
  /** Waits until the replica has applied everything the primary has written so far. */
  waitForReplica: () => Promise<void>;
  /** STOP/START SLAVE SQL_THREAD: events still arrive but are not applied (replication lag on demand). */
  pauseReplication: () => Promise<void>;
  resumeReplication: () => Promise<void>;
  /** SIGKILL to the replica's server: its port refuses, open connections drop (a crashed replica). */
  killReplica: () => Promise<void>;
  /** Starts the killed replica again on its port and data directory; resolves once it replicates. */
  restartReplica: () => Promise<void>;
  /** SIGSTOP / SIGCONT to the replica's server: connections stay open and nothing answers (a frozen host). */
  freezeReplica: () => void;
  thawReplica: () => void;
  stop: () => Promise<void>;
}

export interface ReplicationOptions {
  /** Overall budget for installing, starting and connecting both servers. */
  timeoutMs?: number;
  /** The server binaries (defaults: Debian's paths). */
  mariadbd?: string;
  installDb?: string;
}

const REPL_USER = 'repl';
const REPL_PASSWORD = randomBytes(12).toString('hex');
const APP_USER = 'buybuy';
const APP_PASSWORD = randomBytes(12).toString('hex');

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} exited with ${code}:\n${output.slice(-2000)}`)),
    );
  });
}

interface Server {
  name: string;
  dir: string;
  port: number;
  /** Its own mariadbd arguments (server id, binlog or read_only), kept for a restart. */
  args: string[];
  process: ChildProcess;
  exited: Promise<void>;
  admin: mysql.Connection;
}

const asRoot = process.getuid?.() === 0;
// Small InnoDB files and buffers: these servers hold a few test rows.
const SMALL = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M'];

export async function startReplicatedMariaDb(
  options: ReplicationOptions = {},
): Promise<ReplicatedMariaDb> {
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  const mariadbd = options.mariadbd ?? '/usr/sbin/mariadbd';
  const installDb = options.installDb ?? 'mariadb-install-db';
  const base = await mkdtemp(join(tmpdir(), 'buybuy-replication-'));
  const ids = asRoot ? await mysqlIds() : undefined;
  if (ids) await chown(base, ...ids);
  const servers: Server[] = [];
  // If the test process dies without stop(), the servers die with it.
  const killAll = () => servers.forEach((server) => server.process.kill('SIGKILL'));
  process.once('exit', killAll);

  const stop = async () => {
    process.removeListener('exit', killAll);
    await Promise.all(
      servers.map(async (server) => {
        // A frozen server (freezeReplica) answers, and hears SIGTERM, only once it runs again.
        server.process.kill('SIGCONT');
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stopped while still starting: no connection yet
        await server.admin?.end().catch(() => undefined);
        server.process.kill('SIGTERM');
        const killed = await Promise.race([
          server.exited.then(() => false),
          sleep(15_000).then(() => true),
        ]);
        if (killed) {
          server.process.kill('SIGKILL');
          await server.exited;
        }
      }),
    );
    await rm(base, { recursive: true, force: true });
  };

  const start = async (name: string, serverArgs: string[]): Promise<Server> => {
    const dir = join(base, name);
    // Its own tmpdir: two bootstraps sharing /tmp collide on temporary table names.
    await mkdir(join(dir, 'tmp'), { recursive: true });
    if (ids) for (const path of [dir, join(dir, 'tmp')]) await chown(path, ...ids);
    const own = [`--tmpdir=${join(dir, 'tmp')}`, ...SMALL];
    const user = asRoot ? ['--user=mysql'] : [];
    await run(installDb, [
      '--no-defaults',
      `--datadir=${join(dir, 'data')}`,
      ...user,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...own,
    ]);
    // The port is free when picked; if another process takes it first, the server exits and we pick again.
    for (let attempt = 1; ; attempt++) {
      const server = { name, dir, port: await freePort(), args: serverArgs } as Server;
      servers.push(server);
      if (await launch(server, deadline)) return server;
      servers.pop();
      const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
      if (attempt === 3 || Date.now() >= deadline) {
        throw new Error(
          `MariaDB ${name} did not start on port ${server.port}:\n${log.slice(-2000)}`,
        );
      }
    }
  };

  /**
   * Starts `server`'s mariadbd on its data directory and port, and connects
   * as root; false (the process killed) when it exits or does not answer by
   * the deadline.
   */
  const launch = async (server: Server, until: number): Promise<boolean> => {
    const { dir } = server;
    const user = asRoot ? ['--user=mysql'] : [];
    const child = spawn(
      mariadbd,
      [
        '--no-defaults',
        ...user,
        `--datadir=${join(dir, 'data')}`,
        `--socket=${join(dir, 'mysqld.sock')}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        `--log-error=${join(dir, 'error.log')}`,
        `--port=${server.port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        `--tmpdir=${join(dir, 'tmp')}`,
        ...SMALL,
        ...server.args,
      ],
      { stdio: 'ignore' },
    );
    server.process = child;
    server.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Still running: neither an exit code nor a signal yet.
    const alive = () => child.exitCode === null && child.signalCode === null;
    while (alive() && Date.now() < until) {
      try {
        server.admin = await mysql.createConnection({
          host: '127.0.0.1',
          port: server.port,
          user: 'root',
        });
        return true;
      } catch {
        await sleep(200);
      }
    }
    child.kill('SIGKILL');
    await server.exited;
    return false;
  };

  try {
    // Settled, not all: a failing one must not leave the other installing into a removed directory.
    const started = await Promise.allSettled([
      // With a binlog, creating the product_counts triggers needs SUPER unless
      // function creators are trusted; the app's user has no SUPER, as in production.
      start('primary', [
        '--server-id=1',
        '--log-bin=primary-bin',
        '--binlog-format=ROW',
        '--log-bin-trust-function-creators=1',
      ]),
      start('replica', ['--server-id=2', '--read-only=1', '--relay-log=replica-relay']),
    ]);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [primary, replica] = started.map(
      (result) => (result as PromiseFulfilledResult<Server>).value,
    );
    // Not binlogged, so the replica does not replay it (it has no such user to create).
    await primary!.admin.query('SET SESSION sql_log_bin = 0');
    await primary!.admin.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [
      REPL_USER,
      REPL_PASSWORD,
    ]);
    await primary!.admin.query(`GRANT REPLICATION SLAVE ON *.* TO ?@'127.0.0.1'`, [REPL_USER]);
    await primary!.admin.query('SET SESSION sql_log_bin = 1');
    await replica!.admin.query(
      `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ?, MASTER_USER = ?,
         MASTER_PASSWORD = ?, MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`,
      [primary!.port, REPL_USER, REPL_PASSWORD],
    );
    await replica!.admin.query('START SLAVE');
    await waitUntilReplicating(replica!.admin, deadline);
    // The app's own user, replicated: no SUPER or READ ONLY ADMIN, so the
    // replica's read_only refuses any write that is routed to it by mistake.
    await primary!.admin.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [
      APP_USER,
      APP_PASSWORD,
    ]);
    await primary!.admin.query(`GRANT ALL ON \`buybuy%\`.* TO ?@'127.0.0.1'`, [APP_USER]);

    const url = (server: Server) => (database: string) =>
      `mysql://${APP_USER}:${APP_PASSWORD}@127.0.0.1:${server.port}/${database}`;
    const query = (server: Server) => async (sql: string, values?: unknown[]) =>
      (await server.admin.query(sql, values))[0];
    const waitForReplica = async () => {
      // Everything written so far, on any connection, is inside @@gtid_binlog_pos.
      const [[position]] = await primary!.admin.query<Rows<{ pos: string }>>(
        'SELECT @@gtid_binlog_pos AS pos',
      );
      const [[result]] = await replica!.admin.query<Rows<{ r: number }>>(
        'SELECT MASTER_GTID_WAIT(?, 30) AS r',
        [position?.pos],
      );
      if (Number(result?.r) !== 0) throw new Error('The replica did not catch up within 30 s');
    };

    return {
      primaryUrl: url(primary!),
      replicaUrl: url(replica!),
      async createDatabase() {
        const name = `buybuy_repl_${randomBytes(4).toString('hex')}`;
        await migrateDatabase(url(primary!)(name));
        await waitForReplica();
        return name;
      },
      queryPrimary: query(primary!),
      // Triggers run as their definer (the app's user, who created them by
      // migrating), and read_only refuses that user: a root write to products
      // on the replica would fail in the product_counts trigger. So read_only
      // is lifted for the length of each root statement.
      queryReplica: async (sql: string, values?: unknown[]) => {
        await replica!.admin.query('SET GLOBAL read_only = 0');
        try {
          return await query(replica!)(sql, values);
        } finally {
          await replica!.admin.query('SET GLOBAL read_only = 1');
        }
      },
      waitForReplica,
      pauseReplication: async () => void (await replica!.admin.query('STOP SLAVE SQL_THREAD')),
      resumeReplication: async () => void (await replica!.admin.query('START SLAVE SQL_THREAD')),
      async killReplica() {
        await replica!.admin.end().catch(() => undefined);
        replica!.process.kill('SIGKILL');
        await replica!.exited;
      },
      async restartReplica() {
        // Same data directory and port; crash recovery, then replication resumes
        // by itself from the GTID position the replica had applied.
        if (!(await launch(replica!, Date.now() + 60_000))) {
          const log = await readFile(join(replica!.dir, 'error.log'), 'utf8').catch(() => '');
          throw new Error(`The replica did not start again:\n${log.slice(-2000)}`);
        }
        await waitUntilReplicating(replica!.admin, Date.now() + 60_000);
      },
      freezeReplica: () => void replica!.process.kill('SIGSTOP'),
      thawReplica: () => void replica!.process.kill('SIGCONT'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilReplicating(replica: mysql.Connection, deadline: number) {
  let status: Record<string, unknown> | undefined;
  while (Date.now() < deadline) {
    const [rows] = await replica.query<Rows<Record<string, unknown>>>('SHOW SLAVE STATUS');
    status = rows[0];
    if (status?.Slave_IO_Running === 'Yes' && status.Slave_SQL_Running === 'Yes') return;
    await sleep(200);
  }
  throw new Error(
    `Replication did not start: IO ${String(status?.Slave_IO_Running)}, SQL ${String(
      status?.Slave_SQL_Running,
    )}, last error: ${String(status?.Last_IO_Error || status?.Last_SQL_Error || 'none')}`,
  );
}

async function mysqlIds(): Promise<[number, number]> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((entry) => entry.startsWith('mysql:'));
  if (!line) throw new Error('Running as root needs a "mysql" user to run MariaDB as');
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}
