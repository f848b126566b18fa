import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import S3rver from 's3rver';

import { createImageStorage, type StorageSettings } from './factory';
import type { ImageStorage } from './storage';

export interface TestS3 {
  /** Settings for `createImageStorage`: a bucket on the local server, path-style. */
  settings: Extract<StorageSettings, { driver: 's3' }> & { forcePathStyle: boolean };
  /** The bucket's public address (what a CDN would front): `<endpoint>/<bucket>`. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver, on a free port, files in a temporary
 * directory) with one empty bucket, for tests of the S3 store. Its
 * credentials are s3rver's fixed `S3RVER`/`S3RVER`.
 */
export async function startTestS3(bucket = 'buybuy-images'): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'buybuy-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    settings: {
      driver: 's3',
      bucket,
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    },
    baseUrl: `${endpoint}/${bucket}`,
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export interface TestStore {
  storage: ImageStorage;
  close(): Promise<void>;
}

/** An empty image store of either kind for a test: a temporary folder, or a bucket on s3rver. */
export async function startTestStore(driver: 'local' | 's3'): Promise<TestStore> {
  if (driver === 's3') {
    const s3 = await startTestS3();
    const storage = createImageStorage(s3.settings, { dir: '/unused', baseUrl: s3.baseUrl });
    return { storage, close: s3.close };
  }
  const dir = await mkdtemp(join(tmpdir(), 'buybuy-store-'));
  return {
    storage: createImageStorage({ driver: 'local' }, { dir, baseUrl: 'http://shop.test/up' }),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
