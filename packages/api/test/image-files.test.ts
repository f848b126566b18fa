import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import {
  createImageStorage,
  imageFiles,
  imageKeyOf,
  type ImageStorage,
  storeSvgImage,
} from '@buybuy/images';
import { startTestStore } from '@buybuy/images/testing';
import { deleteUnshownImageFiles as deleteImageFiles } from '@buybuy/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { productImageFiles } from '../src/products/image-files';
import { createProduct, deleteProduct, getProduct, updateProduct } from '../src/products/service';
import { aCategory, appError } from './fixtures';

let test: TestDatabase;
let categoryId: number;
beforeAll(async () => {
  test = await createTestDatabase();
  categoryId = await aCategory(test.db, { name: 'Prints' });
});
afterAll(() => test.drop());

let colour = 0;
const picture = (storage: ImageStorage) => {
  colour += 1;
  const fill = `#${colour.toString(16).padStart(6, '0')}`;
  return storeSvgImage(
    storage,
    `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="${fill}"/></svg>`,
    { effort: 0 },
  );
};

const aProductShowing = (name: string, images: { image_url: string; thumbnail_url?: string }[]) =>
  createProduct(test.db, { name, price: '5.00', category_id: categoryId, images });

describe.each(['local', 's3'] as const)('deleteImageFiles with the %s store', (driver) => {
  let storage: ImageStorage;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ storage, close } = await startTestStore(driver));
  });
  afterAll(() => close());

  const stored = async (url: string) => {
    const files = imageFiles(imageKeyOf(storage, url)!);
    return (await Promise.all(files.map((file) => storage.exists(file)))).filter(Boolean).length;
  };

  it('deletes an image no row shows, keeps one a row still shows, ignores other hosts', async () => {
    const orphan = await picture(storage);
    const shown = await picture(storage);
    await aProductShowing('Poster', [shown]);

    const deleted = await deleteImageFiles(test.db, storage, [
      orphan.image_url,
      orphan.thumbnail_url,
      shown.image_url,
      'https://elsewhere.example/poster.jpg',
    ]);
    expect(deleted).toEqual([imageKeyOf(storage, orphan.image_url)]);
    expect(await stored(orphan.image_url)).toBe(0);
    expect(await stored(shown.image_url)).toBe(2);
    expect(await deleteImageFiles(test.db, storage, [])).toEqual([]);
  });

  it('counts a row that shows only a thumbnail as a reference', async () => {
    const image = await picture(storage);
    await aProductShowing('Card', [{ image_url: image.thumbnail_url }]);
    expect(await deleteImageFiles(test.db, storage, [image.image_url])).toEqual([]);
    expect(await stored(image.image_url)).toBe(2);
  });
});

describe('a store that fails after the commit', () => {
  const failing: ImageStorage = {
    ...createImageStorage({ driver: 'local' }, { dir: '/unused', baseUrl: 'http://shop.test/up' }),
    delete: () => Promise.reject(new Error('store unreachable')),
  };
  const image = {
    image_url: 'http://shop.test/up/0123456789abcdef0123456789abcdef-1600.webp',
    thumbnail_url: 'http://shop.test/up/0123456789abcdef0123456789abcdef-320.webp',
  };

  it('never fails the delete or the update: the write stands and the failure is logged', async () => {
    const warnings: { object: object; message: string }[] = [];
    // No job queue: the files are deleted after the commit, in the write.
    const files = productImageFiles({
      db: test.db,
      storage: failing,
      log: { warn: (object, message) => warnings.push({ object, message }) },
    });

    const updated = await aProductShowing('Frame', [image]);
    const after = await updateProduct(test.db, updated.id, { images: [] }, files);
    expect(after.images).toEqual([]);

    const removed = await aProductShowing('Easel', [image]);
    await expect(deleteProduct(test.db, removed.id, files)).resolves.toBeNull();
    expect((await appError(getProduct(test.db, removed.id, { includeInactive: true }))).code).toBe(
      'NOT_FOUND',
    );

    expect(warnings).toHaveLength(2);
    for (const warning of warnings) {
      expect(warning.message).toBe('image files not updated');
      expect(warning.object).toMatchObject({
        dropped: [image.image_url, image.thumbnail_url],
        err: new Error('store unreachable'),
      });
    }
  });
});
