// `npm run generate`: writes the PostgreSQL schema from the SQLite one, then generates
// both Prisma clients (src/generated/sqlite, src/generated/postgres). The datasource URL
// is only read, not used, by `prisma generate`; a placeholder of the right kind is passed
// so generation works on a machine with no DATABASE_URL set.
//
// Then it copies the few runtime files the two clients load from @prisma/client into
// src/generated/@prisma-runtime and points the clients' imports there. @prisma/client is 74 MB (every
// engine for every database, source maps) and declares the Prisma CLI and TypeScript as
// optional peers, which `npm ci --omit=dev` keeps; with its runtime copied, @prisma/client,
// the CLI and TypeScript are development dependencies and the production install is small.
// The runtime files are self-contained (Node built-ins only) and copied from the installed
// version at every generation, so they always match the generator. The folder's name keeps
// "@prisma" in the path: Prisma finds the app's call site for an error message ("Invalid
// `prisma.lead.create()` invocation") by skipping stack frames whose file path contains it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
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

const RUNTIME_FILES = [
  'client.js',
  'client.d.ts',
  'index-browser.js',
  'index-browser.d.ts',
  'query_compiler_bg.sqlite.js',
  'query_compiler_bg.sqlite.wasm-base64.js',
  'query_compiler_bg.postgresql.js',
  'query_compiler_bg.postgresql.wasm-base64.js',
];
const generated = join(root, 'src', 'generated');
const runtimeDir = join(generated, '@prisma-runtime');
rmSync(runtimeDir, { recursive: true, force: true });
mkdirSync(runtimeDir, { recursive: true });
const installedRuntime = join(root, 'node_modules', '@prisma', 'client', 'runtime');
for (const file of RUNTIME_FILES) copyFileSync(join(installedRuntime, file), join(runtimeDir, file));

const tsFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
for (const provider of ['sqlite', 'postgres']) {
  for (const file of tsFiles(join(generated, provider))) {
    const toRuntime = relative(dirname(file), runtimeDir).split(sep).join('/');
    const before = readFileSync(file, 'utf8');
    const after = before.replaceAll('"@prisma/client/runtime/', `"${toRuntime}/`);
    if (after.includes('@prisma/client')) {
      throw new Error(
        `${relative(root, file)} still imports @prisma/client: copy what it needs into src/generated/@prisma-runtime`,
      );
    }
    if (after !== before) writeFileSync(file, after);
  }
}
if (!quiet)
  console.log('Prisma clients generated (sqlite, postgres), with their runtime in src/generated/@prisma-runtime.');
