import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const appsDir = fileURLToPath(new URL('../../apps', import.meta.url));

/**
 * Builds a deployable with its own tsup config (what `pnpm build` makes) into
 * a folder of this test's own under the app's node_modules, so the bundle
 * finds the app's dependencies as its dist/ would.
 */
export async function buildDeployable(app: 'server' | 'worker'): Promise<BuiltApp> {
  const dir = join(appsDir, app);
  const outDir = join(dir, 'node_modules', '.cache', `edge-test-${process.pid}`);
  await promisify(execFile)(join(dir, 'node_modules', '.bin', 'tsup'), ['--out-dir', outDir], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return { dir, outDir };
}

export interface BuiltApp {
  /** The app's folder (the processes' working directory). */
  dir: string;
  /** Where the bundles are: server.js, worker.js, create-admin.js. */
  outDir: string;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A started process of a built app, with everything it printed. */
export class AppProcess {
  private child: ChildProcess | undefined;
  private printed = '';
  private exit: Promise<[number | null, NodeJS.Signals | null]> | undefined;

  constructor(
    readonly name: string,
    private readonly app: BuiltApp,
    private readonly entry: string,
    private readonly env: Record<string, string>,
    /** Resolves when the process is up (the API: /ready answers 200). */
    private readonly up: (process: AppProcess) => Promise<void> = async () => undefined,
  ) {}

  /** stdout and stderr of every run so far. */
  get output() {
    return this.printed;
  }

  get running() {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  async start() {
    this.printed += `--- ${this.name} starts\n`;
    const child = spawn(process.execPath, [join(this.app.outDir, this.entry)], {
      cwd: this.app.dir,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.stdout!.on('data', (chunk: Buffer) => (this.printed += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.printed += chunk.toString()));
    await this.up(this);
  }

  /** Sends the signal and resolves with how the process ended. */
  async stop(signal: NodeJS.Signals) {
    if (!this.child || !this.exit) throw new Error(`${this.name} was never started`);
    if (this.running) this.child.kill(signal);
    const [code, endedBy] = await this.exit;
    return { code, signal: endedBy };
  }
}

/** Resolves when GET /ready on the instance's own port answers 200 (straight, not through nginx). */
export async function untilReady(instance: AppProcess, port: number) {
  for (;;) {
    if (!instance.running) throw new Error(`${instance.name} exited:\n${instance.output}`);
    const answer = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
