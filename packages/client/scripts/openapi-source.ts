import { readFile } from 'node:fs/promises';

import { servedOpenApiDocument } from '@buybuy/api/openapi';
import { apiCompare } from 'api-smart-diff';

/** The REST document as published with this package (`@buybuy/client/openapi.json`). */
export const OPENAPI_FILE = new URL('../openapi.json', import.meta.url);

const PACKAGE_FILE = new URL('../package.json', import.meta.url);

/** This package's version: the version of the wire it speaks, in the document's `info.version`. */
export async function packageVersion(): Promise<string> {
  return (JSON.parse(await readFile(PACKAGE_FILE, 'utf8')) as { version: string }).version;
}

/** The document the router produces today, as committed: the server's, at this package's version. */
export async function generateOpenApiDocument(): Promise<string> {
  const document = servedOpenApiDocument('http://localhost:3000');
  document.info.version = await packageVersion();
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * What breaks a REST client going from `before` to `after`: a path or
 * method removed, a response field removed or made optional, a type
 * narrowed, a required input added, an accepted value removed... as
 * api-smart-diff classifies them, one line per change.
 */
export function breakingChanges(before: unknown, after: unknown): string[] {
  const { diffs } = apiCompare(before, after);
  return (
    diffs
      // Each change is judged where an operation uses it (request or
      // response). A component is also compared on its own as a plain JSON
      // schema, where a new required field counts as breaking even in an
      // output: those duplicates are left out.
      .filter((diff) => diff.type === 'breaking' && diff.path[0] !== 'components')
      .map((diff) => diff.description ?? `${diff.action} ${diff.path.join('/')}`)
  );
}

const major = (version: string) => Number(version.split('.')[0]);

/**
 * Why `after` may not replace `before`, or an empty list when it may: a
 * breaking change needs a new major version (semver for the wire).
 */
export function refusedChanges(
  before: { info: { version: string } },
  after: { info: { version: string } },
): string[] {
  if (major(after.info.version) > major(before.info.version)) return [];
  return breakingChanges(before, after);
}
