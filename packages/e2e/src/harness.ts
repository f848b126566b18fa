import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type Config, loadConfig } from '@buybuy/config';
import { users } from '@buybuy/db';
import { createTestDatabase, freePort, type TestDatabase } from '@buybuy/db/testing';
import { createMailer } from '@buybuy/email';
import { createImageStorage } from '@buybuy/images';
import { createEmbeddedQueue, jobDefinitions, type JobQueue } from '@buybuy/jobs';
import { buildApp } from '@buybuy/server';
import proxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import { eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { type ParsedMail, simpleParser } from 'mailparser';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

import { chromiumPath, missingChromium } from './chromium';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOTS_DIR = join(ROOT, 'artifacts', 'screenshots');

export interface Account {
  email: string;
  username: string;
  password: string;
}

export interface Stack {
  /** The API server itself (REST at /v1, tRPC at /trpc). */
  apiUrl: string;
  /** The built admin app, on its own origin, proxying the API paths. */
  adminUrl: string;
  /** The built storefront, on its own origin, proxying the API paths. */
  storefrontUrl: string;
  db: TestDatabase;
  config: Config;
  /** Registers an account through the API and makes it an admin. */
  createAdmin: (account: Account) => Promise<void>;
  /** The emails the server has sent to `address` so far, oldest first (read from its MAIL_DIR). */
  emailsTo: (address: string) => Promise<ParsedMail[]>;
  /** The server's job queue (a test enqueues a job that fails, to see it in the admin panel). */
  jobs: () => JobQueue;
  close: () => Promise<void>;
}

/**
 * Serves one built app (static files, SPA fallback to index.html) and
 * proxies the API paths to the server, as nginx does in production: the
 * app talks to its own origin.
 */
async function serveApp(
  name: 'admin' | 'storefront',
  apiUrl: string,
  port = 0,
): Promise<FastifyInstance> {
  const dist = join(ROOT, 'apps', name, 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(
      `apps/${name}/dist is missing: run \`pnpm --filter @buybuy/${name} build\` (turbo does it before the e2e tests)`,
    );
  }
  const index = await readFile(join(dist, 'index.html'));
  const app = Fastify({ logger: false });
  for (const prefix of ['/v1', '/trpc', '/uploads']) {
    await app.register(proxy, { upstream: apiUrl, prefix, rewritePrefix: prefix });
  }
  await app.register(fastifyStatic, { root: dist, index: 'index.html' });
  app.setNotFoundHandler((_request, reply) => reply.type('text/html').send(index));
  await app.listen({ host: '127.0.0.1', port });
  return app;
}

/** Every `.eml` file under `dir` sent to `address`, parsed, oldest first (the names start with the time). */
async function readEmails(dir: string, address: string): Promise<ParsedMail[]> {
  const files = existsSync(dir) ? (await readdir(dir)).filter((name) => name.endsWith('.eml')) : [];
  const parsed = await Promise.all(
    files.sort().map(async (name) => simpleParser(await readFile(join(dir, name)))),
  );
  const wanted = address.toLowerCase();
  return parsed.filter((mail) =>
    [mail.to ?? []].flat().some((to) => to.value.some((box) => box.address === wanted)),
  );
}

/**
 * A real API server on a fresh database, and both built apps in front of it.
 * Jobs run in the server's process as `pnpm dev` runs them without Redis, and
 * its emails are `.eml` files in a folder of the stack's own (`emailsTo`),
 * with links to the stack's storefront.
 */
export async function startStack(): Promise<Stack> {
  const db = await createTestDatabase();
  const uploadsDir = await mkdtemp(join(tmpdir(), 'buybuy-e2e-uploads-'));
  const mailDir = await mkdtemp(join(tmpdir(), 'buybuy-e2e-mail-'));
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const storefrontPort = await freePort();
  const storefrontUrl = `http://127.0.0.1:${storefrontPort}`;
  const base = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4', LOG_LEVEL: 'silent' });
  const config: Config = {
    ...base,
    port,
    publicUrl: apiUrl,
    storefrontUrl,
    database: { ...base.database, url: db.url },
    uploads: { ...base.uploads, dir: uploadsDir, baseUrl: `${apiUrl}/uploads` },
    email: { ...base.email, smtpUrl: undefined, dir: mailDir },
    // One browser makes many calls from one IP: roomy, but still on.
    rateLimit: { ...base.rateLimit, max: 100_000, authMax: 10_000 },
  };
  const storage = createImageStorage(config.storage, config.uploads);
  let queue: JobQueue | undefined;
  const api = await buildApp({
    config,
    db: db.db,
    logger: false,
    storage,
    jobs: (log) =>
      (queue = createEmbeddedQueue({
        definitions: jobDefinitions,
        deps: { db: db.db, log, images: storage, mailer: createMailer(config.email) },
        // Quick retries: a job that fails every try is failed within a second, not half a minute.
        retry: { attempts: 2, backoffMs: 100 },
      })),
  });
  await api.listen({ host: '127.0.0.1', port });
  const admin = await serveApp('admin', apiUrl);
  const storefront = await serveApp('storefront', apiUrl, storefrontPort);
  const address = (app: FastifyInstance) => {
    const { port: appPort } = app.server.address() as { port: number };
    return `http://127.0.0.1:${appPort}`;
  };

  return {
    apiUrl,
    adminUrl: address(admin),
    storefrontUrl,
    db,
    config,
    emailsTo: (emailAddress) => readEmails(mailDir, emailAddress),
    jobs: () => queue!,
    async createAdmin(account) {
      const res = await fetch(`${apiUrl}/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(account),
      });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
      await db.db
        .update(users)
        .set({ is_staff: true })
        .where(eq(users.email, account.email.toLowerCase()));
    },
    async close() {
      await Promise.all([admin.close(), storefront.close()]);
      await api.close();
      await db.drop();
      await rm(uploadsDir, { recursive: true, force: true });
      await rm(mailDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, driven by playwright-core (never a downloaded browser). */
export async function launchBrowser(): Promise<Browser> {
  const missing = missingChromium();
  if (missing) throw new Error(missing);
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A desktop page (1280×900, en-US) in a context of its own, ten seconds per
 * step; the script errors it throws are pushed to `pageErrors`, which a test
 * checks last.
 */
export async function openPage(
  browser: Browser,
  pageErrors: string[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page };
}

/** Signs in on the admin panel's sign-in page and waits for the dashboard. */
export async function signInToAdmin(page: Page, adminUrl: string, account: Account) {
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  await page.goto(adminUrl);
  await heading('Sign in to BuyBuy admin').waitFor();
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading('Dashboard').waitFor();
}

/**
 * Writes artifacts/screenshots/<name>.png, for a person to look at after the
 * run: the whole page, or with `fullPage: false` only what the first screen shows.
 */
export async function screenshot(
  page: Page,
  name: string,
  { fullPage = true }: { fullPage?: boolean } = {},
): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * The page's favicon as a browser finds it: the `<link rel="icon">` address
 * and the status and type it is served with.
 */
export async function favicon(page: Page): Promise<{ href: string; status: number; type: string }> {
  const href = await page.locator('link[rel~="icon"]').getAttribute('href');
  if (!href) throw new Error('the page links no icon');
  const response = await fetch(new URL(href, page.url()));
  return {
    href,
    status: response.status,
    type: response.headers.get('content-type') ?? '',
  };
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core');

/** The accessibility basics we hold every screen to, checked by axe-core in the page. */
const AXE_RULES = [
  'label',
  'select-name',
  'button-name',
  'input-button-name',
  'link-name',
  'image-alt',
  'page-has-heading-one',
  'heading-order',
  'empty-heading',
  'document-title',
  'html-has-lang',
  'aria-valid-attr',
  'aria-required-attr',
];

/**
 * The page's accessibility problems: fields without labels, unnamed buttons
 * and links, images without alt text, missing or skipped headings. Empty
 * when the screen passes.
 */
export async function checkAccessibility(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async (rules) => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{
            violations: { id: string; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'rule', values: rules } });
    return result.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  }, AXE_RULES);
  return violations;
}

/**
 * A REST call to the stack's API (set-up and checks beside the browser): the
 * envelope's `data`, or an error naming the call, its status and message.
 */
export async function callRest<T>(
  apiUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const response = await fetch(`${apiUrl}/v1${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = (await response.json()) as { data: T; message: string };
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${envelope.message}`);
  return envelope.data;
}
