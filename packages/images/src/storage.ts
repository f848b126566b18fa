import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Where product images live, uploaded or seeded: the local filesystem (the
 * default) or an S3-compatible bucket behind a CDN (`s3.ts`). Keys are flat
 * file names (`<hash>-1600.webp`); URLs are `<baseUrl>/<key>`.
 */
export interface ImageStorage {
  /** Stores `data` under `key` with its content type and a year-long cache lifetime (keys are content hashes). */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** Removes the keys; a key that is not there is not an error. */
  delete(keys: readonly string[]): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** The bytes stored under `key`, or undefined when nothing is (the variants job reads originals). */
  get(key: string): Promise<Buffer | undefined>;
  urlFor(key: string): string;
  /** The key behind a URL of this store, or undefined for any other address (an outside image). */
  keyOf(url: string): string | undefined;
  /** Set when the server itself serves the files (local store): the directory to serve. */
  readonly localDir?: string;
}

/** A key is one plain file name: never a path, never hidden. */
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/** `keyOf` for stores whose URLs are `<baseUrl>/<key>`. */
export function keyUnder(baseUrl: string) {
  const prefix = `${baseUrl.replace(/\/$/, '')}/`;
  return (url: string): string | undefined => {
    if (!url.startsWith(prefix)) return undefined;
    const key = url.slice(prefix.length);
    return KEY.test(key) && !key.includes('..') ? key : undefined;
  };
}

function checkedKey(key: string): string {
  if (!KEY.test(key) || key.includes('..')) throw new Error(`Not an image key: ${key}`);
  return key;
}

export function createLocalImageStorage(dir: string, baseUrl: string): ImageStorage {
  const root = resolve(dir);
  const base = baseUrl.replace(/\/$/, '');
  const fileOf = (key: string) => join(root, checkedKey(key));
  return {
    localDir: root,
    async put(key, data) {
      await mkdir(root, { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const target = fileOf(key);
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, data);
      await rename(temporary, target);
    },
    async delete(keys) {
      await Promise.all(keys.map((key) => rm(fileOf(key), { force: true })));
    },
    exists: (key) =>
      access(fileOf(key)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return false;
          throw error;
        },
      ),
    get: (key) =>
      readFile(fileOf(key)).then(
        (data) => data,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined;
          throw error;
        },
      ),
    urlFor: (key) => `${base}/${key}`,
    keyOf: keyUnder(base),
  };
}
