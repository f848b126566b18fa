/** The MySQL error code (ER_...) of a failed statement, looking through drizzle's wrapping. */
export function sqlErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ER_')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A child row names a parent that does not exist (insert/update). */
export const isMissingReference = (error: unknown) =>
  sqlErrorCode(error) === 'ER_NO_REFERENCED_ROW_2';

/** A parent row is still referenced by a child (delete/update of the key). */
export const isStillReferenced = (error: unknown) =>
  sqlErrorCode(error) === 'ER_ROW_IS_REFERENCED_2';
