// Writes prisma/postgres/schema.prisma from prisma/schema.prisma: same models, PostgreSQL
// provider, its own generated client. A Prisma schema names one provider, so the
// PostgreSQL path needs its own copy; generating it keeps the models in one place.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const postgresSchemaPath = join(root, 'prisma/postgres/schema.prisma');

export function toPostgresSchema(text) {
  const out = text
    .replace('output       = "../src/generated/sqlite"', 'output       = "../../src/generated/postgres"')
    .replace('provider = "sqlite"', 'provider = "postgresql"');
  if (!out.includes('"postgresql"') || !out.includes('generated/postgres')) {
    throw new Error('prisma/schema.prisma no longer has the generator/datasource lines this script rewrites');
  }
  return '// GENERATED from prisma/schema.prisma by scripts/generate-postgres-schema.mjs. Do not edit.\n' + out;
}

export function writePostgresSchema() {
  const source = readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');
  mkdirSync(dirname(postgresSchemaPath), { recursive: true });
  writeFileSync(postgresSchemaPath, toPostgresSchema(source));
}

if (import.meta.url === `file://${process.argv[1]}`) writePostgresSchema();
