import { describe, expect, it } from 'vitest';

import { redactUrl } from './redact';

describe('redactUrl', () => {
  it('masks the password and keeps the user, host and database', () => {
    expect(redactUrl('mysql://shop:s3cr3t@db:3306/shop')).toBe('mysql://shop:***@db:3306/shop');
  });

  it('masks a password given without a user (Redis)', () => {
    expect(redactUrl('redis://:s3cr3t@cache:6379/0')).toBe('redis://:***@cache:6379/0');
  });

  it('leaves a URL without a password as it is', () => {
    expect(redactUrl('mysql://root@127.0.0.1:3306/buybuy')).toBe(
      'mysql://root@127.0.0.1:3306/buybuy',
    );
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
