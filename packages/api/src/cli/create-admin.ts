import { parseArgs } from 'node:util';

import { createAuth } from '@buybuy/auth';
import { ConfigError, loadConfig } from '@buybuy/config';
import {
  createDatabase,
  duplicateKeyIndex,
  isDatabaseUnreachable,
  unreachableDatabaseHelp,
} from '@buybuy/db';

import { createAdminInput, createOrPromoteAdmin } from './admin';

const USAGE = 'Usage: pnpm admin:create --email E --username U --password P';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
  },
});
const parsed = createAdminInput.safeParse(values);
if (!parsed.success) {
  console.error(USAGE);
  for (const issue of parsed.error.issues)
    console.error(`  --${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}

let url = '';
try {
  const config = loadConfig();
  url = config.database.url;
  const handle = createDatabase(url, { poolSize: 1 });
  try {
    const auth = createAuth({ db: handle.db, ...config.auth });
    const result = await createOrPromoteAdmin(handle.db, auth, parsed.data);
    console.warn(
      result.promoted
        ? `Promoted ${parsed.data.email} (user ${result.id}) to admin.`
        : `Created admin ${parsed.data.email} (user ${result.id}).`,
    );
  } finally {
    await handle.close();
  }
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else if (isDatabaseUnreachable(error)) console.error(unreachableDatabaseHelp(url));
  else if (duplicateKeyIndex(error) === 'users_username_unique')
    console.error(`The username ${parsed.data.username} is taken.`);
  else if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE')
    console.error('The database has no tables yet: run `pnpm db:migrate` first.');
  else console.error(error);
  process.exit(1);
}
