import type { Database, ImageVariantState } from '@buybuy/db';
import { type ImageStorage, originalOf } from '@buybuy/images';
import {
  deleteImageFiles,
  deleteUnshownImageFiles,
  type JobQueue,
  makeImageVariants,
  showVariants,
} from '@buybuy/jobs';

/** What a product image row is saved from: the URLs the caller gave. */
export interface ImageUrls {
  image_url: string;
  thumbnail_url?: string | null;
}

/** What the product writes do about the files behind the image rows they save and drop. */
export interface ProductImageFiles {
  /**
   * The variants a new row has: 'pending' when it shows an upload's original
   * (its variants come from a job), 'ready' when it names a thumbnail, else 'none'.
   */
  variantsOf(image: ImageUrls): ImageVariantState;
  /**
   * After the commit, never inside it (a rolled-back write keeps its files):
   * asks for the variants of the originals `saved` rows show, and deletes
   * the files of the `dropped` URLs that no row shows any more.
   */
  afterCommit(changes: { saved: readonly ImageUrls[]; dropped: readonly string[] }): Promise<void>;
}

export interface ImageFileLogger {
  warn(object: object, message: string): void;
}

export interface ProductImageFilesOptions {
  db: Database;
  storage: ImageStorage;
  /**
   * Where the work goes (the image jobs). Without a queue (an API built
   * without jobs, as most server tests build it) it is done here, after the
   * commit, before the write answers.
   */
  jobs?: JobQueue;
  log: ImageFileLogger;
}

/**
 * `ProductImageFiles` for one server. A failure (Redis or the store down)
 * is logged with the URLs and never fails the write that already committed:
 * the files stay until a later cleanup, the row shows its original.
 */
export function productImageFiles(options: ProductImageFilesOptions): ProductImageFiles {
  const { db, storage, jobs, log } = options;
  const originalsOf = (saved: readonly ImageUrls[]) => {
    const byKey = new Map(
      saved.flatMap((image) => {
        const original = originalOf(storage, image.image_url);
        return original ? [[original.key, original] as const] : [];
      }),
    );
    return [...byKey.values()];
  };
  return {
    variantsOf(image) {
      if (originalOf(storage, image.image_url)) return 'pending';
      return image.thumbnail_url ? 'ready' : 'none';
    },
    async afterCommit({ saved, dropped }) {
      const originals = originalsOf(saved);
      try {
        if (jobs) {
          await Promise.all(originals.map((original) => jobs.enqueue(makeImageVariants, original)));
          if (dropped.length > 0) await jobs.enqueue(deleteImageFiles, { urls: [...dropped] });
        } else {
          for (const { key, extension } of originals)
            await showVariants(db, storage, key, extension);
          await deleteUnshownImageFiles(db, storage, dropped);
        }
      } catch (error) {
        log.warn({ err: error, saved: originals, dropped }, 'image files not updated');
      }
    },
  };
}
