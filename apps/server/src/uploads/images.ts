import { AppError } from '@buybuy/api';
import {
  contentKey,
  type ImageStorage,
  type ImageVariants,
  makeVariants,
  type OriginalExtension,
  originalKey,
  saveVariants,
} from '@buybuy/images';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';

/**
 * What an upload may be, decided by its bytes, never by its name or declared
 * type; the original is kept under one of the extensions `deleteImages` knows.
 */
const ACCEPTED = new Map<string, OriginalExtension>([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
  ['image/avif', 'avif'],
]);

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
 * display and thumbnail variants (`@buybuy/images`, as the seed's pictures
 * are). Keys are content hashes, so a stored file never changes and can be
 * cached for a year.
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
  let variants: ImageVariants;
  try {
    const image = sharp(data, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
    const metadata = await image.metadata();
    // After EXIF rotation, a portrait photo taken sideways reports swapped sides.
    const swapped = (metadata.orientation ?? 1) >= 5;
    width = swapped ? metadata.height : metadata.width;
    height = swapped ? metadata.width : metadata.height;
    variants = await makeVariants(image);
  } catch {
    throw rejected(
      'BAD_REQUEST',
      'INVALID_IMAGE',
      'The image could not be read: it may be damaged or too large',
    );
  }

  const key = contentKey(data);
  const original = originalKey(key, extension);
  const [urls] = await Promise.all([
    saveVariants(storage, key, variants),
    storage.put(original, data, type.mime),
  ]);
  return {
    ...urls,
    original_url: storage.urlFor(original),
    width,
    height,
    content_type: type.mime,
  };
}
