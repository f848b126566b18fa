import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * `pnpm typecheck` runs `tsc -b` in each package, and tsc builds a package's
 * dependencies through the `references` of its tsconfig.json, while turbo
 * orders the packages by their package.json. The two graphs must be the same:
 * a missing reference makes tsc re-check the dependency's source inside the
 * dependent (or refuse it, as a file outside the project), an extra one
 * builds a package turbo may be building at the same moment.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Workspace {
  name: string;
  /** Relative to the repository root, e.g. `packages/api`. */
  dir: string;
  manifest: {
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
}

/** The packages pnpm-workspace.yaml lists: `- apps/*` (each folder of apps/) or `- infra` (that folder). */
function workspaces(): Workspace[] {
  const listed = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const packagesBlock = /^packages:\n((?:[ \t]+.*\n)+)/m.exec(listed)?.[1] ?? '';
  const entries = [...packagesBlock.matchAll(/^[ \t]+- ['"]?([\w/*-]+?)['"]?\s*$/gm)].map(
    (m) => m[1]!,
  );
  const dirs = entries.flatMap((entry) =>
    entry.endsWith('/*')
      ? readdirSync(join(root, entry.slice(0, -2))).map((name) => `${entry.slice(0, -2)}/${name}`)
      : [entry],
  );
  return dirs
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      return { name: manifest.name, dir, manifest };
    });
}

const isProject = (workspace: Workspace) => existsSync(join(root, workspace.dir, 'tsconfig.json'));

/** A tsconfig.json as tsc reads it: `extends` applied, references resolved to directories. */
function tsconfig(dir: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, dir, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`${dir}/tsconfig.json cannot be read`);
  return parsed;
}

const referencedDirs = (config: ts.ParsedCommandLine) =>
  (config.projectReferences ?? []).map((reference) => relative(root, reference.path)).sort();

describe('TypeScript project references', () => {
  const all = workspaces();
  const projects = all.filter(isProject);
  const byName = new Map(all.map((workspace) => [workspace.name, workspace]));

  it('finds the workspace packages', () => {
    expect(projects.map((project) => project.dir)).toEqual(
      expect.arrayContaining([
        'packages/api',
        'packages/client',
        'apps/server',
        'tooling/dev',
        'infra',
      ]),
    );
  });

  it("each package's tsconfig.json references exactly its workspace dependencies that are projects", () => {
    const referenced = new Map<string, string[]>();
    const dependedOn = new Map<string, string[]>();
    for (const project of projects) {
      const { dependencies, devDependencies, peerDependencies, optionalDependencies } =
        project.manifest;
      const names = Object.keys({
        ...dependencies,
        ...devDependencies,
        ...peerDependencies,
        ...optionalDependencies,
      });
      dependedOn.set(
        project.dir,
        names
          .map((name) => byName.get(name))
          .filter((dependency): dependency is Workspace => !!dependency && isProject(dependency))
          .map((dependency) => dependency.dir)
          .sort(),
      );
      referenced.set(project.dir, referencedDirs(tsconfig(project.dir)));
    }
    expect(referenced).toEqual(dependedOn);
  });

  it('a package that others reference is a composite project (it writes declarations)', () => {
    const referenced = new Set(
      projects.flatMap((project) => referencedDirs(tsconfig(project.dir))),
    );
    // A package nothing references (the Vite apps) may be checked without declaration output.
    const notComposite = projects
      .filter((project) => referenced.has(project.dir))
      .filter((project) => tsconfig(project.dir).options.composite !== true)
      .map((project) => project.dir);
    expect(notComposite).toEqual([]);
  });

  it('every package typechecks with tsc -b', () => {
    const others = projects
      .filter((project) => project.manifest.scripts?.typecheck !== 'tsc -b')
      .map((project) => `${project.dir}: ${project.manifest.scripts?.typecheck}`);
    expect(others).toEqual([]);
  });

  it('the root tsconfig.json (the solution) references every package', () => {
    expect(referencedDirs(tsconfig('.'))).toEqual(projects.map((project) => project.dir).sort());
  });
});
