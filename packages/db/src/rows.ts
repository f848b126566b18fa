import type { RowDataPacket } from 'mysql2/promise';

/**
 * The row type of a raw mysql2 query: `pool.query<Rows<{ n: number }>>(sql)`
 * types what the SQL selects, without casting the result.
 */
export type Rows<T> = Array<T & RowDataPacket>;
