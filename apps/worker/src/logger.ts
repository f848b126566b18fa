import type { Config } from '@buybuy/config';
import { pino } from 'pino';
import pretty from 'pino-pretty';

/** JSON lines in production (as the server logs), one readable line each in development. */
export function createLogger(config: Pick<Config, 'env' | 'logLevel'>) {
  const options = { level: config.logLevel, base: { service: 'worker' } };
  if (config.env !== 'development') return pino(options);
  return pino(
    options,
    pretty({
      translateTime: 'HH:MM:ss',
      ignore: 'pid,hostname,service',
      singleLine: true,
      sync: true,
    }),
  );
}
