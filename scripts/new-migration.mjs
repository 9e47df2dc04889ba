// `npm run db:migration -- <name>`: writes a new migration for both providers from the
// change between the schema at the last migration (prisma/migrations/schema.last.prisma)
// and prisma/schema.prisma. `prisma migrate dev` needs a shadow database and the native
// engine, neither of which this setup has; `migrate diff --script` works offline.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import schemaTools from './postgres-schema.cjs';

const { toPostgresSchema, writePostgresSchema } = schemaTools;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_');
if (!name) {
  console.error('usage: npm run db:migration -- <name>');
  process.exit(2);
}
writePostgresSchema();
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const prisma = join(root, 'node_modules/.bin/prisma');
const snapshot = join(root, 'prisma/migrations/schema.last.prisma');
const pgSnapshot = join(root, 'prisma/postgres/migrations/schema.last.prisma');
if (existsSync(snapshot)) writeFileSync(pgSnapshot, toPostgresSchema(readFileSync(snapshot, 'utf8')));

const providers = [
  {
    dir: 'prisma/migrations',
    schema: 'prisma/schema.prisma',
    last: snapshot,
    url: `file:${join(tmpdir(), 'crm-migration-diff.db')}`,
  },
  {
    dir: 'prisma/postgres/migrations',
    schema: 'prisma/postgres/schema.prisma',
    last: pgSnapshot,
    url: process.env.MIGRATION_DIFF_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
  },
];
for (const p of providers) {
  const from = existsSync(p.last) ? ['--from-schema-datamodel', p.last] : ['--from-empty'];
  const sql = execFileSync(prisma, ['migrate', 'diff', ...from, '--to-schema-datamodel', p.schema, '--script'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: p.url },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const dir = join(root, p.dir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), sql);
  console.log(`wrote ${join(p.dir, `${stamp}_${name}`, 'migration.sql')}`);
}
mkdirSync(dirname(snapshot), { recursive: true });
copyFileSync(join(root, 'prisma/schema.prisma'), snapshot);
rmSync(pgSnapshot, { force: true });
