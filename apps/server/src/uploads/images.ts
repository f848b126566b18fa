import { createHash } from 'node:crypto';

import { AppError } from '@buybuy/api';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';

import type { ImageStorage } from './storage';

/** What an upload may be, decided by its bytes, never by its name or declared type. */
const ACCEPTED = new Map([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
  ['image/avif', 'avif'],
]);

/** Display-size and list-thumbnail variants, as WebP. */
const VARIANTS = { display: 1600, thumbnail: 320 } as const;

/** Refuses decompression bombs: about a 7000 x 7000 image at most. */
const MAX_PIXELS = 50_000_000;

/** An upload refused for its content: a field error on `file`, answered like any AppError. */
const rejected = (
  status: 'UNSUPPORTED_MEDIA_TYPE' | 'BAD_REQUEST',
  code: 'UNSUPPORTED_IMAGE_TYPE' | 'INVALID_IMAGE',
  message: string,
) => new AppError(status, code, message, [{ field: 'file', code, message }]);

export interface StoredImage {
  image_url: string;
  thumbnail_url: string;
  original_url: string;
  width: number;
  height: number;
  content_type: string;
}

/**
 * Checks an upload by its content, keeps the original, and stores the
 * display and thumbnail variants. Keys are content hashes, so a stored file
 * never changes and can be cached for a year.
 */
export async function storeImage(storage: ImageStorage, data: Buffer): Promise<StoredImage> {
  const type = await fileTypeFromBuffer(data);
  const extension = type ? ACCEPTED.get(type.mime) : undefined;
  if (!type || !extension) {
    throw rejected(
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_IMAGE_TYPE',
      'Upload a JPEG, PNG, WebP or AVIF image',
    );
  }

  let width: number;
  let height: number;
  let variants: Record<keyof typeof VARIANTS, Buffer>;
  try {
    const image = sharp(data, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
    const metadata = await image.metadata();
    // After EXIF rotation, a portrait photo taken sideways reports swapped sides.
    const swapped = (metadata.orientation ?? 1) >= 5;
    width = swapped ? metadata.height : metadata.width;
    height = swapped ? metadata.width : metadata.height;
    const resize = (size: number) =>
      image
        .clone()
        .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer();
    variants = {
      display: await resize(VARIANTS.display),
      thumbnail: await resize(VARIANTS.thumbnail),
    };
  } catch {
    throw rejected(
      'BAD_REQUEST',
      'INVALID_IMAGE',
      'The image could not be read: it may be damaged or too large',
    );
  }

  const hash = createHash('sha256').update(data).digest('hex').slice(0, 32);
  const keys = {
    original: `${hash}.${extension}`,
    display: `${hash}-${VARIANTS.display}.webp`,
    thumbnail: `${hash}-${VARIANTS.thumbnail}.webp`,
  };
  await Promise.all([
    storage.put(keys.original, data, type.mime),
    storage.put(keys.display, variants.display, 'image/webp'),
    storage.put(keys.thumbnail, variants.thumbnail, 'image/webp'),
  ]);
  return {
    image_url: storage.urlFor(keys.display),
    thumbnail_url: storage.urlFor(keys.thumbnail),
    original_url: storage.urlFor(keys.original),
    width,
    height,
    content_type: type.mime,
  };
}
