import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { generateOpenApiDocument, OPENAPI_FILE, refusedChanges } from './openapi-source';
import { generateRestTypes, REST_TYPES_FILE } from './rest-types-source';
import { generateRouterTypes, ROUTER_TYPES_FILE } from './router-types-source';

// The REST document first: a change that breaks REST clients without a new
// major version is refused before anything is written.
const document = await generateOpenApiDocument();
const refused = refusedChanges(
  JSON.parse(await readFile(OPENAPI_FILE, 'utf8')) as { info: { version: string } },
  JSON.parse(document) as { info: { version: string } },
);
if (refused.length > 0) {
  console.error(
    `These changes break REST clients, so they need a new major version of @buybuy/client\n` +
      `(add a "major" changeset and run \`pnpm changeset version\`, then generate again):\n\n` +
      refused.map((line) => `  - ${line}`).join('\n'),
  );
  process.exit(1);
}

for (const [file, text] of [
  [OPENAPI_FILE, document],
  [REST_TYPES_FILE, await generateRestTypes()],
  [ROUTER_TYPES_FILE, await generateRouterTypes()],
] as const) {
  await writeFile(file, text);
  console.warn(`Wrote ${fileURLToPath(file)}`);
}
