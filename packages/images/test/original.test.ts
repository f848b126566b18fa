import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  contentKey,
  deleteImages,
  imageFiles,
  type ImageStorage,
  originalKey,
  originalOf,
  storeVariantsOf,
  variantKey,
} from '../src';
import { startTestStore } from '../src/testing';

/** The variants of an original already in the store, as the variants job makes them, on both stores. */
describe.each(['local', 's3'] as const)('storeVariantsOf with the %s store', (driver) => {
  let storage: ImageStorage;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ storage, close } = await startTestStore(driver));
  });
  afterAll(() => close());

  let shade = 0;
  /** Stores a new 2000 x 1000 PNG as an upload's original; its content key. */
  async function anOriginal(): Promise<string> {
    shade += 1;
    const data = await sharp({
      create: { width: 2000, height: 1000, channels: 3, background: { r: shade, g: 10, b: 90 } },
    })
      .png()
      .toBuffer();
    const key = contentKey(data);
    await storage.put(originalKey(key, 'png'), data, 'image/png');
    return key;
  }

  const present = async (key: string) => {
    const found = await Promise.all(imageFiles(key).map((file) => storage.exists(file)));
    return imageFiles(key).filter((_, index) => found[index]);
  };

  it('makes the display and thumbnail WebPs of the original, and answers their URLs', async () => {
    const key = await anOriginal();
    const urls = await storeVariantsOf(storage, key, 'png', { effort: 0 });
    expect(urls).toEqual({
      image_url: storage.urlFor(variantKey(key, 'display')),
      thumbnail_url: storage.urlFor(variantKey(key, 'thumbnail')),
    });
    const display = await storage.get(variantKey(key, 'display'));
    expect(await sharp(display).metadata()).toMatchObject({
      format: 'webp',
      width: 1600,
      height: 800,
    });
    const thumbnail = await storage.get(variantKey(key, 'thumbnail'));
    expect(await sharp(thumbnail).metadata()).toMatchObject({
      format: 'webp',
      width: 320,
      height: 160,
    });
  });

  it('is idempotent: a second run answers the same URLs', async () => {
    const key = await anOriginal();
    const first = await storeVariantsOf(storage, key, 'png', { effort: 0 });
    expect(await storeVariantsOf(storage, key, 'png', { effort: 0 })).toEqual(first);
    expect(await present(key)).toHaveLength(3);
  });

  it('makes nothing for an original that is gone (its image was deleted)', async () => {
    const key = await anOriginal();
    await deleteImages(storage, [key]);
    expect(await storeVariantsOf(storage, key, 'png', { effort: 0 })).toBeUndefined();
    expect(await present(key)).toEqual([]);
  });

  it('removes variants it finds once their original is gone', async () => {
    const key = await anOriginal();
    await storeVariantsOf(storage, key, 'png', { effort: 0 });
    await storage.delete([originalKey(key, 'png')]);
    expect(await storeVariantsOf(storage, key, 'png', { effort: 0 })).toBeUndefined();
    expect(await present(key)).toEqual([]);
  });

  it('tells an original of this store from its variants and other addresses', async () => {
    const key = await anOriginal();
    expect(originalOf(storage, storage.urlFor(originalKey(key, 'png')))).toEqual({
      key,
      extension: 'png',
    });
    expect(originalOf(storage, storage.urlFor(variantKey(key, 'display')))).toBeUndefined();
    expect(originalOf(storage, `https://elsewhere.example/${key}.png`)).toBeUndefined();
  });
});
