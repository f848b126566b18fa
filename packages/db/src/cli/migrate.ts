import { migrateDatabase } from '../migrate';
import { runCommand } from './run';

await runCommand(async ({ database }) => {
  await migrateDatabase(database.url);
  console.warn('Database is up to date.');
});
