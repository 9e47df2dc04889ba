// `npm run build`: checks the types of src/ (`tsc --noEmit -p tsconfig.build.json`,
// incremental), then transpiles every TypeScript file under src/ into dist/ (CommonJS, ES2022)
// with swc, file by file, and copies the Prisma runtime files the generated clients load
// (src/generated/@prisma-runtime: JavaScript). swc is the transform jest runs the tests
// through, so the tests exercise the code as built.
//   --check  only the type check;  --emit  only the transpiling (about a second; the check
//   takes 10 to 20 s on two cores). `npm test`'s set-up builds with --emit: its own
//   `npm run typecheck` checks src/, test/ and bench/ together.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const runtime = join(src, 'generated', '@prisma-runtime');
if (!existsSync(join(runtime, 'client.js'))) {
  process.stderr.write('No Prisma clients in src/generated: run `npm run generate` first.\n');
  process.exit(1);
}
const only = process.argv.includes('--check') ? 'check' : process.argv.includes('--emit') ? 'emit' : null;
if (only !== 'emit') {
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    process.exit(1);
  }
  if (only === 'check') process.exit(0);
}
const swc = createRequire(import.meta.url)('@swc/core');

/** The same settings as jest's transform (jest.config.js), with CommonJS output as tsconfig.json asks. */
const OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: false,
  swcrc: false,
  configFile: false,
};

function sources(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== runtime) found.push(...sources(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

const files = sources(src);
const outputs = new Set(files.map((file) => join(dist, relative(src, file)).replace(/\.ts$/, '.js')));
// The output of a source file deleted since must not linger (and be loaded).
const lingering = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return path === join(dist, 'generated', '@prisma-runtime') ? [] : lingering(path);
        return entry.name.endsWith('.js') && !outputs.has(path) ? [path] : [];
      })
    : [];
for (const path of lingering(dist)) rmSync(path);
const failures = [];
await Promise.all(
  files.map(async (file) => {
    const out = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
    try {
      const { code } = await swc.transformFile(file, { ...OPTIONS, filename: file });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, code);
    } catch (err) {
      failures.push(`${relative(root, file)}: ${err.message ?? err}`);
    }
  }),
);
if (failures.length) {
  process.stderr.write(`${failures.join('\n')}\nThe build failed (${failures.length} of ${files.length} files).\n`);
  process.exit(1);
}
cpSync(runtime, join(dist, 'generated', '@prisma-runtime'), {
  recursive: true,
  filter: (path) => !path.endsWith('.d.ts'),
});
