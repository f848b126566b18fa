import { migrateDatabase } from '../migrate';
import { runCommand } from './run';

await runCommand(async (url) => {
  await migrateDatabase(url);
  console.warn('Database is up to date.');
});
