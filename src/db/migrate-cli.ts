// `npm run db:migrate`: applies pending migrations to DATABASE_URL (from the environment or .env;
// default file:./data/crm.db).
import { loadDotEnvOrExit } from '../load-dot-env';
import { migrateDatabase } from './migrate';

loadDotEnvOrExit(1);
const url = process.env.DATABASE_URL || 'file:./data/crm.db';
migrateDatabase(url).then(
  (r) => {
    console.log(
      r.applied.length
        ? `Applied migrations: ${r.applied.join(', ')}`
        : `Database is up to date (${r.alreadyApplied} migrations).`,
    );
  },
  (err: Error) => {
    console.error(`Migration failed: ${err.message}`);
    process.exit(1);
  },
);
