/**
 * The fields a partial update was given: keys sent as `undefined` (left out
 * by the caller) are dropped, `null` is kept (it clears a column).
 */
export function givenFields<T extends object>(fields: T): Partial<T> {
  const entries: Array<[string, unknown]> = Object.entries(fields);
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as Partial<T>;
}
