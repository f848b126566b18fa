import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { Writable } from 'node:stream';

import {
  type CloseEvent,
  createConcurrently,
  KillOthers,
  LogError,
  Logger,
  LogOutput,
} from 'concurrently';

export interface DevProcess {
  /** The prefix of its output lines. */
  name: string;
  /** Its package's folder: the command runs there, with that package's bin folder on the PATH. */
  cwd: string;
  /** A binary with its arguments (no `pnpm run`: see `runDev`). */
  command: string;
  /** Answers once the process is ready to be used; none (the job worker): not waited for. */
  readyUrl?: string;
  prefixColor?: string;
}

export interface DevOptions {
  processes: DevProcess[];
  /** Printed once, when every `readyUrl` answers. */
  banner: string;
  /** Where everything is written (stdout). */
  out?: NodeJS.WritableStream;
  /** Who sends the stop signals (the process; a test passes its own emitter). */
  signals?: NodeJS.EventEmitter;
  /** How often a `readyUrl` is tried until it answers. */
  pollMs?: number;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs the development processes side by side with concurrently (prefixed
 * output; the others are stopped when one fails), prints `banner` once all
 * of them answer, and stops them all on Ctrl-C with one line and exit code 0.
 *
 * Each process runs in its own process group, so Ctrl-C reaches only this
 * one, which passes SIGINT on exactly once. Shared with the terminal, a
 * process would also get it a second time from its parent (pnpm relays it),
 * and `tsx watch` answers a second SIGINT by killing the server outright.
 * For the same reason commands run their binaries directly (`exec`), not
 * through `pnpm run`, whose shell (dash) turns a clean exit after SIGINT into
 * "ELIFECYCLE Command failed".
 *
 * Resolves with the exit code for the caller to use.
 */
export async function runDev({
  processes,
  banner,
  out = process.stdout,
  signals = process,
  pollMs = 250,
}: DevOptions): Promise<number> {
  // Set from signal handlers and promise callbacks (an object, so the checks below are not narrowed away).
  const state = { stopping: false, finished: false };
  // Children's output passes through until a stop is asked for; then only our one line.
  const gate = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!state.stopping) out.write(chunk);
      done();
    },
  });
  const logger = new Logger({ prefixFormat: 'name' });
  const signalled = new Set<number>();
  const { commands, result } = createConcurrently(
    processes.map((entry) => ({
      name: entry.name,
      command: `exec ${entry.command}`,
      cwd: entry.cwd,
      prefixColor: entry.prefixColor,
      env: { PATH: `${join(entry.cwd, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` },
    })),
    {
      logger,
      outputStream: gate,
      controllers: [
        new LogError({ logger }),
        new LogOutput({ logger }),
        new KillOthers({ logger, conditions: ['failure'], killSignal: 'SIGINT' }),
      ],
      spawn: (command, options) =>
        spawn('/bin/sh', ['-c', command], { ...options, detached: true }),
      // The whole group (the binary and what it started), once.
      kill: (pid, signal) => {
        if (signalled.has(pid)) return;
        signalled.add(pid);
        try {
          process.kill(-pid, signal ?? 'SIGTERM');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // already gone
        }
      },
    },
  );

  const stop = () => {
    if (state.stopping) return;
    state.stopping = true;
    for (const command of commands) command.kill('SIGINT');
  };
  for (const signal of STOP_SIGNALS) signals.on(signal, stop);

  const closed = result.then(
    (events) => events,
    (events: CloseEvent[]) => events,
  );
  void closed.then(() => (state.finished = true));
  void Promise.all(
    processes.map((entry) =>
      entry.readyUrl ? waitUntilAnswering(entry.readyUrl, pollMs, () => state.finished) : true,
    ),
  ).then(async (answered) => {
    // A moment for the lines the processes print as they start ("listening at ...") to pass first.
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (answered.every(Boolean) && !state.stopping && !state.finished) out.write(`\n${banner}\n\n`);
  });

  const events = await closed;
  for (const signal of STOP_SIGNALS) signals.off(signal, stop);
  const failed = events.filter(
    (event) => !stoppedCleanly(event, signalled.has(commands[event.index]?.pid ?? -1)),
  );
  if (state.stopping && failed.length === 0) {
    out.write('\nStopped.\n');
    return 0;
  }
  const which = failed.map((event) => `${event.command.name} (exit ${event.exitCode})`).join(', ');
  out.write(`\n${failed.length > 0 ? `Stopped: ${which} ended.` : 'Stopped.'}\n`);
  return 1;
}

/** Exited 0, or ended by the SIGINT we sent it (vite has no handler for it). */
function stoppedCleanly(event: CloseEvent, signalledByUs: boolean): boolean {
  return (
    event.exitCode === 0 ||
    (signalledByUs && (event.exitCode === 'SIGINT' || event.exitCode === 130))
  );
}

/** True once `url` answers anything over HTTP; false if `gaveUp()` first. */
async function waitUntilAnswering(url: string, pollMs: number, gaveUp: () => boolean) {
  while (!gaveUp()) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return true;
    } catch {
      // Not listening yet.
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
  return false;
}
