/** Longest derived base, leaving room for a "-NNN" suffix within the 160-char column. */
const MAX_BASE_LENGTH = 150;

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A URL slug from a display name: ascii-folded ("Café Crème" → "cafe-creme"),
 * lower-case, words joined by single hyphens. Names with no latin letters or
 * digits fall back to `fallback`.
 */
export function slugify(name: string, fallback = 'category'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_BASE_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug.length > 0 ? slug : fallback;
}

/** The first of `base`, `base-2`, `base-3`, ... that is not in `taken`. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  return nthFreeSlug(base, taken, 0);
}

/** The `n`-th (from 0) of `base`, `base-2`, `base-3`, ... that is not in `taken`. */
export function nthFreeSlug(base: string, taken: ReadonlySet<string>, n: number): string {
  let skip = n;
  for (let suffix = 1; ; suffix++) {
    const candidate = suffix === 1 ? base : `${base}-${suffix}`;
    if (!taken.has(candidate) && skip-- === 0) return candidate;
  }
}
