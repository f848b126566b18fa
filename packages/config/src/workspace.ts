import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * A relative `path` read from the workspace root (the nearest directory at or
 * above `cwd` holding pnpm-workspace.yaml), so commands run in different
 * packages share one place: the server runs in apps/server, the seed in
 * packages/db, and both must write and serve the same uploads. Outside a
 * checkout (an installed bundle), from `cwd`; absolute paths are kept.
 */
export function fromWorkspaceRoot(path: string, cwd: string = process.cwd()): string {
  if (isAbsolute(path)) return path;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return join(dir, path);
    if (dirname(dir) === dir) return resolve(cwd, path);
  }
}
