import { productImages } from '@buybuy/db';
import { createImageStorage, imageFiles, imageKeyOf, type ImageStorage } from '@buybuy/images';
import { startTestS3, type TestS3 } from '@buybuy/images/testing';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { multipartBody, startTestApp, type TestApp } from './harness';
import type { TestJobMode } from './support/jobs';

/**
 * Image variants and image file deletions as background jobs, through the
 * real server: with the local store and with S3 (s3rver), with the jobs run
 * in the API process (no Redis) and by a BullMQ worker (Redis). The upload
 * answers with the original; a job makes the variants and points the rows at
 * them; deleting a product or dropping an image enqueues the deletion of its
 * files, and nothing is left behind.
 */
const cases = [
  ['local', 'embedded'],
  ['local', 'bullmq'],
  ['s3', 'embedded'],
  ['s3', 'bullmq'],
] as const;

/** How long a poll waits for a job's effect before the test fails (jobs take milliseconds here). */
const POLL = { timeout: 20_000, interval: 25 };

describe.each(cases)('image jobs with the %s store, %s queue', (driver, mode: TestJobMode) => {
  let t: TestApp;
  let s3: TestS3 | undefined;
  let storage: ImageStorage;
  let admin: string;
  let categoryId: number;

  beforeAll(async () => {
    if (driver === 's3') {
      s3 = await startTestS3();
      t = await startTestApp(
        {
          storage: s3.settings,
          uploads: { dir: '/nonexistent', baseUrl: s3.baseUrl, maxBytes: 10 * 1024 * 1024 },
        },
        { jobs: mode },
      );
    } else {
      t = await startTestApp({}, { jobs: mode });
    }
    storage = createImageStorage(t.config.storage, t.config.uploads);
    admin = await t.tokenFor('jobs-admin', { admin: true });
    categoryId = (
      await t.rest('POST', '/v1/categories', { token: admin, body: { name: 'Bowls' } })
    ).json().data.id;
  });
  afterAll(async () => {
    await t.close();
    await s3?.close();
  });

  let shade = 0;
  /** Uploads a new 1200 x 600 picture (a colour no other test used). */
  async function upload() {
    shade += 1;
    const data = await sharp({
      create: { width: 1200, height: 600, channels: 3, background: { r: shade, g: 120, b: 60 } },
    })
      .png()
      .toBuffer();
    const res = await t.rest('POST', '/v1/uploads/images', {
      token: admin,
      raw: multipartBody(data),
    });
    expect(res.statusCode).toBe(201);
    return res.json().data as {
      image_url: string;
      thumbnail_url: string;
      original_url: string;
      variants: string;
    };
  }

  /** The files of the image behind a URL that are in the store now. */
  async function filesOf(url: string) {
    const key = imageKeyOf(storage, url)!;
    const present = await Promise.all(imageFiles(key).map((file) => storage.exists(file)));
    return imageFiles(key).filter((_, index) => present[index]);
  }

  async function createProduct(name: string, images: object[]): Promise<number> {
    const res = await t.rest('POST', '/v1/products', {
      token: admin,
      body: { name, price: '9.00', category_id: categoryId, images },
    });
    expect(res.statusCode).toBe(201);
    return res.json().data.id;
  }

  const rowsOf = (productId: number) =>
    t.db.db.select().from(productImages).where(eq(productImages.product_id, productId));

  /** Waits until no job waits, runs or waits for a retry. */
  const idle = () =>
    vi.waitFor(async () => {
      const { waiting, active, delayed } = await t.jobs!().counts();
      expect(waiting + active + delayed).toBe(0);
    }, POLL);

  it('the upload answers with the original; the job makes the variants and the row shows them', async () => {
    const stored = await upload();
    // The answer is written before the job runs: it can only point at the original.
    expect(stored).toMatchObject({
      image_url: stored.original_url,
      thumbnail_url: stored.original_url,
      variants: 'pending',
    });
    expect(stored.original_url).toMatch(/^.+\/[0-9a-f]{32}\.png$/);

    const id = await createProduct('Deep bowl', [
      { image_url: stored.image_url, thumbnail_url: stored.thumbnail_url },
    ]);
    await vi.waitFor(async () => {
      expect((await rowsOf(id))[0]!.variants).toBe('ready');
    }, POLL);

    const product = (await t.rest('GET', `/v1/products/${id}`, { token: admin })).json().data;
    const [image] = product.images;
    expect(image.variants).toBe('ready');
    expect(image.image_url).toMatch(/-1600\.webp$/);
    expect(image.thumbnail_url).toMatch(/-320\.webp$/);
    const thumbnail = await storage.get(storage.keyOf(image.thumbnail_url)!);
    expect(await sharp(thumbnail).metadata()).toMatchObject({ format: 'webp', width: 320 });
    // Never enlarged: the 1200 px original stays 1200 px wide in the display variant.
    const display = await storage.get(storage.keyOf(image.image_url)!);
    expect(await sharp(display).metadata()).toMatchObject({ width: 1200, height: 600 });
    expect(await filesOf(stored.original_url)).toHaveLength(3);
  });

  it('a product saved after the upload’s job ran still gets its variants', async () => {
    const stored = await upload();
    // The upload's job has run (its files exist) before any row shows the original.
    await vi.waitFor(async () => expect(await filesOf(stored.original_url)).toHaveLength(3), POLL);
    await idle();

    const id = await createProduct('Flat bowl', [{ image_url: stored.original_url }]);
    await vi.waitFor(async () => {
      const [row] = await rowsOf(id);
      expect(row).toMatchObject({
        variants: 'ready',
        thumbnail_url: expect.stringMatching(/-320\.webp$/),
      });
    }, POLL);
  });

  it('deleting a product enqueues the deletion of every file of its images', async () => {
    const [first, second] = [await upload(), await upload()];
    const id = await createProduct('Bowl set', [
      { image_url: first.image_url, thumbnail_url: first.thumbnail_url },
      { image_url: second.image_url, thumbnail_url: second.thumbnail_url },
    ]);
    await vi.waitFor(async () => {
      expect((await rowsOf(id)).map((row) => row.variants)).toEqual(['ready', 'ready']);
    }, POLL);
    expect(await filesOf(first.original_url)).toHaveLength(3);

    expect((await t.rest('DELETE', `/v1/products/${id}`, { token: admin })).statusCode).toBe(200);
    await vi.waitFor(async () => {
      expect(await filesOf(first.original_url)).toEqual([]);
      expect(await filesOf(second.original_url)).toEqual([]);
    }, POLL);
  });

  it('dropping an image deletes its files and keeps the kept one’s', async () => {
    const [kept, dropped] = [await upload(), await upload()];
    const id = await createProduct('Tea bowl', [
      { image_url: kept.image_url },
      { image_url: dropped.image_url },
    ]);
    await vi.waitFor(async () => {
      expect((await rowsOf(id)).map((row) => row.variants)).toEqual(['ready', 'ready']);
    }, POLL);
    const shown = (await t.rest('GET', `/v1/products/${id}`, { token: admin })).json().data.images;

    const res = await t.rest('PUT', `/v1/products/${id}`, {
      token: admin,
      body: { images: [{ image_url: shown[0].image_url, thumbnail_url: shown[0].thumbnail_url }] },
    });
    expect(res.statusCode).toBe(200);
    await vi.waitFor(async () => expect(await filesOf(dropped.original_url)).toEqual([]), POLL);
    await idle();
    expect(await filesOf(kept.original_url)).toHaveLength(3);
  });

  it('a product deleted before its variants exist leaves no file behind', async () => {
    const stored = await upload();
    const id = await createProduct('Quick bowl', [{ image_url: stored.image_url }]);
    // At once: the variants jobs (the upload's, the product's) may run before or after the deletion.
    expect((await t.rest('DELETE', `/v1/products/${id}`, { token: admin })).statusCode).toBe(200);
    await vi.waitFor(async () => expect(await filesOf(stored.original_url)).toEqual([]), POLL);
    await idle();
    expect(await filesOf(stored.original_url)).toEqual([]);
  });
});
