import sharp from 'sharp';

import { ORIGINAL_EXTENSIONS, type OriginalExtension, originalKey } from './files';
import type { ImageStorage } from './storage';
import { makeVariants, saveVariants, variantKey, type VariantOptions } from './variants';

/** The URLs of an image's stored variants: what a product image row shows once they exist. */
export interface VariantUrls {
  image_url: string;
  thumbnail_url: string;
}

/**
 * Makes the display and thumbnail variants of an original already in the
 * store (an upload keeps only its original; the variants job calls this
 * after the upload has answered). Idempotent: variants already there are
 * not made again. Undefined when the original is gone, i.e. its image was
 * deleted meanwhile: then no variant is left behind either, since the
 * original is checked again after they are written (`deleteImages` removes
 * originals before variants, so one of the two always removes them).
 */
export async function storeVariantsOf(
  storage: ImageStorage,
  key: string,
  extension: OriginalExtension,
  options: VariantOptions = {},
): Promise<VariantUrls | undefined> {
  const original = originalKey(key, extension);
  const display = variantKey(key, 'display');
  const thumbnail = variantKey(key, 'thumbnail');
  const made = (await storage.exists(display)) && (await storage.exists(thumbnail));
  if (!made) {
    const data = await storage.get(original);
    if (!data) return undefined;
    // The upload checked these bytes; rotate() as the upload measured them (EXIF orientation).
    await saveVariants(storage, key, await makeVariants(sharp(data).rotate(), options));
  }
  if (!(await storage.exists(original))) {
    await storage.delete([display, thumbnail]);
    return undefined;
  }
  return { image_url: storage.urlFor(display), thumbnail_url: storage.urlFor(thumbnail) };
}

const ORIGINAL_FILE = new RegExp(`^([0-9a-f]{32})\\.(${ORIGINAL_EXTENSIONS.join('|')})$`);

/** The original behind a URL of this store (`<hash>.<extension>`), or undefined for any other file or address. */
export function originalOf(
  storage: ImageStorage,
  url: string,
): { key: string; extension: OriginalExtension } | undefined {
  const match = ORIGINAL_FILE.exec(storage.keyOf(url) ?? '');
  return match ? { key: match[1]!, extension: match[2] as OriginalExtension } : undefined;
}
