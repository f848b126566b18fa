import type { ImageStorage } from './storage';
import { IMAGE_VARIANTS, type ImageVariant, variantKey } from './variants';

/** What an upload's original is kept as: `<hash>.<extension>` beside its variants. */
export const ORIGINAL_EXTENSIONS = ['jpg', 'png', 'webp', 'avif'] as const;
export type OriginalExtension = (typeof ORIGINAL_EXTENSIONS)[number];

export const originalKey = (key: string, extension: OriginalExtension) => `${key}.${extension}`;

/** A stored image file: `<hash>-<size>.webp` (a variant) or `<hash>.<extension>` (the original). */
const IMAGE_FILE = /^([0-9a-f]{32})(?:-\d+\.webp|\.[a-z0-9]+)$/;

/**
 * The content key of the image a URL shows (any of its files), or undefined
 * when the URL is not one of this store's images (an outside address).
 */
export function imageKeyOf(storage: ImageStorage, url: string): string | undefined {
  const file = storage.keyOf(url);
  return file ? IMAGE_FILE.exec(file)?.[1] : undefined;
}

const originalFiles = (key: string) =>
  ORIGINAL_EXTENSIONS.map((extension) => originalKey(key, extension));
const variantFiles = (key: string) =>
  (Object.keys(IMAGE_VARIANTS) as ImageVariant[]).map((variant) => variantKey(key, variant));

/** Every file one image may have: both variants and the original under each extension. */
export const imageFiles = (key: string): string[] => [...variantFiles(key), ...originalFiles(key)];

/**
 * Removes every file of these images (a file already gone is fine): the
 * originals first, then the variants. The variants job writes its files
 * and only then checks the original is still there (deleting its own when
 * not), so in this order one of the two always removes them.
 */
export async function deleteImages(storage: ImageStorage, keys: readonly string[]) {
  if (keys.length === 0) return;
  await storage.delete(keys.flatMap(originalFiles));
  await storage.delete(keys.flatMap(variantFiles));
}
