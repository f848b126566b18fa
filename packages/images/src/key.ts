import { createHash } from 'node:crypto';

/** A stored image's key: a hash of its source bytes, so a stored file never changes and caches for a year. */
export const contentKey = (data: Buffer) =>
  createHash('sha256').update(data).digest('hex').slice(0, 32);
