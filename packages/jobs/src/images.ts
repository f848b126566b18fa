import { type Database, productImages } from '@buybuy/db';
import {
  deleteImages,
  imageFiles,
  imageKeyOf,
  type ImageStorage,
  ORIGINAL_EXTENSIONS,
  type OriginalExtension,
  originalKey,
  storeVariantsOf,
} from '@buybuy/images';
import { eq, inArray, or } from 'drizzle-orm';
import { z } from 'zod';

import { defineJob } from './definition';

/**
 * The image jobs. An upload keeps only its original and enqueues
 * `makeImageVariants`; a product write that drops images enqueues
 * `deleteImageFiles` after its commit. Both are safe to run twice and in
 * any order with each other (see `storeVariantsOf` and `deleteImages`).
 */

/** An image's content key: the first 32 hex digits of its bytes' SHA-256. */
const contentKey = z.string().regex(/^[0-9a-f]{32}$/);

/**
 * Makes the display and thumbnail variants of an uploaded original, then
 * points every product image row that shows the original at them
 * (`variants: 'ready'`). Returns how many rows it changed.
 */
export async function showVariants(
  db: Database,
  storage: ImageStorage,
  key: string,
  extension: OriginalExtension,
): Promise<number> {
  const urls = await storeVariantsOf(storage, key, extension);
  // The original is gone: its image was deleted before its variants were made.
  if (!urls) return 0;
  const [result] = await db
    .update(productImages)
    .set({ ...urls, variants: 'ready' })
    .where(eq(productImages.image_url, storage.urlFor(originalKey(key, extension))));
  return result.affectedRows;
}

/**
 * `showVariants` as a job: enqueued by the upload, and again by a product
 * write that saves a row still showing an original (the upload's job may
 * have run before that row existed; the second run finds the files made).
 */
export const makeImageVariants = defineJob({
  name: 'images.make-variants',
  payload: z.object({ key: contentKey, extension: z.enum(ORIGINAL_EXTENSIONS) }),
  handler: async ({ key, extension }, { db, images }) => ({
    rows: await showVariants(db, images, key, extension),
  }),
  payloadSummary: (payload) => payload,
});

/**
 * Deletes the stored files of images no product shows any more, once the
 * rows that showed them are gone. Keys are content hashes, so two products
 * with the same picture share its files: an image still referenced by any
 * row (either column, any of its files) is kept. URLs of other hosts are
 * left alone. Returns the content keys whose files were deleted.
 */
export async function deleteUnshownImageFiles(
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

/**
 * The files of images a product write dropped (deleted product, replaced
 * images): enqueued after the commit, never inside it, so a rolled-back
 * write keeps its files; a failure is retried like any job.
 */
export const deleteImageFiles = defineJob({
  name: 'images.delete-files',
  // A product holds at most 50 images, two URLs each.
  payload: z.object({ urls: z.array(z.string().max(2048)).min(1).max(100) }),
  handler: async ({ urls }, { db, images, log }) => {
    const deleted = await deleteUnshownImageFiles(db, images, urls);
    if (deleted.length > 0) log.info({ deleted }, 'deleted image files');
    return { deleted };
  },
  payloadSummary: (payload) => payload,
});
