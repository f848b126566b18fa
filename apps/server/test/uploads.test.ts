import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Api } from '@buybuy/api';
import type { ImageStorage } from '@buybuy/images';
import { startTestS3, type TestS3 } from '@buybuy/images/testing';
import Fastify from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { uploadRoutes } from '../src/plugins/uploads';
import { multipartBody, startTestApp, type TestApp } from './harness';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.tokenFor('uploader', { admin: true });
});
afterAll(() => t.close());

const picture = (format: 'png' | 'jpeg' | 'webp' | 'avif' | 'gif', width = 1200, height = 600) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .toFormat(format)
    .toBuffer();

function upload(
  data: Buffer,
  options: Parameters<typeof multipartBody>[1] & { token?: string } = {},
) {
  const token = 'token' in options ? options.token : admin;
  return t.rest('POST', '/v1/uploads/images', { token, raw: multipartBody(data, options) });
}

const pathOf = (url: string) => new URL(url).pathname;

describe('POST /v1/uploads/images', () => {
  it('stores a PNG with display and thumbnail variants, in the envelope', async () => {
    const res = await upload(await picture('png', 2400, 1200));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ success: true, message: 'Created', errors: [] });
    expect(body.data).toMatchObject({ width: 2400, height: 1200, content_type: 'image/png' });

    const thumbnail = await t.app.inject({ method: 'GET', url: pathOf(body.data.thumbnail_url) });
    expect(thumbnail.statusCode).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/webp');
    expect(thumbnail.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(thumbnail.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(await sharp(thumbnail.rawPayload).metadata()).toMatchObject({
      format: 'webp',
      width: 320,
      height: 160,
    });

    const display = await t.app.inject({ method: 'GET', url: pathOf(body.data.image_url) });
    expect(await sharp(display.rawPayload).metadata()).toMatchObject({ width: 1600, height: 800 });
    const original = await t.app.inject({ method: 'GET', url: pathOf(body.data.original_url) });
    expect(original.headers['content-type']).toBe('image/png');
  });

  it('accepts JPEG, WebP and AVIF, and never enlarges a small image', async () => {
    for (const format of ['jpeg', 'webp', 'avif'] as const) {
      const res = await upload(await picture(format, 200, 100), {
        filename: `x.${format}`,
        type: `image/${format}`,
      });
      expect(res.statusCode, format).toBe(201);
      const thumb = await t.app.inject({
        method: 'GET',
        url: pathOf(res.json().data.thumbnail_url),
      });
      expect(await sharp(thumb.rawPayload).metadata(), format).toMatchObject({
        width: 200,
        height: 100,
      });
    }
  });

  it('decides the type by content, not by the file name or declared type', async () => {
    const jpegNamedPng = await upload(await picture('jpeg', 64, 64), {
      filename: 'cat.png',
      type: 'image/png',
    });
    expect(jpegNamedPng.statusCode).toBe(201);
    expect(jpegNamedPng.json().data.content_type).toBe('image/jpeg');

    const fakes: [string, Buffer][] = [
      ['text named .png', Buffer.from('just some text, not an image at all')],
      [
        'svg',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      ],
      ['gif', await picture('gif', 32, 32)],
      ['html', Buffer.from('<!doctype html><html><body>hi</body></html>')],
    ];
    for (const [name, data] of fakes) {
      const res = await upload(data, { filename: 'photo.png', type: 'image/png' });
      expect(res.statusCode, name).toBe(415);
      expect(res.json().errors[0], name).toMatchObject({
        field: 'file',
        code: 'UNSUPPORTED_IMAGE_TYPE',
      });
    }
  });

  it('refuses a damaged image with a 400 instead of a 500', async () => {
    const png = await picture('png', 300, 300);
    const res = await upload(png.subarray(0, 120));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'file', code: 'INVALID_IMAGE' });
  });

  it('answers 400 without a file, and 415 for a JSON body', async () => {
    const wrongField = await upload(await picture('png', 16, 16), { field: 'image' });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().errors[0].field).toBe('file');
    const json = await t.rest('POST', '/v1/uploads/images', { token: admin, body: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(json.json().errors[0].code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(json.json().message).toBe('Send the body as multipart/form-data');
  });

  it('answers 400 in the envelope for a multipart body cut before its closing boundary', async () => {
    const whole = multipartBody(await picture('png', 64, 64));
    const closing = whole.payload.lastIndexOf('\r\n--');
    for (const payload of [whole.payload.subarray(0, closing), Buffer.from('--XX\r\n')]) {
      const res = await t.rest('POST', '/v1/uploads/images', {
        token: admin,
        raw: { payload, contentType: whole.contentType },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        success: false,
        data: null,
        errors: [{ field: null, code: 'BAD_REQUEST' }],
      });
    }
  });

  it('stores each image once, under a content hash', async () => {
    const data = await picture('png', 50, 50);
    const first = (await upload(data)).json().data;
    const second = (await upload(data)).json().data;
    expect(second.image_url).toBe(first.image_url);
    const files = await readdir(t.config.uploads.dir);
    expect(files.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('attaches to a product with its thumbnail', async () => {
    const stored = (await upload(await picture('png', 800, 800))).json().data;
    const category = (
      await t.rest('POST', '/v1/categories', { token: admin, body: { name: 'Lamps' } })
    ).json().data;
    const product = await t.rest('POST', '/v1/products', {
      token: admin,
      body: {
        name: 'Lamp',
        price: '10.00',
        category_id: category.id,
        images: [
          { image_url: stored.image_url, thumbnail_url: stored.thumbnail_url, alt_text: 'A lamp' },
        ],
      },
    });
    expect(product.statusCode).toBe(201);
    const list = (await t.rest('GET', '/v1/products')).json().data;
    expect(list[0].primary_image).toMatchObject({
      image_url: stored.image_url,
      thumbnail_url: stored.thumbnail_url,
    });
  });
});

describe('with STORAGE_DRIVER=s3', () => {
  let s3: TestS3;
  let bucketed: TestApp;
  let token: string;
  beforeAll(async () => {
    s3 = await startTestS3();
    bucketed = await startTestApp({
      storage: s3.settings,
      // The bucket's own address stands in for the CDN in front of it.
      uploads: { dir: '/nonexistent', baseUrl: s3.baseUrl, maxBytes: 10 * 1024 * 1024 },
    });
    token = await bucketed.tokenFor('s3admin', { admin: true });
  });
  afterAll(async () => {
    await bucketed.close();
    await s3.close();
  });

  it('stores the variants and the original in the bucket, served from UPLOADS_BASE_URL', async () => {
    const raw = multipartBody(await picture('jpeg', 2400, 1200), { type: 'image/jpeg' });
    const res = await bucketed.rest('POST', '/v1/uploads/images', { token, raw });
    expect(res.statusCode).toBe(201);
    const stored = res.json().data;
    expect(stored).toMatchObject({ width: 2400, height: 1200, content_type: 'image/jpeg' });
    for (const url of [stored.image_url, stored.thumbnail_url, stored.original_url])
      expect(url.startsWith(`${s3.baseUrl}/`)).toBe(true);

    const thumbnail = await fetch(stored.thumbnail_url);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(thumbnail.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const bytes = Buffer.from(await thumbnail.arrayBuffer());
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 320, height: 160 });
    const original = await fetch(stored.original_url);
    expect(original.headers.get('content-type')).toBe('image/jpeg');

    // The server serves no files itself: the CDN does.
    const local = await bucketed.app.inject({
      method: 'GET',
      url: `/uploads/${pathOf(stored.image_url).split('/').pop()}`,
    });
    expect(local.statusCode).toBe(404);
  });
});

describe('an upload over UPLOAD_MAX_BYTES', () => {
  let tight: TestApp;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'buybuy-uploads-'));
    tight = await startTestApp({
      uploads: { dir, baseUrl: 'http://uploads.test/uploads', maxBytes: 2_000 },
    });
  });
  afterAll(() => tight.close());

  it('is a 413 in the envelope', async () => {
    const token = await tight.tokenFor('bigadmin', { admin: true });
    const raw = multipartBody(await picture('png', 400, 400));
    expect(raw.payload.length).toBeGreaterThan(2_000);
    const res = await tight.rest('POST', '/v1/uploads/images', { token, raw });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ success: false, errors: [{ code: 'PAYLOAD_TOO_LARGE' }] });
  });
});

describe('a plain /v1 route', () => {
  it('is refused at start unless it says who may call it', async () => {
    const app = Fastify({ logger: false });
    const plugin = app.register(async (rest) => {
      await uploadRoutes(rest, { api: {} as Api, storage: {} as ImageStorage, maxBytes: 1 });
      rest.post('/uploads/documents', async () => 'stored');
    });
    await expect(plugin).rejects.toThrow('POST /uploads/documents: declare config.access');
    await app.close();
  });
});
