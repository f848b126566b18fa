import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createLocalImageStorage, makeVariants, storeSvgImage } from '../src';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'buybuy-images-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const rectangle = (fill: string, width: number, height: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="${fill}"/></svg>`;
const square = (fill: string, side = 800) => rectangle(fill, side, side);

describe('storeSvgImage', () => {
  it('stores a display image and a thumbnail as WebP under the store URL, keyed by content', async () => {
    const storage = createLocalImageStorage(dir, 'http://cdn.test/uploads');
    const stored = await storeSvgImage(storage, square('#336699'), { effort: 0 });
    expect(stored.image_url).toMatch(/^http:\/\/cdn\.test\/uploads\/[0-9a-f]{32}-1600\.webp$/);
    expect(stored.thumbnail_url).toBe(stored.image_url.replace('-1600.webp', '-320.webp'));

    const file = (url: string) => join(dir, url.split('/').pop()!);
    const display = await sharp(file(stored.image_url)).metadata();
    const thumbnail = await sharp(file(stored.thumbnail_url)).metadata();
    expect([display.format, display.width, display.height]).toEqual(['webp', 800, 800]);
    expect([thumbnail.format, thumbnail.width, thumbnail.height]).toEqual(['webp', 320, 320]);
    const { dominant } = await sharp(file(stored.thumbnail_url)).stats();
    expect(dominant).toEqual({ r: 56, g: 104, b: 152 }); // #336699 in 16-level bins

    // The same drawing is the same files; another drawing gets its own.
    expect(await storeSvgImage(storage, square('#336699'), { effort: 0 })).toEqual(stored);
    const other = await storeSvgImage(storage, square('#993366'), { effort: 0 });
    expect(other.image_url).not.toBe(stored.image_url);
    expect((await readdir(dir)).sort()).toHaveLength(4);
  });
});

describe('makeVariants', () => {
  it('bounds the longest side to 1600 and 320 without enlarging', async () => {
    const wide = await makeVariants(sharp(Buffer.from(rectangle('#000', 2000, 1000))));
    expect(await sharp(wide.display).metadata()).toMatchObject({ width: 1600, height: 800 });
    expect(await sharp(wide.thumbnail).metadata()).toMatchObject({ width: 320, height: 160 });
    const small = await makeVariants(sharp(Buffer.from(square('#000', 200))));
    expect(await sharp(small.display).metadata()).toMatchObject({ width: 200, height: 200 });
    expect(await sharp(small.thumbnail).metadata()).toMatchObject({ width: 200, height: 200 });
  });
});
