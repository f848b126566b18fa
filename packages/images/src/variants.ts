import type { Sharp } from 'sharp';

import type { ImageStorage } from './storage';

/** Longest side of each stored variant, in pixels: the product page's image and the list thumbnail. */
export const IMAGE_VARIANTS = { display: 1600, thumbnail: 320 } as const;

export type ImageVariant = keyof typeof IMAGE_VARIANTS;
export type ImageVariants = Record<ImageVariant, Buffer>;

export interface VariantOptions {
  /**
   * WebP encoding effort, 0 (fastest) to 6; libvips' default is 4. The seed
   * uses 0: flat generated pictures stay small, and a demo catalog is made in
   * seconds instead of tens of seconds.
   */
  effort?: number;
}

/** The display and thumbnail variants of `image` as WebP, never enlarged. */
export async function makeVariants(
  image: Sharp,
  { effort }: VariantOptions = {},
): Promise<ImageVariants> {
  const resize = (size: number) =>
    image
      .clone()
      .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80, ...(effort === undefined ? {} : { effort }) })
      .toBuffer();
  const [display, thumbnail] = await Promise.all([
    resize(IMAGE_VARIANTS.display),
    resize(IMAGE_VARIANTS.thumbnail),
  ]);
  return { display, thumbnail };
}

/** The keys variants of one image are stored under: `<key>-1600.webp`, `<key>-320.webp`. */
export const variantKey = (key: string, variant: ImageVariant) =>
  `${key}-${IMAGE_VARIANTS[variant]}.webp`;

/**
 * Stores the variants under `key` (a content hash: a stored file never
 * changes) and returns the two URLs a product image row holds.
 */
export async function saveVariants(
  storage: ImageStorage,
  key: string,
  variants: ImageVariants,
): Promise<{ image_url: string; thumbnail_url: string }> {
  const display = variantKey(key, 'display');
  const thumbnail = variantKey(key, 'thumbnail');
  await Promise.all([
    storage.put(display, variants.display, 'image/webp'),
    storage.put(thumbnail, variants.thumbnail, 'image/webp'),
  ]);
  return { image_url: storage.urlFor(display), thumbnail_url: storage.urlFor(thumbnail) };
}
