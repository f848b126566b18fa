import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Folders that hold only generated or data files, described by their parent. */
const UNLISTED = [/^packages\/db\/migrations\/meta$/];

/** The folders of the tracked files: what a newcomer finds in a fresh clone. */
function trackedFolders(): string[] {
  const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n');
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split('/').slice(0, -1);
    for (let depth = 1; depth <= parts.length; depth++)
      folders.add(parts.slice(0, depth).join('/'));
  }
  return [...folders].filter((folder) => !UNLISTED.some((pattern) => pattern.test(folder))).sort();
}

/** The folders listed in the tree that opens docs/architecture.md. */
function documentedFolders(): Set<string> {
  const doc = readFileSync(`${root}docs/architecture.md`, 'utf8');
  const section = doc.slice(doc.indexOf('## The tree'));
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return new Set(
    block
      .split('\n')
      .map((line) => /^(\S+)\//.exec(line)?.[1])
      .filter((folder): folder is string => folder !== undefined),
  );
}

describe('docs/architecture.md', () => {
  it('opens with a tree that lists every folder of the repository, and no folder that is gone', () => {
    const tracked = trackedFolders();
    const documented = documentedFolders();
    expect(tracked.length).toBeGreaterThan(40);
    expect(tracked.filter((folder) => !documented.has(folder))).toEqual([]);
    expect([...documented].filter((folder) => !tracked.includes(folder))).toEqual([]);
  });
});
