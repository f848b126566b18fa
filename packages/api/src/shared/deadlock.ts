import { sqlErrorCode } from '@buybuy/db';

/**
 * Runs a transaction (or a single statement) again when InnoDB chose it as a
 * deadlock victim: it was rolled back whole, so running it again is safe.
 * Selling code takes locks in one order (the cart row first, products by id),
 * which avoids most deadlocks; what remains (concurrent upserts on a unique
 * key, gap locks, foreign-key checks) is retried here.
 */
export async function retryDeadlocks<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || sqlErrorCode(error) !== 'ER_LOCK_DEADLOCK') throw error;
    }
  }
}
