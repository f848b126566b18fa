import sharp from 'sharp';

import { contentKey } from './key';
import type { ImageStorage } from './storage';
import { makeVariants, saveVariants, type VariantOptions } from './variants';

/**
 * Renders an SVG we wrote ourselves (the seed's pictures; uploads refuse SVG,
 * which can carry scripts) and stores its variants like an upload's, keyed by
 * the SVG's hash: the same picture is the same pair of files.
 */
export async function storeSvgImage(
  storage: ImageStorage,
  svg: string,
  options?: VariantOptions,
): Promise<{ image_url: string; thumbnail_url: string }> {
  const source = Buffer.from(svg);
  // Rasterised once: both variants resize these pixels instead of rendering the SVG twice.
  const { data, info } = await sharp(source).raw().toBuffer({ resolveWithObject: true });
  const variants = await makeVariants(
    sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }),
    options,
  );
  return saveVariants(storage, contentKey(source), variants);
}
