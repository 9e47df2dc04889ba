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
import { createRequire } from 'node:module';
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
  'query_compiler_bg.postgresql.js',
];
/** The query compiler of each client's database (Prisma's name for it), as WebAssembly. */
const COMPILERS = { sqlite: 'sqlite', postgres: 'postgresql' };
const generated = join(root, 'src', 'generated');
const runtimeDir = join(generated, '@prisma-runtime');
rmSync(runtimeDir, { recursive: true, force: true });
mkdirSync(runtimeDir, { recursive: true });
const installedRuntime = join(root, 'node_modules', '@prisma', 'client', 'runtime');
for (const file of RUNTIME_FILES) copyFileSync(join(installedRuntime, file), join(runtimeDir, file));
// Prisma ships the query compiler as a module holding its WebAssembly as one base64 string
// (2.5 MB), which the client decodes and compiles on its first query. Loaded that way, the
// string stays in the heap for good and parsing the module leaves about 5 MB more of the C
// library's heap in use: 6 MB of an idle app's resident memory (docs/benchmarks.md). Decoded
// here into a .wasm file instead, which the client reads and compiles (the patch below).
const installedRequire = createRequire(join(installedRuntime, 'client.js'));
for (const compiler of Object.values(COMPILERS)) {
  const { wasm } = installedRequire(`./query_compiler_bg.${compiler}.wasm-base64.js`);
  writeFileSync(join(runtimeDir, `query_compiler_bg.${compiler}.wasm`), Buffer.from(wasm, 'base64'));
}

const tsFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
for (const provider of ['sqlite', 'postgres']) {
  for (const file of tsFiles(join(generated, provider))) {
    const toRuntime = relative(dirname(file), runtimeDir).split(sep).join('/');
    const before = readFileSync(file, 'utf8');
    let after = before.replaceAll('"@prisma/client/runtime/', `"${toRuntime}/`);
    const compiler = COMPILERS[provider];
    const base64Load = [
      `    const { wasm } = await import("${toRuntime}/query_compiler_bg.${compiler}.wasm-base64.js")`,
      '    return await decodeBase64AsWasm(wasm)',
    ].join('\n');
    if (after.includes(base64Load)) {
      after = after.replace(
        base64Load,
        [
          "    const { readFile } = await import('node:fs/promises')",
          "    const { join } = await import('node:path')",
          `    return new WebAssembly.Module(await readFile(join(__dirname, "${toRuntime}/query_compiler_bg.${compiler}.wasm")))`,
        ].join('\n'),
      );
    }
    if (after.includes('wasm-base64')) {
      throw new Error(
        `${relative(root, file)} loads Prisma's query compiler in a way this script does not know: update its patch`,
      );
    }
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
