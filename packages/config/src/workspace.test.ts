import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from './index';
import { fromWorkspaceRoot } from './workspace';

let outside: string;
let root: string;
beforeAll(async () => {
  outside = await mkdtemp(join(tmpdir(), 'buybuy-workspace-'));
  root = join(outside, 'shop');
  await mkdir(join(root, 'apps', 'server'), { recursive: true });
  await mkdir(join(root, 'packages', 'db'), { recursive: true });
  await writeFile(join(root, 'pnpm-workspace.yaml'), 'packages: []\n');
});
afterAll(() => rm(outside, { recursive: true, force: true }));

describe('fromWorkspaceRoot', () => {
  it('reads a relative path from the workspace root, whichever package runs', () => {
    expect(fromWorkspaceRoot('uploads', join(root, 'apps', 'server'))).toBe(join(root, 'uploads'));
    expect(fromWorkspaceRoot('uploads', join(root, 'packages', 'db'))).toBe(join(root, 'uploads'));
    expect(fromWorkspaceRoot('data/img', root)).toBe(join(root, 'data', 'img'));
  });

  it('keeps an absolute path, and reads from the working directory outside a checkout', () => {
    expect(fromWorkspaceRoot('/data/uploads', join(root, 'apps', 'server'))).toBe('/data/uploads');
    expect(fromWorkspaceRoot('uploads', outside)).toBe(join(outside, 'uploads'));
  });

  it('gives loadConfig one uploads directory for this repository', () => {
    const repository = fileURLToPath(new URL('../../../', import.meta.url));
    expect(loadConfig({}).uploads.dir).toBe(join(repository, 'uploads'));
  });
});
