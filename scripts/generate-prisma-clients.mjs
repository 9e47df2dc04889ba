// `npm run generate`: writes the PostgreSQL schema from the SQLite one, then generates
// both Prisma clients (src/generated/sqlite, src/generated/postgres). The datasource URL
// is only read, not used, by `prisma generate`; a placeholder of the right kind is passed
// so generation works on a machine with no DATABASE_URL set.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import schemaTools from './postgres-schema.cjs';

const { writePostgresSchema } = schemaTools;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
writePostgresSchema();
const prisma = join(root, 'node_modules/.bin/prisma');
const targets = [
  ['prisma/schema.prisma', 'file:./data/crm.db'],
  ['prisma/postgres/schema.prisma', 'postgresql://localhost:5432/placeholder'],
];
// --quiet (used by `npm run doctor`): Prisma's chatter is shown only when generation fails.
const quiet = process.argv.includes('--quiet');
for (const [schema, url] of targets) {
  try {
    execFileSync(prisma, ['generate', '--schema', schema], {
      cwd: root,
      stdio: ['ignore', 'ignore', quiet ? 'pipe' : 'inherit'],
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
  } catch (err) {
    if (quiet && err.stderr) process.stderr.write(err.stderr);
    throw err;
  }
}
if (!quiet) console.log('Prisma clients generated (sqlite, postgres).');
