const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ECONNRESET',
]);

/** True when an error means "no database answers" rather than "the query was wrong". */
export function isDatabaseUnreachable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (current instanceof AggregateError && current.errors.some(isDatabaseUnreachable))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** MySQL's duplicate-key error, with the name of the unique index that refused the row. */
export function duplicateKeyIndex(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; sqlMessage?: unknown };
    if (e.code === 'ER_DUP_ENTRY' && typeof e.sqlMessage === 'string') {
      return /for key '(?:[^.']*\.)?([^']+)'/.exec(e.sqlMessage)?.[1];
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function unreachableDatabaseHelp(url: string): string {
  const safe = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return [
    `No database answers at ${safe}.`,
    'BuyBuy needs MySQL 8 or MariaDB 10.11+. Start one (for example `sudo systemctl start mariadb`,',
    'or `docker compose -f infra/compose.yaml up -d` for MySQL and Redis in containers),',
    'or point DATABASE_URL at a running server, then run the command again.',
  ].join(' ');
}
