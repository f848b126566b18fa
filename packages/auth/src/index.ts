export {
  type Auth,
  type AuthenticatedUser,
  type AuthOptions,
  createAuth,
  type Tokens,
} from './auth';
export { AuthError, type AuthErrorCode } from './errors';
export { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, passwordByteLength } from './password';
export { hashRefreshToken, REFRESH_GRACE_SECONDS, revokeUserSessions } from './sessions';
