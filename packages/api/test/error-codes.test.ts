import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import {
  conflict,
  ERROR_CODES,
  type ErrorCode,
  forbidden,
  httpStatusOf,
  invalidField,
  notFound,
  rateLimited,
  statusesOf,
  unauthorized,
} from '../src/errors';

const DOC = new URL('../../../docs/errors.md', import.meta.url);

/** Every `| \`CODE\` | status | ... |` row of the doc's tables: code → the statuses its cell names. */
async function documentedCodes(): Promise<Map<string, number[]>> {
  const rows = new Map<string, number[]>();
  for (const line of (await readFile(DOC, 'utf8')).split('\n')) {
    const cells = /^\|\s*`([A-Z][A-Z_]+)`\s*\|([^|]*)\|/.exec(line);
    if (!cells) continue;
    expect(rows.has(cells[1]!), `${cells[1]} is listed twice in docs/errors.md`).toBe(false);
    rows.set(cells[1]!, (cells[2]!.match(/\b\d{3}\b/g) ?? []).map(Number));
  }
  return rows;
}

describe('docs/errors.md', () => {
  it('lists every code of errors/codes.ts, with the same statuses', async () => {
    const documented = await documentedCodes();
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      expect(documented.get(code), `${code} in docs/errors.md`).toEqual(statusesOf(code));
    }
  });

  it('lists no code that errors/codes.ts does not have', async () => {
    const documented = [...(await documentedCodes()).keys()];
    expect(documented.length).toBeGreaterThan(20);
    expect(documented.filter((code) => !(code in ERROR_CODES))).toEqual([]);
  });
});

describe('the helpers', () => {
  it('answer a code with a status the table gives it', () => {
    const thrown = [
      notFound('Thing'),
      conflict('SLUG_TAKEN', 'Taken', 'slug'),
      invalidField('parent_id', 'No parent', 'PARENT_NOT_FOUND'),
      invalidField('name', 'Bad name'),
      unauthorized('ACCOUNT_DISABLED', 'Disabled'),
      forbidden(),
      rateLimited(3),
    ];
    for (const error of thrown) {
      expect(statusesOf(error.code), error.code).toContain(httpStatusOf(error));
    }
  });
});
