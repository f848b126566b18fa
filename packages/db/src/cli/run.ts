import { type Config, ConfigError, loadConfig } from '@buybuy/config';

import { isDatabaseUnreachable, unreachableDatabaseHelp } from '../errors';

/**
 * Runs an operator command with the validated config, turning the two
 * failures an operator can fix (bad environment, no database) into one
 * readable paragraph instead of a stack trace.
 */
export async function runCommand(main: (config: Config) => Promise<void>): Promise<void> {
  let url = process.env.DATABASE_URL ?? '';
  try {
    const config = loadConfig();
    url = config.database.url;
    await main(config);
    process.exit(0);
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    else if (isDatabaseUnreachable(error)) console.error(unreachableDatabaseHelp(url));
    else console.error(error);
    process.exit(1);
  }
}
