/**
 * The introduction at the top of /docs: the OpenAPI document's
 * `info.description` (Markdown). What a newcomer needs before the first call;
 * the numbers are the configuration's defaults (a test keeps them equal).
 */
export const API_INTRODUCTION = `
BuyBuy is an open-source e-commerce backend: accounts and sign-in, a category
tree and a product catalog, carts, checkout and orders. This reference
describes its REST face under \`/v1\`. The same procedures are served to
TypeScript apps over tRPC at \`/trpc\`, with the same rules.

## Authentication

Sign in with \`POST /v1/auth/login\` (or \`POST /v1/auth/register\`) and send the
\`access_token\` it returns as \`Authorization: Bearer <token>\`; when it expires
(401 \`TOKEN_EXPIRED\`, after about 15 minutes), \`POST /v1/auth/refresh\` with the
\`refresh_token\` gives a new pair.

A third party's system calls with an **API key** an admin created for it
(\`POST /v1/api-keys\`, or the admin panel's API keys screen): send it as
\`X-API-Key: bb_live_…\` or \`Authorization: Bearer bb_live_…\`. A key reaches
only the operations of its scopes (each operation lists the \`apiKey\` scheme
with the scope it needs; any other is 403 \`INSUFFICIENT_SCOPE\`), has its own
rate limit, and a wrong, expired or revoked key is 401 (\`INVALID_API_KEY\`,
\`API_KEY_EXPIRED\`, \`API_KEY_REVOKED\`).

## The envelope

Every \`/v1\` body, success or failure, has the same shape:

\`\`\`json
{ "success": true, "data": {}, "message": "OK", "errors": [], "meta": {} }
\`\`\`

Lists put the array in \`data\` and the page in \`meta.pagination\`
(\`page\`, \`per_page\`, \`total\`, \`total_pages\`). A failure has \`success: false\`,
\`data: null\` and \`errors: [{ field, code, message }]\`, where \`code\` is a stable
UPPER_SNAKE machine code (\`VALIDATION\`, \`NOT_FOUND\`, \`RATE_LIMITED\`, ...)
and \`field\` the input path it is about (\`items.2.quantity\`), or \`null\`.

## Rate limits

Each caller has a budget per user when signed in, or per IP address, shared
by every server: by default 300 calls a minute, and 10 a minute for sign-in,
registration and refresh. A call over budget gets 429 \`RATE_LIMITED\` with a
\`Retry-After\` header (seconds). \`/health\` and \`/ready\` are not limited.

## Clients

- **TypeScript**: the typed SDK \`@buybuy/client\` (\`packages/client\` in the
  repository): every procedure with its input and output types, token
  refresh, cart and idempotency headers, and TanStack Query keys.
- **REST types**: \`@buybuy/client/rest\`, an [openapi-fetch](https://openapi-ts.dev/openapi-fetch/)
  client typed from this document.
- **Anything else**: generate a client from [\`/openapi.json\`](/openapi.json).
`.trim();
