// `pnpm dev` (after `pnpm db:setup`): the API, the storefront and the admin
// panel side by side, a banner once all three answer, Ctrl-C stops them all.
import { fileURLToPath } from 'node:url';

import { type Config, ConfigError, loadConfig } from '@buybuy/config';
import { DEMO_ACCOUNTS } from '@buybuy/db/seed';

import { banner } from './banner';
import { runDev } from './run';

/** The apps' dev ports (the server's development CORS defaults admit these two). */
const STOREFRONT_PORT = 5173;
const ADMIN_PORT = 5174;

const root = new URL('../../../', import.meta.url);
const folder = (path: string) => fileURLToPath(new URL(path, root));

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const api = `http://localhost:${config.port}`;
const storefront = `http://localhost:${STOREFRONT_PORT}`;
const admin = `http://localhost:${ADMIN_PORT}`;

process.exitCode = await runDev({
  processes: [
    {
      name: 'api',
      cwd: folder('apps/server'),
      command: 'tsx watch --clear-screen=false src/server.ts',
      readyUrl: `${api}/health`,
      prefixColor: 'cyan',
    },
    // With Redis, jobs go to the worker; without it, the API runs them itself.
    ...(config.redisUrl || config.redisClusterNodes.length > 0
      ? [
          {
            name: 'worker',
            cwd: folder('apps/worker'),
            command: 'tsx watch --clear-screen=false src/worker.ts',
            prefixColor: 'green',
          },
        ]
      : []),
    {
      name: 'storefront',
      cwd: folder('apps/storefront'),
      // A taken port is an error rather than another port the banner would not name.
      command: `vite --port ${STOREFRONT_PORT} --strictPort`,
      readyUrl: storefront,
      prefixColor: 'magenta',
    },
    {
      name: 'admin',
      cwd: folder('apps/admin'),
      command: `vite --port ${ADMIN_PORT} --strictPort`,
      readyUrl: admin,
      prefixColor: 'yellow',
    },
  ],
  banner: banner({
    api,
    storefront,
    admin,
    accounts: Object.values(DEMO_ACCOUNTS),
    // Without SMTP_URL, password reset and verification emails land in this folder.
    mailDir: config.email.smtpUrl ? undefined : config.email.dir,
  }),
});
