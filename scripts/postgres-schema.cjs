// Writes prisma/postgres/schema.prisma from prisma/schema.prisma: same models, PostgreSQL
// provider, its own generated client. A Prisma schema names one provider, so the
// PostgreSQL path needs its own copy; generating it keeps the models in one place.
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

const root = join(__dirname, '..');
const postgresSchemaPath = join(root, 'prisma/postgres/schema.prisma');

function toPostgresSchema(text) {
  const out = text
    .replace('output       = "../src/generated/sqlite"', 'output       = "../../src/generated/postgres"')
    .replace('provider = "sqlite"', 'provider = "postgresql"');
  if (!out.includes('"postgresql"') || !out.includes('generated/postgres')) {
    throw new Error('prisma/schema.prisma no longer has the generator/datasource lines this script rewrites');
  }
  return `// GENERATED from prisma/schema.prisma by scripts/postgres-schema.cjs. Do not edit.\n${out}`;
}

function writePostgresSchema() {
  const source = readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');
  mkdirSync(dirname(postgresSchemaPath), { recursive: true });
  writeFileSync(postgresSchemaPath, toPostgresSchema(source));
}

module.exports = { postgresSchemaPath, toPostgresSchema, writePostgresSchema };

if (require.main === module) writePostgresSchema();
