import type { Database } from '@buybuy/db';
import type { ImageStorage } from '@buybuy/images';

import type { JobDeps, JobLogger } from '../src';

/** A logger that keeps what it is told, so a test can check a failure was reported. */
export function recordingLogger(): JobLogger & {
  lines: Array<{ level: string; message: string }>;
} {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (_fields: object, message: string) => {
    lines.push({ level, message });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** For handlers that never touch images (all but the image jobs'). */
export const noImageStore = undefined as unknown as ImageStorage;

/** Handlers in these tests do not touch the database unless they are the sweeps. */
export function depsWithout(): JobDeps & { log: ReturnType<typeof recordingLogger> } {
  return { db: undefined as unknown as Database, log: recordingLogger(), images: noImageStore };
}

export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
