import { randomBytes } from 'node:crypto';

import { createImageStorage, type ImageStorage } from '@buybuy/images';
import { makeImageVariants } from '@buybuy/jobs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { startTestApp, type TestApp, trpcFailure } from './harness';
import type { TestJobMode } from './support/jobs';

/**
 * The admin's view of the job queue (`jobs.overview`, GET /v1/jobs) and the
 * retry of a failed job (`jobs.retry`, POST /v1/jobs/failed/{id}/retry), on
 * both faces, with jobs run in the API process and by a BullMQ worker. A job
 * fails for real: the variants job of an "original" that is not an image.
 */
const POLL = { timeout: 20_000, interval: 25 };

describe.each(['embedded', 'bullmq'] as const)(
  'failed jobs with the %s queue',
  (mode: TestJobMode) => {
    let t: TestApp;
    let storage: ImageStorage;
    let admin: string;

    beforeAll(async () => {
      t = await startTestApp({}, { jobs: mode });
      storage = createImageStorage(t.config.storage, t.config.uploads);
      admin = await t.tokenFor('queue-admin', { admin: true });
    });
    afterAll(() => t.close());

    /** Enqueues the variants job of a stored "original" that is not an image: it fails every try. */
    async function aFailingJob() {
      const key = randomBytes(16).toString('hex');
      await storage.put(`${key}.png`, Buffer.from('not an image at all'), 'image/png');
      await t.jobs!().enqueue(makeImageVariants, { key, extension: 'png' });
      return key;
    }

    const overview = async () => {
      const res = await t.rest('GET', '/v1/jobs', { token: admin });
      expect(res.statusCode).toBe(200);
      return res.json().data;
    };

    const failedWith = (key: string) =>
      vi.waitFor(async () => {
        const found = (await overview()).failed.find(
          (job: { payload: { key?: string } | null }) => job.payload?.key === key,
        );
        expect(found).toBeDefined();
        return found;
      }, POLL);

    it('lists a job that failed every try, with its error, tries, time and payload, on both faces', async () => {
      const key = await aFailingJob();
      const failed = await failedWith(key);
      expect(failed).toMatchObject({
        name: 'images.make-variants',
        tries: 2, // the test queue's retry policy: two tries in all
        payload: { key, extension: 'png' },
      });
      expect(failed.error).toMatch(/unsupported image format/i);
      expect(Date.parse(failed.failed_at)).not.toBeNaN();

      const rest = await overview();
      expect(rest.mode).toBe(mode);
      expect(rest.counts.failed).toBeGreaterThanOrEqual(1);

      const trpc = await t.trpc(admin).jobs.overview.query({});
      expect(trpc.mode).toBe(mode);
      expect(trpc.failed.find((job) => job.id === failed.id)).toEqual(failed);
    });

    it('retries a failed job once its cause is fixed (REST), and it leaves the failed list', async () => {
      const key = await aFailingJob();
      const failed = await failedWith(key);
      // The cause fixed: a real picture where the job reads its original.
      const picture = await sharp({
        create: { width: 400, height: 200, channels: 3, background: '#3a6' },
      })
        .png()
        .toBuffer();
      await storage.put(`${key}.png`, picture, 'image/png');

      const res = await t.rest('POST', `/v1/jobs/failed/${failed.id}/retry`, {
        token: admin,
        body: {},
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ success: true, data: null });
      await vi.waitFor(
        async () => expect(await storage.exists(`${key}-320.webp`)).toBe(true),
        POLL,
      );
      await vi.waitFor(async () => {
        const ids = (await overview()).failed.map((job: { id: string }) => job.id);
        expect(ids).not.toContain(failed.id);
      }, POLL);
    });

    it('retries through tRPC too; a job that fails again is listed again', async () => {
      const key = await aFailingJob();
      const failed = await failedWith(key);
      await expect(t.trpc(admin).jobs.retry.mutate({ id: failed.id })).resolves.toBeNull();
      // Nothing was fixed: it runs its tries again and fails again.
      await vi.waitFor(async () => {
        const again = (await overview()).failed.find((job: { id: string }) => job.id === failed.id);
        expect(again).toMatchObject({ tries: 2 });
        expect(Date.parse(again.failed_at)).toBeGreaterThanOrEqual(Date.parse(failed.failed_at));
      }, POLL);
    });

    it('answers 404 for an id no failed job has, on both faces', async () => {
      const res = await t.rest('POST', '/v1/jobs/failed/no-such-job/retry', {
        token: admin,
        body: {},
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ success: false, errors: [{ code: 'NOT_FOUND' }] });
      const data = await trpcFailure(t.trpc(admin).jobs.retry.mutate({ id: 'no-such-job' }));
      expect(data).toMatchObject({ httpStatus: 404, code: 'NOT_FOUND' });
    });

    it('refuses a bad limit with a field error, never a 500', async () => {
      for (const limit of ['0', '101', 'many']) {
        const res = await t.rest('GET', `/v1/jobs?limit=${limit}`, { token: admin });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0]).toMatchObject({ field: 'limit' });
      }
      const data = await trpcFailure(t.trpc(admin).jobs.overview.query({ limit: 0 }));
      expect(data.httpStatus).toBe(400);
    });

    it('is for admins only', async () => {
      const customer = await t.tokenFor(`shopper-${mode}`);
      expect((await t.rest('GET', '/v1/jobs', { token: customer })).statusCode).toBe(403);
      expect((await trpcFailure(t.trpc(customer).jobs.overview.query({}))).httpStatus).toBe(403);
    });
  },
);

describe('an API built without a job queue', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('says so, with nothing counted', async () => {
    const admin = await t.tokenFor('queue-less-admin', { admin: true });
    const res = await t.rest('GET', '/v1/jobs', { token: admin });
    expect(res.json().data).toEqual({
      mode: 'none',
      counts: { waiting: 0, active: 0, delayed: 0, failed: 0 },
      failed: [],
    });
  });
});
