import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';

/**
 * A throwaway Redis Cluster of three masters (no replicas) on free loopback
 * ports, its node files in a temporary directory. `stop()` kills every
 * server and removes the directory.
 */
export interface LocalRedisCluster {
  /** `127.0.0.1:<port>` of each master, as REDIS_CLUSTER_NODES takes them. */
  nodes: string[];
  stop: () => Promise<void>;
}

/** Free on the loopback interface right now (the kernel may hand it out again: callers retry). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port whose cluster-bus twin (port + 10000) is free too, below the ephemeral range. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (taken.has(port)) continue;
    if ((await isFree(port)) && (await isFree(port + 10_000))) {
      taken.add(port);
      return port;
    }
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

interface Node {
  port: number;
  process: ChildProcess;
  exited: Promise<void>;
}

export async function startRedisCluster(
  options: { masters?: number; timeoutMs?: number } = {},
): Promise<LocalRedisCluster> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const dir = await mkdtemp(join(tmpdir(), 'buybuy-redis-cluster-'));
  const nodes: Node[] = [];
  const killAll = () => nodes.forEach((node) => node.process.kill('SIGKILL'));
  process.once('exit', killAll);

  const stop = async () => {
    process.removeListener('exit', killAll);
    await Promise.all(
      nodes.map(async (node) => {
        node.process.kill('SIGTERM');
        const slow = await Promise.race([
          node.exited.then(() => false),
          sleep(10_000).then(() => true),
        ]);
        if (slow) {
          node.process.kill('SIGKILL');
          await node.exited;
        }
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };

  /** Starts one node; if its port was taken meanwhile it exits, and another port is tried. */
  const startNode = async (taken: Set<number>): Promise<Node> => {
    for (let attempt = 1; ; attempt++) {
      const port = await freeClusterPort(taken);
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '5000',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--logfile',
          join(dir, `redis-${port}.log`),
        ],
        { stdio: 'ignore' },
      );
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Still running: neither an exit code nor a signal yet.
      const alive = () => child.exitCode === null && child.signalCode === null;
      const node = { port, process: child, exited };
      nodes.push(node);
      const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: null });
      probe.on('error', () => undefined);
      while (alive() && Date.now() < deadline) {
        try {
          await probe.connect();
          await probe.ping();
          probe.disconnect();
          return node;
        } catch {
          probe.disconnect();
          await sleep(100);
        }
      }
      probe.disconnect();
      if (alive() || attempt === 3) throw new Error(`redis-server did not start on port ${port}`);
      nodes.splice(nodes.indexOf(node), 1);
    }
  };

  try {
    const taken = new Set<number>();
    for (let index = 0; index < (options.masters ?? 3); index++) await startNode(taken);
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    // Every node must agree the cluster is up, not only the one redis-cli talked to last.
    for (const node of nodes) await waitForClusterOk(node.port, deadline);
    return { nodes: addresses, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForClusterOk(port: number, deadline: number) {
  const client = new Redis({ host: '127.0.0.1', port });
  try {
    let info = '';
    while (Date.now() < deadline) {
      info = await client.cluster('INFO');
      if (info.includes('cluster_state:ok')) return;
      await sleep(100);
    }
    throw new Error(`The cluster node on port ${port} never reported cluster_state:ok:\n${info}`);
  } finally {
    client.disconnect();
  }
}
