import { type Database, replicaReader } from '@buybuy/db';

/** Who is reading the catalog: admins see inactive rows and rows under inactive categories. */
export interface Visibility {
  includeInactive: boolean;
}

/**
 * Public reads may go to a read replica; admin reads (inactive rows included)
 * stay on the primary, so the admin panel sees its own writes at once. Writes
 * wait for the replicas (`waitForReplicas`) before they return, so a public
 * read that starts after a write returned sees it too.
 */
export const readerFor = (db: Database, visibility: Visibility) =>
  visibility.includeInactive ? db : replicaReader(db);
