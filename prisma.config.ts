// Prisma CLI configuration (generate, migrate diff, migrate status, db execute).
// The native schema engine cannot be downloaded here, so the CLI runs its JS (Wasm)
// engine through a driver adapter chosen from DATABASE_URL. The app applies migrations
// itself at start (src/db/migrate.ts), for both providers.

import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL ?? 'file:./data/crm.db';
const isPostgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: isPostgres ? 'prisma/postgres/schema.prisma' : 'prisma/schema.prisma',
  async adapter() {
    return isPostgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url });
  },
});
