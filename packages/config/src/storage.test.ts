import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './index';

const s3 = {
  STORAGE_DRIVER: 's3',
  S3_BUCKET: 'shop-images',
  S3_REGION: 'eu-west-1',
  UPLOADS_BASE_URL: 'https://cdn.example.com/images/',
};

describe('STORAGE_DRIVER', () => {
  it('is the local disk unless told otherwise', () => {
    expect(loadConfig({}).storage).toEqual({ driver: 'local' });
  });

  it('s3 reads the bucket, the CDN address and the default credential chain', () => {
    const config = loadConfig(s3);
    expect(config.storage).toEqual({
      driver: 's3',
      bucket: 'shop-images',
      region: 'eu-west-1',
      forcePathStyle: false,
    });
    expect(config.uploads.baseUrl).toBe('https://cdn.example.com/images');
  });

  it('s3 takes an S3-compatible endpoint, path-style addressing and explicit keys', () => {
    const config = loadConfig({
      ...s3,
      S3_ENDPOINT: 'http://minio:9000',
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'access',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(config.storage).toMatchObject({
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'access', secretAccessKey: 'secret' },
    });
  });

  it('s3 without its settings refuses to start, naming each missing one', () => {
    const error = (() => {
      try {
        loadConfig({
          NODE_ENV: 'production',
          JWT_SECRET: 'a-real-secret-that-is-long-enough-0123456789',
          DATABASE_URL: 'mysql://app:pw@db:3306/buybuy',
          SMTP_URL: 'smtp://smtp.example.com',
          STORAGE_DRIVER: 's3',
          S3_ACCESS_KEY_ID: 'only',
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('S3_BUCKET: required when STORAGE_DRIVER=s3');
    expect(message).toContain('S3_REGION: required when STORAGE_DRIVER=s3');
    expect(message).toContain('UPLOADS_BASE_URL: required when STORAGE_DRIVER=s3');
    expect(message).toContain('set both, or neither');
  });

  it('refuses an unknown driver and a bad bucket name', () => {
    expect(() => loadConfig({ STORAGE_DRIVER: 'gcs' })).toThrow(/STORAGE_DRIVER/);
    expect(() => loadConfig({ ...s3, S3_BUCKET: 'Bad_Bucket' })).toThrow(
      /S3_BUCKET: expected an S3 bucket name/,
    );
  });
});
