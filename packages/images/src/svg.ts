import sharp from 'sharp';

import { contentKey } from './key';
import type { ImageStorage } from './storage';
import { IMAGE_VARIANTS, type ImageVariants, saveVariants, type VariantOptions } from './variants';

/**
 * Renders an SVG we wrote ourselves (the seed's pictures; uploads refuse SVG,
 * which can carry scripts) and stores its variants like an upload's, keyed by
 * the SVG's hash: the same picture is the same pair of files. Each variant is
 * drawn at its own size, never enlarged (a vector scales crisply, and drawing
 * 320 px costs less than resizing 800).
 */
export async function storeSvgImage(
  storage: ImageStorage,
  svg: string,
  { effort }: VariantOptions = {},
): Promise<{ image_url: string; thumbnail_url: string }> {
  const source = Buffer.from(svg);
  const { width = 0, height = 0 } = await sharp(source).metadata();
  const draw = (side: number) =>
    sharp(source, { density: 72 * Math.min(1, side / Math.max(width, height)) })
      .webp({ quality: 80, ...(effort === undefined ? {} : { effort }) })
      .toBuffer();
  const [display, thumbnail] = await Promise.all([
    draw(IMAGE_VARIANTS.display),
    draw(IMAGE_VARIANTS.thumbnail),
  ]);
  const variants: ImageVariants = { display, thumbnail };
  return saveVariants(storage, contentKey(source), variants);
}
