import { type Database, productImages } from '@buybuy/db';
import { deleteImages, imageFiles, imageKeyOf, type ImageStorage } from '@buybuy/images';
import { inArray, or } from 'drizzle-orm';

/**
 * Deletes the stored files of images no product shows any more, once the
 * rows that showed them are gone. Keys are content hashes, so two products
 * with the same picture share its files: an image still referenced by any
 * row (either column, any of its files) is kept. URLs of other hosts are
 * left alone. Returns the content keys whose files were deleted.
 *
 * Runs after the database commit, never inside it (a rolled-back write must
 * not lose its files). Today the request calls it; it is shaped to become a
 * job on the queue (a retry and a delay, see docs/architecture.md).
 */
export async function deleteImageFiles(
  db: Database,
  storage: ImageStorage,
  urls: readonly string[],
): Promise<string[]> {
  const keys = [...new Set(urls.flatMap((url) => imageKeyOf(storage, url) ?? []))];
  if (keys.length === 0) return [];
  const fileUrls = keys.flatMap((key) => imageFiles(key).map((file) => storage.urlFor(file)));
  // The primary (`db`), never a replica: a reference written a moment ago must count.
  const stillShown = await db
    .select({ image_url: productImages.image_url, thumbnail_url: productImages.thumbnail_url })
    .from(productImages)
    .where(
      or(
        inArray(productImages.image_url, fileUrls),
        inArray(productImages.thumbnail_url, fileUrls),
      ),
    );
  const kept = new Set(
    stillShown.flatMap((row) =>
      [row.image_url, row.thumbnail_url].flatMap((url) =>
        url ? (imageKeyOf(storage, url) ?? []) : [],
      ),
    ),
  );
  const orphans = keys.filter((key) => !kept.has(key));
  await deleteImages(storage, orphans);
  return orphans;
}

/** What the product writes call after their commit with the image URLs they removed. */
export interface ImageFileCleanup {
  release(urls: readonly string[]): Promise<void>;
}

export interface ImageFileLogger {
  warn(object: object, message: string): void;
}

/**
 * `deleteImageFiles` for one server: a failure (the store down, a timeout) is
 * logged with the URLs and never fails the write that already committed; the
 * files stay until a later cleanup.
 */
export function imageFileCleanup(
  db: Database,
  storage: ImageStorage,
  log: ImageFileLogger,
): ImageFileCleanup {
  return {
    async release(urls) {
      if (urls.length === 0) return;
      try {
        await deleteImageFiles(db, storage, urls);
      } catch (error) {
        log.warn({ err: error, urls }, 'image files not deleted');
      }
    },
  };
}
