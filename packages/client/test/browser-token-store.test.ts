import { describe, expect, it } from 'vitest';

import { createBrowserTokenStore, type StorageLike, type Tokens } from '../src';

const pair = (n: number): Tokens => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  token_type: 'Bearer',
  expires_in: 900,
});

function memoryStorage(): StorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe('createBrowserTokenStore', () => {
  it('persists the pair, so a new store (a reload) reads it back', () => {
    const storage = memoryStorage();
    createBrowserTokenStore('app.tokens', storage).onTokens(pair(1));
    const reloaded = createBrowserTokenStore('app.tokens', storage);
    expect(reloaded.getAccessToken()).toBe('access-1');
    expect(reloaded.getRefreshToken()).toBe('refresh-1');
    reloaded.set(null);
    expect(storage.items.has('app.tokens')).toBe(false);
    expect(createBrowserTokenStore('app.tokens', storage).get()).toBeNull();
  });

  it('tells subscribers about every change until they unsubscribe', () => {
    const store = createBrowserTokenStore('app.tokens', memoryStorage());
    const seen: (string | null)[] = [];
    const unsubscribe = store.subscribe((tokens) => seen.push(tokens?.access_token ?? null));
    store.set(pair(1));
    store.set(null);
    unsubscribe();
    store.set(pair(2));
    expect(seen).toEqual(['access-1', null]);
  });

  it('keeps the session for the page when storage refuses writes (private mode)', () => {
    const refusing: StorageLike = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    const store = createBrowserTokenStore('app.tokens', refusing);
    store.set(pair(3));
    expect(store.getAccessToken()).toBe('access-3');
  });

  it('ignores a stored value that is not JSON instead of throwing', () => {
    const storage = memoryStorage();
    storage.items.set('app.tokens', '{not json');
    expect(createBrowserTokenStore('app.tokens', storage).get()).toBeNull();
  });

  it("keeps a guest's cart token beside the pair, through a reload and a sign-out", () => {
    const storage = memoryStorage();
    const store = createBrowserTokenStore('app.tokens', storage);
    store.onCartToken('cart-1');
    store.set(pair(1));
    store.set(null);
    expect(storage.items.get('app.tokens.cart')).toBe('cart-1');
    expect(createBrowserTokenStore('app.tokens', storage).getCartToken()).toBe('cart-1');
    store.onCartToken(null);
    expect(storage.items.has('app.tokens.cart')).toBe(false);
    expect(store.getCartToken()).toBeNull();
  });

  it('reads what another tab wrote or removed, rather than its own copy', () => {
    const storage = memoryStorage();
    const store = createBrowserTokenStore('app.tokens', storage);
    store.set(pair(1));
    store.onCartToken('cart-1');
    // The other tab signs out, and merges the guest cart.
    storage.items.delete('app.tokens');
    storage.items.delete('app.tokens.cart');
    expect(store.get()).toBeNull();
    expect(store.getCartToken()).toBeNull();
  });
});
