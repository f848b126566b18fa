import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { generateRestTypes, REST_TYPES_FILE } from './rest-types-source';

await writeFile(REST_TYPES_FILE, await generateRestTypes());
console.warn(`Wrote ${fileURLToPath(REST_TYPES_FILE)}`);
