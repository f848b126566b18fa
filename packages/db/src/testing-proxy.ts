import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP pipe between a pool and a database server that a test can break the
 * way a network or a server breaks, without touching the server (other tests
 * share it): `cut()` drops every connection and refuses new ones, as a server
 * that restarts; `blackhole()` accepts connections and never answers, as a
 * frozen or unreachable host; `restore()` pipes again.
 */
export interface TcpProxy {
  port: number;
  /** `url` (a mysql:// URL of the target) through the proxy. */
  urlFor: (url: string) => string;
  cut: () => Promise<void>;
  blackhole: () => Promise<void>;
  restore: () => Promise<void>;
  close: () => Promise<void>;
}

type Mode = 'pipe' | 'blackhole' | 'closed';

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: Mode = 'pipe';
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A reset from either side is the point of these tests, not a failure of the proxy.
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    // Black-holed: held open, never piped, never answered.
    if (mode !== 'pipe') return;
    const upstream = createConnection(target);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const dropAll = () => {
    for (const socket of sockets) socket.resetAndDestroy();
  };

  await listen(0);
  const { port } = server.address() as { port: number };
  return {
    port,
    urlFor(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    async cut() {
      mode = 'closed';
      const stopped = stopListening();
      dropAll();
      await stopped;
    },
    async blackhole() {
      dropAll();
      mode = 'blackhole';
      if (!server.listening) await listen(port);
    },
    async restore() {
      // Held black-holed connections go, as the kernel of a host that comes back resets them.
      if (mode === 'blackhole') dropAll();
      mode = 'pipe';
      if (!server.listening) await listen(port);
    },
    async close() {
      mode = 'closed';
      const stopped = stopListening();
      dropAll();
      await stopped;
    },
  };
}
