import { createImageStorage, imageFiles, imageKeyOf, type ImageStorage } from '@buybuy/images';
import { startTestS3, type TestS3 } from '@buybuy/images/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { multipartBody, startTestApp, type TestApp } from './harness';

/**
 * Deleting a product, or dropping an image from one, deletes the image's
 * files (variants and original) from the store — unless another product
 * still shows the same picture (same bytes, same key). Both stores, through
 * the real server.
 */
describe.each(['local', 's3'] as const)('image files with the %s store', (driver) => {
  let t: TestApp;
  let s3: TestS3 | undefined;
  let storage: ImageStorage;
  let admin: string;
  let categoryId: number;

  beforeAll(async () => {
    if (driver === 's3') {
      s3 = await startTestS3();
      t = await startTestApp({
        storage: s3.settings,
        uploads: { dir: '/nonexistent', baseUrl: s3.baseUrl, maxBytes: 10 * 1024 * 1024 },
      });
    } else {
      t = await startTestApp();
    }
    // The store the server writes to, as config names it.
    storage = createImageStorage(t.config.storage, t.config.uploads);
    admin = await t.tokenFor('files-admin', { admin: true });
    categoryId = (
      await t.rest('POST', '/v1/categories', { token: admin, body: { name: 'Vases' } })
    ).json().data.id;
  });
  afterAll(async () => {
    await t.close();
    await s3?.close();
  });

  let shade = 0;
  /** Uploads a new picture (a colour no other test used) and returns what the route answered. */
  async function upload(): Promise<{
    image_url: string;
    thumbnail_url: string;
    original_url: string;
  }> {
    shade += 1;
    const data = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 90, b: 200 } },
    })
      .png()
      .toBuffer();
    const res = await t.rest('POST', '/v1/uploads/images', {
      token: admin,
      raw: multipartBody(data),
    });
    expect(res.statusCode).toBe(201);
    return res.json().data;
  }

  async function filesOf(url: string) {
    const key = imageKeyOf(storage, url);
    expect(key).toBeDefined();
    const present = await Promise.all(imageFiles(key!).map((file) => storage.exists(file)));
    return imageFiles(key!).filter((_, index) => present[index]);
  }

  const asImage = (stored: { image_url: string; thumbnail_url: string }) => ({
    image_url: stored.image_url,
    thumbnail_url: stored.thumbnail_url,
  });

  async function createProduct(name: string, images: object[]): Promise<number> {
    const res = await t.rest('POST', '/v1/products', {
      token: admin,
      body: { name, price: '12.00', category_id: categoryId, images },
    });
    expect(res.statusCode).toBe(201);
    return res.json().data.id;
  }

  it('an upload stores three files under the configured base URL', async () => {
    const stored = await upload();
    expect(stored.image_url.startsWith(`${t.config.uploads.baseUrl}/`)).toBe(true);
    expect(await filesOf(stored.image_url)).toHaveLength(3); // display, thumbnail, original
  });

  it('deleting a product deletes its images’ files, and leaves other products’ files', async () => {
    const [first, second, other] = [await upload(), await upload(), await upload()];
    const id = await createProduct('Tall vase', [asImage(first), asImage(second)]);
    await createProduct('Short vase', [asImage(other)]);

    const res = await t.rest('DELETE', `/v1/products/${id}`, { token: admin });
    expect(res.statusCode).toBe(200);
    expect(await filesOf(first.image_url)).toEqual([]);
    expect(await filesOf(second.image_url)).toEqual([]);
    expect(await filesOf(other.image_url)).toHaveLength(3);
  });

  it('replacing a product’s images deletes the dropped ones’ files and keeps the kept ones', async () => {
    const [kept, dropped, added] = [await upload(), await upload(), await upload()];
    const id = await createProduct('Blue vase', [asImage(kept), asImage(dropped)]);

    const res = await t.rest('PUT', `/v1/products/${id}`, {
      token: admin,
      body: { images: [asImage(kept), asImage(added)] },
    });
    expect(res.statusCode).toBe(200);
    expect(await filesOf(dropped.image_url)).toEqual([]);
    expect(await filesOf(kept.image_url)).toHaveLength(3);
    expect(await filesOf(added.image_url)).toHaveLength(3);

    // A change that leaves the images alone touches no file.
    await t.rest('PUT', `/v1/products/${id}`, { token: admin, body: { name: 'Navy vase' } });
    expect(await filesOf(kept.image_url)).toHaveLength(3);
  });

  it('a picture two products show (same bytes, same files) stays until the last one goes', async () => {
    const shared = await upload();
    const a = await createProduct('Vase A', [asImage(shared)]);
    // The second shows only the thumbnail as its image: still a reference to the same files.
    const b = await createProduct('Vase B', [{ image_url: shared.thumbnail_url }]);

    await t.rest('DELETE', `/v1/products/${a}`, { token: admin });
    expect(await filesOf(shared.image_url)).toHaveLength(3);

    await t.rest('PUT', `/v1/products/${b}`, { token: admin, body: { images: [] } });
    expect(await filesOf(shared.image_url)).toEqual([]);
  });

  it('an image hosted elsewhere is left alone', async () => {
    const mine = await upload();
    const id = await createProduct('Old vase', [
      { image_url: 'https://photos.example.com/vase.jpg' },
      asImage(mine),
    ]);
    const res = await t.rest('DELETE', `/v1/products/${id}`, { token: admin });
    expect(res.statusCode).toBe(200);
    expect(await filesOf(mine.image_url)).toEqual([]);
  });
});
