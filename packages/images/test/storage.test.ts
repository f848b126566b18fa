import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createImageStorage,
  deleteImages,
  imageFiles,
  imageKeyOf,
  type ImageStorage,
  originalKey,
  storeSvgImage,
} from '../src';
import { createS3ImageStorage } from '../src/s3';
import { startTestS3, type TestS3 } from '../src/testing';

const square = (fill: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect width="400" height="400" fill="${fill}"/></svg>`;

interface Driver {
  storage: ImageStorage;
  /** The bytes at a stored URL as a browser would get them, with the headers that matter to caches. */
  fetch(url: string): Promise<{ data: Buffer; contentType?: string; cacheControl?: string } | null>;
  close(): Promise<void>;
}

const drivers: Record<'local' | 's3', () => Promise<Driver>> = {
  async local() {
    const dir = await mkdtemp(join(tmpdir(), 'buybuy-images-'));
    const storage = createImageStorage(
      { driver: 'local' },
      { dir, baseUrl: 'http://shop.test/uploads' },
    );
    return {
      storage,
      async fetch(url) {
        const key = storage.keyOf(url)!;
        if (!(await storage.exists(key))) return null;
        return { data: await readFile(join(dir, key)) };
      },
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
  async s3() {
    const s3: TestS3 = await startTestS3();
    // The CDN's address is the public base; here the bucket's own address plays it.
    const storage = createImageStorage(s3.settings, { dir: '/unused', baseUrl: s3.baseUrl });
    return {
      storage,
      async fetch(url) {
        const response = await fetch(url);
        if (response.status === 404) return null;
        expect(response.status).toBe(200);
        return {
          data: Buffer.from(await response.arrayBuffer()),
          contentType: response.headers.get('content-type') ?? undefined,
          cacheControl: response.headers.get('cache-control') ?? undefined,
        };
      },
      close: () => s3.close(),
    };
  },
};

describe.each(['local', 's3'] as const)('the %s image store', (name) => {
  let driver: Driver;
  beforeAll(async () => {
    driver = await drivers[name]();
  });
  afterAll(() => driver.close());

  it('puts, tells what exists, and deletes (a missing key is no error)', async () => {
    const { storage } = driver;
    await storage.put('0123abcd.png', Buffer.from('bytes'), 'image/png');
    expect(await storage.exists('0123abcd.png')).toBe(true);
    expect(await storage.exists('ffff0000.png')).toBe(false);
    const stored = await driver.fetch(storage.urlFor('0123abcd.png'));
    expect(stored?.data.toString()).toBe('bytes');
    if (name === 's3') {
      expect(stored?.contentType).toBe('image/png');
      expect(stored?.cacheControl).toBe('public, max-age=31536000, immutable');
    }
    await storage.delete(['0123abcd.png', 'ffff0000.png']);
    expect(await storage.exists('0123abcd.png')).toBe(false);
    expect(await driver.fetch(storage.urlFor('0123abcd.png'))).toBeNull();
  });

  it('stores the variants under the public base URL and deletes every file of an image', async () => {
    const { storage } = driver;
    const base = storage.urlFor('');
    const stored = await storeSvgImage(storage, square('#336699'), { effort: 0 });
    const other = await storeSvgImage(storage, square('#993366'), { effort: 0 });
    expect(stored.image_url.startsWith(base)).toBe(true);
    expect(stored.image_url.slice(base.length)).toMatch(/^[0-9a-f]{32}-1600\.webp$/);
    expect(stored.thumbnail_url).toBe(stored.image_url.replace('-1600.webp', '-320.webp'));

    const thumbnail = await driver.fetch(stored.thumbnail_url);
    expect(await sharp(thumbnail!.data).metadata()).toMatchObject({ format: 'webp', width: 320 });
    if (name === 's3') {
      expect(thumbnail?.contentType).toBe('image/webp');
      expect(thumbnail?.cacheControl).toBe('public, max-age=31536000, immutable');
    }

    const key = imageKeyOf(storage, stored.image_url)!;
    expect(imageKeyOf(storage, stored.thumbnail_url)).toBe(key);
    // An upload's original sits beside its variants and goes with them.
    await storage.put(originalKey(key, 'jpg'), Buffer.from('original'), 'image/jpeg');

    await deleteImages(storage, [key]);
    for (const file of imageFiles(key)) expect(await storage.exists(file)).toBe(false);
    expect(await driver.fetch(stored.image_url)).toBeNull();
    // Another image's files stay.
    expect(await driver.fetch(other.image_url)).not.toBeNull();
    expect(await driver.fetch(other.thumbnail_url)).not.toBeNull();
  });

  it('reads keys only from its own URLs', () => {
    const { storage } = driver;
    const url = storage.urlFor('0123456789abcdef0123456789abcdef-320.webp');
    expect(storage.keyOf(url)).toBe('0123456789abcdef0123456789abcdef-320.webp');
    expect(imageKeyOf(storage, url)).toBe('0123456789abcdef0123456789abcdef');
    expect(storage.keyOf('https://elsewhere.test/uploads/a.webp')).toBeUndefined();
    expect(storage.keyOf(storage.urlFor('../secret'))).toBeUndefined();
    expect(storage.keyOf(storage.urlFor('nested/a.webp'))).toBeUndefined();
    expect(imageKeyOf(storage, storage.urlFor('not-a-hash-320.webp'))).toBeUndefined();
  });
});

describe('the local store', () => {
  it('refuses a key that is a path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'buybuy-images-'));
    const storage = createImageStorage({ driver: 'local' }, { dir, baseUrl: 'http://x.test/u' });
    await expect(storage.put('../escape.png', Buffer.from('x'), 'image/png')).rejects.toThrow(
      'Not an image key',
    );
    await expect(storage.delete(['../escape.png'])).rejects.toThrow('Not an image key');
    expect(await readdir(dir)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('the test S3 server (s3rver, patched)', () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = await drivers.s3();
  });
  afterAll(() => driver.close());

  // As S3 does; s3rver answered before its write ended and wrote in place, so
  // a read just after a PUT, or during another PUT of the same key, could see
  // an empty or partial object (CI's image-jobs failures).
  it('answers a PUT once the object is written, and never shows half of one', async () => {
    const { storage } = driver;
    const versions = [1, 2, 3].map((n) => Buffer.alloc(6 * 1024 * 1024, n));
    await storage.put('abcdef01.png', versions[0]!, 'image/png');
    expect((await storage.get('abcdef01.png'))?.equals(versions[0]!)).toBe(true);
    const reads: Array<Promise<Buffer | undefined>> = [];
    const writes = versions.slice(1).map(async (version) => {
      await storage.put('abcdef01.png', version, 'image/png');
      reads.push(storage.get('abcdef01.png'));
    });
    for (let i = 0; i < 5; i++) reads.push(storage.get('abcdef01.png'));
    await Promise.all(writes);
    for (const read of await Promise.all(reads)) {
      expect(versions.some((version) => read?.equals(version))).toBe(true);
    }
    // About a second alone; more than 30 s with 24 MiB objects under the whole suite in CI.
  }, 60_000);
});

describe('the S3 store over a connection that breaks', () => {
  it('reads an object again when its body is cut off after the headers', async () => {
    // An S3 endpoint whose first answer stops after 1 kB and closes the socket.
    const body = Buffer.alloc(64 * 1024, 7);
    let gets = 0;
    const server = createServer((request, response) => {
      request.resume();
      gets++;
      response.writeHead(200, {
        'content-type': 'image/png',
        'content-length': String(body.length),
      });
      if (gets > 1) return response.end(body);
      response.write(body.subarray(0, 1024), () => response.socket?.destroy());
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as AddressInfo;
    const storage = createS3ImageStorage(
      {
        bucket: 'shop',
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        forcePathStyle: true,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      },
      'http://cdn.test/shop',
    );
    try {
      expect(await storage.get('a.png')).toEqual(body);
      expect(gets).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    }
  });
});
