/**
 * Every machine code the API answers with: its HTTP status and what it means.
 * This is the one list; `AppError.code` is typed by it, and docs/errors.md is
 * checked against it (packages/api/test/error-codes.test.ts).
 *
 * To add a code: add an entry to the section below where it belongs (each
 * section is one table of docs/errors.md; a new domain such as selling, with
 * OUT_OF_STOCK and friends, gets a section here and a table there), add the
 * row to the doc, then throw it with a helper of ./index.ts (`conflict`,
 * `invalidField`, ...) or `new AppError`.
 */

interface CodeInfo {
  /** The status it is answered with; two when it depends on the call (first is the usual one). */
  status: number | readonly number[];
  meaning: string;
}

/** Problems with the request itself, mostly raised by the HTTP layer or the schemas. */
const REQUEST = {
  VALIDATION: { status: 400, meaning: 'Input failed its schema or a rule on one field' },
  MALFORMED_JSON: { status: 400, meaning: 'The body is not valid JSON' },
  BAD_REQUEST: { status: 400, meaning: 'Any other request the HTTP layer cannot read' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The body is larger than the limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'A body type the operation does not take' },
  NOT_FOUND: { status: 404, meaning: 'Unknown route, or no resource with that id' },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'The path exists, but not with this method' },
  REQUEST_TIMEOUT: { status: 408, meaning: 'The request did not arrive in time' },
  URI_TOO_LONG: { status: 414, meaning: 'The URL is too long' },
  HEADERS_TOO_LARGE: { status: 431, meaning: 'The request headers are too large' },
  RATE_LIMITED: { status: 429, meaning: "The caller's budget is spent; see Retry-After" },
} as const satisfies Record<string, CodeInfo>;

/** `POST /v1/uploads/images` (apps/server/src/uploads/images.ts). */
const UPLOADS = {
  UNSUPPORTED_IMAGE_TYPE: { status: 415, meaning: 'The bytes are not a JPEG, PNG, WebP or AVIF' },
  INVALID_IMAGE: { status: 400, meaning: 'The image cannot be decoded' },
} as const satisfies Record<string, CodeInfo>;

/** Who is calling and what they may do; the token codes come from @buybuy/auth's AuthError. */
const AUTH = {
  UNAUTHORIZED: { status: 401, meaning: 'No access token on a call that needs one' },
  INVALID_TOKEN: { status: 401, meaning: 'A malformed, forged or unknown token' },
  TOKEN_EXPIRED: { status: 401, meaning: 'The access token has expired: refresh it' },
  SESSION_REVOKED: { status: 401, meaning: "The token's session has ended" },
  REFRESH_TOKEN_REUSED: { status: 401, meaning: 'A rotated refresh token came back' },
  INVALID_CREDENTIALS: { status: 401, meaning: 'Wrong email or password' },
  ACCOUNT_DISABLED: { status: [403, 401], meaning: 'The user is deactivated (403 at login)' },
  FORBIDDEN: { status: 403, meaning: 'Signed in, but not allowed' },
} as const satisfies Record<string, CodeInfo>;

/** Calls made with an API key (api-keys/): the key itself, then what it may reach. */
const API_KEYS = {
  INVALID_API_KEY: { status: 401, meaning: 'A malformed or unknown API key, or a key sent twice' },
  API_KEY_EXPIRED: { status: 401, meaning: 'The API key is past its expiry' },
  API_KEY_REVOKED: {
    status: 401,
    meaning: 'The API key was revoked, or its creator is no admin now',
  },
  INSUFFICIENT_SCOPE: { status: 403, meaning: "The operation is outside the API key's scopes" },
} as const satisfies Record<string, CodeInfo>;

