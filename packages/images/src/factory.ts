import { createS3ImageStorage, type S3StorageSettings } from './s3';
import { createLocalImageStorage, type ImageStorage } from './storage';

/** Which store holds the images (config's `storage`): the local disk by default, or S3. */
export type StorageSettings = { driver: 'local' } | ({ driver: 's3' } & S3StorageSettings);

/**
 * The store the settings name. `uploads.dir` is the local store's directory;
 * `uploads.baseUrl` is where browsers fetch the files (the server's /uploads,
 * or the CDN in front of the bucket).
 */
export function createImageStorage(
  storage: StorageSettings,
  uploads: { dir: string; baseUrl: string },
): ImageStorage {
  return storage.driver === 's3'
    ? createS3ImageStorage(storage, uploads.baseUrl)
    : createLocalImageStorage(uploads.dir, uploads.baseUrl);
}
