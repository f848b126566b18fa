import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Where product images live, uploaded or seeded. The local filesystem is the default; an
 * S3-compatible store implements the same two methods (put with the
 * content type and a long cache lifetime, and the public URL of a key).
 */
export interface ImageStorage {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  urlFor(key: string): string;
  /** Set when the server itself serves the files (local store): the directory to serve. */
  readonly localDir?: string;
}

export function createLocalImageStorage(dir: string, baseUrl: string): ImageStorage {
  const root = resolve(dir);
  return {
    localDir: root,
    async put(key, data) {
      await mkdir(root, { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const target = join(root, key);
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, data);
      await rename(temporary, target);
    },
    urlFor: (key) => `${baseUrl}/${key}`,
  };
}