/** Conflicts with stored data and domain rules (add new domains' codes in a section like this). */
const DOMAIN = {
  EMAIL_TAKEN: { status: 409, meaning: 'The email is already registered' },
  USERNAME_TAKEN: { status: 409, meaning: 'The username is taken' },
  SLUG_TAKEN: { status: 409, meaning: 'Another category uses this slug' },
  CATEGORY_NOT_EMPTY: { status: 409, meaning: 'The category still has children or products' },
  PRODUCT_IN_USE: { status: 409, meaning: 'Other records still reference the product' },
  CONFLICT: { status: 409, meaning: 'Any other conflict with existing data' },
  CATEGORY_CYCLE: { status: 400, meaning: 'The parent would make a category its own ancestor' },
  PARENT_NOT_FOUND: { status: 400, meaning: 'parent_id names no category' },
  CATEGORY_NOT_FOUND: { status: 400, meaning: "A product's category_id names no category" },
  MULTIPLE_PRIMARY_IMAGES: { status: 400, meaning: 'More than one primary image' },
} as const satisfies Record<string, CodeInfo>;

/** An admin's changes to users' access (users/service.ts). */
const USERS = {
  CANNOT_CHANGE_OWN_ACCESS: {
    status: 409,
    meaning: 'An admin cannot deactivate themselves or remove their own admin role',
  },
  LAST_ADMIN: {
    status: 409,
    meaning: 'The change would leave the shop without an active admin',
  },
} as const satisfies Record<string, CodeInfo>;

/** A person's own account: the emailed links and the checks on changing it (auth/, users/). */
const ACCOUNT = {
  LINK_INVALID: {
    status: 400,
    meaning: 'An emailed link that is unknown, already used, or replaced by a newer one',
  },
  LINK_EXPIRED: { status: 400, meaning: 'An emailed link past its expiry: ask for a new one' },
  WRONG_PASSWORD: { status: 400, meaning: 'The current password given with a change is wrong' },
} as const satisfies Record<string, CodeInfo>;

/** Carts, checkout and the order lifecycle (cart/, orders/). */
const SELLING = {
  OUT_OF_STOCK: { status: 409, meaning: 'A quantity is more than the product has in stock' },
  PRODUCT_UNAVAILABLE: {
    status: 409,
    meaning: 'The product is inactive, deleted or in a hidden category',
  },
  CART_EMPTY: { status: 409, meaning: 'Checkout with an empty cart' },
  INVALID_TRANSITION: { status: 409, meaning: "The order's status does not allow this action" },
  SHIPPING_METHOD_NOT_FOUND: { status: 400, meaning: 'No active shipping method with that id' },
} as const satisfies Record<string, CodeInfo>;

/** `Idempotency-Key` on writes (idempotency/middleware.ts). */
const IDEMPOTENCY = {
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    meaning: 'The key was already used with a different request body',
  },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    status: 409,
    meaning: 'A request with this key is still running',
  },
} as const satisfies Record<string, CodeInfo>;

/** Failures on our side. */
const SERVER = {
  SERVICE_UNAVAILABLE: { status: 503, meaning: 'The database is unreachable' },
  INTERNAL: { status: 500, meaning: 'Anything unexpected (details only in the log)' },
} as const satisfies Record<string, CodeInfo>;

export const ERROR_CODES = {
  ...REQUEST,
  ...UPLOADS,
  ...AUTH,
  ...API_KEYS,
  ...DOMAIN,
  ...USERS,
  ...ACCOUNT,
  ...SELLING,
  ...IDEMPOTENCY,
  ...SERVER,
};

export type ErrorCode = keyof typeof ERROR_CODES;

type StatusesOf<C extends ErrorCode> =
  (typeof ERROR_CODES)[C]['status'] extends readonly (infer S)[]
    ? S
    : (typeof ERROR_CODES)[C]['status'];

/** The codes answered with status `S` (so a 409 helper cannot be given a 401 code). */
export type CodeWithStatus<S extends number> = {
  [C in ErrorCode]: S extends StatusesOf<C> ? C : never;
}[ErrorCode];

/** The statuses a code is answered with, the usual one first. */
export const statusesOf = (code: ErrorCode): readonly number[] => {
  const { status } = ERROR_CODES[code] as CodeInfo;
  return typeof status === 'number' ? [status] : status;
};
