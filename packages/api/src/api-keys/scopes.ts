/**
 * What an API key may reach. Every procedure needs exactly one scope, derived
 * from where it sits in the router (its domain) and what it does (a query
 * reads, a mutation writes), so a new procedure is scoped the moment it
 * exists and no list can forget one. Only the GRANTABLE ones can be given to
 * a key: signing in, accounts, users, API keys themselves, the job queue
 * and carts (a shopper's own) stay with people.
 */
export const GRANTABLE_SCOPES = [
  'catalog:read',
  'catalog:write',
  'orders:read',
  'orders:write',
  'dashboard:read',
] as const;
export type GrantableScope = (typeof GRANTABLE_SCOPES)[number];

/** The domain (the router's first path segment) each scope's resource covers. */
const RESOURCE_OF_DOMAIN: Record<string, string> = {
  categories: 'catalog',
  products: 'catalog',
  shop: 'catalog',
  shippingMethods: 'catalog',
  orders: 'orders',
  dashboard: 'dashboard',
  cart: 'cart',
  auth: 'account',
  users: 'users',
  apiKeys: 'api_keys',
  jobs: 'jobs',
};

/** Procedures whose resource is not their domain's. */
const EXCEPTIONS: Record<string, string> = {
  // Checkout turns a shopper's cart into an order: a cart write, like the cart's own.
  'orders.place': 'cart:write',
  // A signed-in user's own account, not the user admin.
  'users.profile': 'account:read',
  'users.updateProfile': 'account:write',
  'users.changePassword': 'account:write',
  'users.requestEmailChange': 'account:write',
};

/** The one scope a procedure requires; throws on a domain this table does not know. */
export function scopeOf(path: string, type: 'query' | 'mutation' | 'subscription'): string {
  const exception = EXCEPTIONS[path];
  if (exception) return exception;
  const domain = path.split('.', 1)[0]!;
  const resource = RESOURCE_OF_DOMAIN[domain];
  if (!resource)
    throw new Error(`${path}: add its domain to RESOURCE_OF_DOMAIN (api-keys/scopes.ts)`);
  return `${resource}:${type === 'query' ? 'read' : 'write'}`;
}

export const isGrantable = (scope: string): scope is GrantableScope =>
  (GRANTABLE_SCOPES as readonly string[]).includes(scope);
