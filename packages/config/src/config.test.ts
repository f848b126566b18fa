import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './index';

describe('loadConfig', () => {
  it('gives working development defaults', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.database.url).toBe('mysql://root@127.0.0.1:3306/buybuy');
    expect(config.redisUrl).toBeUndefined();
    expect(config.rateLimit.enabled).toBe(true);
    expect(config.corsOrigins).toContain('http://localhost:5173');
  });

  it('refuses to start production with the development JWT secret', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'mysql://app:pw@db:3306/buybuy' }),
    ).toThrow(/JWT_SECRET is the development default/);
  });

  it('refuses production without an explicit DATABASE_URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /DATABASE_URL is not set/,
    );
  });

  it('starts production when every secret is set', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-real-secret-that-is-long-enough-0123456789',
      DATABASE_URL: 'mysql://app:pw@db:3306/buybuy',
      SMTP_URL: 'smtp://mailer:pw@smtp.example.com:587',
    });
    expect(config.corsOrigins).toEqual([]);
  });

  it('refuses production without SMTP_URL, which development may leave unset (emails to files)', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-real-secret-that-is-long-enough-0123456789',
      DATABASE_URL: 'mysql://app:pw@db:3306/buybuy',
    };
    expect(() => loadConfig(production)).toThrow(/SMTP_URL is not set/);
    expect(() => loadConfig({ ...production, SMTP_URL: '' })).toThrow(/SMTP_URL is not set/);
    expect(() => loadConfig({ ...production, SMTP_URL: 'http://smtp.example.com' })).toThrow(
      /SMTP_URL: expected smtp/,
    );
    expect(loadConfig({ ...production, SMTP_URL: 'smtps://smtp.example.com' }).email.smtpUrl).toBe(
      'smtps://smtp.example.com',
    );
  });

  it('writes emails under var/mail and links them to the storefront by default', () => {
    const development = loadConfig({});
    expect(development.email.smtpUrl).toBeUndefined();
    expect(development.email.dir).toMatch(/[/\\]var[/\\]mail$/);
    expect(development.email.from).toContain('no-reply@');
    expect(development.storefrontUrl).toBe('http://localhost:5173');
    expect(loadConfig({ STOREFRONT_URL: 'https://shop.example/' }).storefrontUrl).toBe(
      'https://shop.example',
    );
    const production = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-real-secret-that-is-long-enough-0123456789',
      DATABASE_URL: 'mysql://app:pw@db:3306/buybuy',
      SMTP_URL: 'smtp://smtp.example.com',
      PUBLIC_URL: 'https://shop.example',
    });
    expect(production.storefrontUrl).toBe('https://shop.example');
  });

  it('reads boolean flags literally, so "false" means false', () => {
    expect(loadConfig({ RATE_LIMIT_ENABLED: 'false' }).rateLimit.enabled).toBe(false);
    expect(loadConfig({ RATE_LIMIT_ENABLED: '0' }).rateLimit.enabled).toBe(false);
    expect(() => loadConfig({ RATE_LIMIT_ENABLED: 'no' })).toThrow(ConfigError);
  });

  it('sends searches to a search engine only when SEARCH_ENGINE_URL names one', () => {
    expect(loadConfig({}).database.searchEngineUrl).toBeUndefined();
    expect(loadConfig({ SEARCH_ENGINE_URL: '' }).database.searchEngineUrl).toBeUndefined();
    const url = 'sphinxql://search.internal:9306/products';
    expect(loadConfig({ SEARCH_ENGINE_URL: url }).database.searchEngineUrl).toBe(url);
    const sharded = `${url}?shards=2`;
    expect(loadConfig({ SEARCH_ENGINE_URL: sharded }).database.searchEngineUrl).toBe(sharded);
    for (const wrong of [
      'http://search:9308',
      'sphinxql://search:9306/prod-ucts',
      'search:9306',
      `${url}?shards=0`,
      `${url}?shards=17`,
      `${url}?replicas=2`,
    ])
      expect(() => loadConfig({ SEARCH_ENGINE_URL: wrong }), wrong).toThrow(
        /SEARCH_ENGINE_URL: expected sphinxql:\/\/host:port\/index/,
      );
  });

  it('lists every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'abc', JWT_SECRET: 'short' })).toThrow(
      /PORT[\s\S]*JWT_SECRET|JWT_SECRET[\s\S]*PORT/,
    );
  });

  it('takes one ISO 4217 shop currency, USD by default', () => {
    expect(loadConfig({}).shop).toEqual({ name: 'BuyBuy', currency: 'USD' });
    expect(loadConfig({ SHOP_CURRENCY: 'EUR' }).shop.currency).toBe('EUR');
    expect(() => loadConfig({ SHOP_CURRENCY: 'eur' })).toThrow(
      /SHOP_CURRENCY: expected an ISO 4217/,
    );
    expect(() => loadConfig({ SHOP_CURRENCY: 'XYZ' })).toThrow(ConfigError);
  });

  it('prefixes Redis keys per database unless REDIS_KEY_PREFIX says otherwise', () => {
    const on = (url: string) => loadConfig({ DATABASE_URL: url }).redisKeyPrefix;
    expect(on('mysql://root@127.0.0.1:3306/buybuy')).toMatch(/^buybuy:buybuy:[0-9a-f]{8}$/);
    expect(on('mysql://a:pw1@db:3306/shop')).toBe(on('mysql://b:pw2@db:3306/shop'));
    expect(on('mysql://root@db:3306/shop')).not.toBe(on('mysql://root@db:3306/staging'));
    expect(on('mysql://root@db1:3306/shop')).not.toBe(on('mysql://root@db2:3306/shop'));
    expect(loadConfig({ REDIS_KEY_PREFIX: 'shop-a' }).redisKeyPrefix).toBe('shop-a');
    expect(() => loadConfig({ REDIS_KEY_PREFIX: 'a b' })).toThrow(/REDIS_KEY_PREFIX/);
  });

  it('closes connections on timeouts a balancer in front expects', () => {
    expect(loadConfig({}).http).toEqual({
      keepAliveMs: 65_000,
      requestMs: 30_000,
      idleMs: 120_000,
    });
    expect(loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '75000' }).http.keepAliveMs).toBe(75_000);
  });

  it('runs background jobs four at a time, takes a dead worker’s job back after 30 s, keeps guest carts 30 days', () => {
    expect(loadConfig({}).jobs).toEqual({
      concurrency: 4,
      lockSeconds: 30,
      guestCartRetentionDays: 30,
    });
    expect(loadConfig({ GUEST_CART_RETENTION_DAYS: '90' }).jobs.guestCartRetentionDays).toBe(90);
    expect(() => loadConfig({ JOBS_CONCURRENCY: '0' })).toThrow(/JOBS_CONCURRENCY/);
    expect(() => loadConfig({ JOBS_LOCK_SECONDS: 'soon' })).toThrow(/JOBS_LOCK_SECONDS/);
  });

  it('keeps /metrics behind METRICS_TOKEN in production by default', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-real-secret-that-is-long-enough-0123456789',
      DATABASE_URL: 'mysql://app:pw@db:3306/buybuy',
      SMTP_URL: 'smtp://smtp.example.com',
    };
    expect(loadConfig({}).metrics).toMatchObject({ enabled: true, token: undefined });
    expect(loadConfig(production).metrics.enabled).toBe(false);
    const token = 'scrape-token-0123456789';
    expect(loadConfig({ ...production, METRICS_TOKEN: token }).metrics).toMatchObject({
      enabled: true,
      token,
    });
    expect(() => loadConfig({ ...production, METRICS_ENABLED: 'true' })).toThrow(/METRICS_TOKEN/);
  });
});
