import { redactUrl } from '@buybuy/config';

/**
 * Codes that mean the server is not there (or not there for us right now),
 * as opposed to a statement it refused: the socket's (refused, reset, timed
 * out, unresolvable), mysql2's (the connection dropped, a statement's
 * inactivity timeout) and the server's own while it stops or is full.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
]);

/** The first error in `error`'s cause chain (drizzle wraps mysql2's) that `test` accepts. */
function findCause(error: unknown, test: (cause: unknown) => boolean): unknown {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const codeOf = (error: unknown) => (error as { code?: unknown }).code;

/** True when an error means "no database answers" rather than "the query was wrong". */
export function isDatabaseUnreachable(error: unknown): boolean {
  return (
    findCause(error, (cause) => {
      const code = codeOf(cause);
      if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
      // mysql2's "Can't add new command when connection is in closed state":
      // a statement (a transaction's ROLLBACK, say) on a connection that died.
      if (code === undefined && (cause as { fatal?: unknown }).fatal === true) return true;
      return cause instanceof AggregateError && cause.errors.some(isDatabaseUnreachable);
    }) !== undefined
  );
}

/** The MySQL error code (ER_...) of a failed statement. */
export function sqlErrorCode(error: unknown): string | undefined {
  const found = findCause(error, (cause) => {
    const code = codeOf(cause);
    return typeof code === 'string' && code.startsWith('ER_');
  });
  return found === undefined ? undefined : (codeOf(found) as string);
}

/** MySQL's duplicate-key error, with the name of the unique index that refused the row. */
export function duplicateKeyIndex(error: unknown): string | undefined {
  const found = findCause(
    error,
    (cause) =>
      codeOf(cause) === 'ER_DUP_ENTRY' &&
      typeof (cause as { sqlMessage?: unknown }).sqlMessage === 'string',
  ) as { sqlMessage: string } | undefined;
  return found && /for key '(?:[^.']*\.)?([^']+)'/.exec(found.sqlMessage)?.[1];
}

/** A child row names a parent that does not exist (insert/update). */
export const isMissingReference = (error: unknown) =>
  sqlErrorCode(error) === 'ER_NO_REFERENCED_ROW_2';

/** A parent row is still referenced by a child (delete/update of the key). */
export const isStillReferenced = (error: unknown) =>
  sqlErrorCode(error) === 'ER_ROW_IS_REFERENCED_2';

export function unreachableDatabaseHelp(url: string): string {
  return [
    `No database answers at ${redactUrl(url)}.`,
    'BuyBuy needs MySQL 8 or MariaDB 10.11+. Start one (for example `sudo systemctl start mariadb`,',
    'or `docker compose -f infra/compose.yaml up -d` for MySQL and Redis in containers),',
    'or point DATABASE_URL at a running server, then run the command again.',
  ].join(' ');
}
