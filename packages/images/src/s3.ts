import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';

import { type ImageStorage, keyUnder } from './storage';

export interface S3StorageSettings {
  bucket: string;
  region: string;
  /** An S3-compatible service's address (MinIO, R2, ...); unset: AWS. */
  endpoint?: string;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>` (MinIO, s3rver). */
  forcePathStyle?: boolean;
  /** Unset: the AWS SDK's default chain (environment, profile, instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Keys are content hashes: a stored object never changes, so every cache may keep it a year. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Reads of one object whose body the connection cut off mid-way, before giving up. */
const GET_ATTEMPTS = 3;

/** A response body that ended early: the socket closed or reset under it. */
function isCutOff(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return message === 'aborted' || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

/**
 * Images in an S3-compatible bucket, served to browsers by `baseUrl` (a CDN
 * in front of the bucket, or the bucket's public address): the server never
 * serves these files itself.
 */
export function createS3ImageStorage(
  settings: S3StorageSettings,
  baseUrl: string,
  client = s3Client(settings),
): ImageStorage {
  const base = baseUrl.replace(/\/$/, '');
  const Bucket = settings.bucket;
  return {
    async put(key, data, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: data,
          ContentType: contentType,
          CacheControl: IMMUTABLE_CACHE_CONTROL,
        }),
      );
    },
    async delete(keys) {
      for (let start = 0; start < keys.length; start += DELETE_BATCH) {
        const batch = keys.slice(start, start + DELETE_BATCH);
        const { Errors } = await client.send(
          new DeleteObjectsCommand({
            Bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        // A missing key is a success in S3; anything listed here really failed.
        if (Errors && Errors.length > 0) {
          const first = Errors[0]!;
          throw new Error(
            `S3 refused to delete ${Errors.length} object(s), e.g. ${first.Key}: ${first.Code} ${first.Message}`,
          );
        }
      }
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (error) {
        if (error instanceof NotFound) return false;
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
          return false;
        throw error;
      }
    },
    async get(key) {
      for (let attempt = 1; ; attempt++) {
        try {
          const { Body } = await client.send(new GetObjectCommand({ Bucket, Key: key }));
          return Body ? Buffer.from(await Body.transformToByteArray()) : undefined;
        } catch (error) {
          if (error instanceof NoSuchKey) return undefined;
          if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
            return undefined;
          // The SDK retries a request that fails, not a body cut off after its headers.
          if (attempt < GET_ATTEMPTS && isCutOff(error)) continue;
          throw error;
        }
      }
    },
    urlFor: (key) => `${base}/${key}`,
    keyOf: keyUnder(base),
  };
}

export function s3Client(settings: S3StorageSettings): S3Client {
  return new S3Client({
    region: settings.region,
    // S3-compatible services often lag behind the SDK's default checksums
    // (CRC32 on every request since 3.729): send them only where S3 requires one.
    ...(settings.endpoint
      ? {
          endpoint: settings.endpoint,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
    forcePathStyle: settings.forcePathStyle ?? false,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
}
