import { AppError } from '@buybuy/api';
import {
  contentKey,
  type ImageStorage,
  type OriginalExtension,
  originalKey,
  storeVariantsOf,
} from '@buybuy/images';
import { type JobQueue, makeImageVariants } from '@buybuy/jobs';
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
  /** The display variant once it exists; the original until then (`variants: 'pending'`). */
  image_url: string;
  /** The thumbnail variant once it exists; the original until then. */
  thumbnail_url: string;
  original_url: string;
  width: number;
  height: number;
  content_type: string;
  variants: 'pending' | 'ready';
}

/** Its sides after EXIF rotation; throws when the bytes do not decode to an image. */
async function readImage(data: Buffer): Promise<{ width: number; height: number }> {
  const image = sharp(data, { limitInputPixels: MAX_PIXELS, failOn: 'error' });
  const metadata = await image.metadata();
  // Decoded through (to a few pixels: cheap, with JPEG's shrink-on-load), so
  // a damaged file is refused here rather than failing its variants job.
  await image.resize(8, 8, { fit: 'inside' }).toBuffer();
  // After EXIF rotation, a portrait photo taken sideways reports swapped sides.
  const swapped = (metadata.orientation ?? 1) >= 5;
  return {
    width: swapped ? metadata.height : metadata.width,
    height: swapped ? metadata.width : metadata.height,
  };
}

/**
 * Checks an upload by its content and keeps the original; the display and
 * thumbnail variants are a job (`makeImageVariants`) that runs after the
 * answer, which meanwhile points at the original. Without a job queue they
 * are made here, before answering. Keys are content hashes, so a stored file
 * never changes and can be cached for a year.
 */
export async function storeImage(
  storage: ImageStorage,
  data: Buffer,
  jobs: JobQueue | undefined,
): Promise<StoredImage> {
  const type = await fileTypeFromBuffer(data);
  const extension = type ? ACCEPTED.get(type.mime) : undefined;
  if (!type || !extension) {
    throw rejected(
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_IMAGE_TYPE',
      'Upload a JPEG, PNG, WebP or AVIF image',
    );
  }
  const size = await readImage(data).catch(() => {
    throw rejected(
      'BAD_REQUEST',
      'INVALID_IMAGE',
      'The image could not be read: it may be damaged or too large',
    );
  });

  const key = contentKey(data);
  const original = storage.urlFor(originalKey(key, extension));
  await storage.put(originalKey(key, extension), data, type.mime);
  const stored = { original_url: original, ...size, content_type: type.mime };
  if (jobs) {
    await jobs.enqueue(makeImageVariants, { key, extension });
    return { image_url: original, thumbnail_url: original, ...stored, variants: 'pending' };
  }
  const variants = await storeVariantsOf(storage, key, extension);
  if (!variants) throw new Error(`The original ${original} vanished while its variants were made`);
  return { ...variants, ...stored, variants: 'ready' };
}
