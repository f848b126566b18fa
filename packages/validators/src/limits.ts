/**
 * The numbers behind the account rules, apart from zod: a form that only
 * shows them in a hint ("At least 8 characters") bundles no schema.
 */
export const MIN_USERNAME_LENGTH = 3;
export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt reads 72 bytes: longer passwords are refused rather than silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

/** Bytes of the password in UTF-8, as bcrypt counts them (works in browsers and Node alike). */
export const passwordByteLength = (password: string) => new TextEncoder().encode(password).length;
