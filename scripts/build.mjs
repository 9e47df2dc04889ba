// `npm run build`: compiles src/ into dist/ with tsc, then copies the Prisma runtime files
// the generated clients load (src/generated/@prisma-runtime: JavaScript, which tsc does not copy).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runtime = join(root, 'src', 'generated', '@prisma-runtime');
if (!existsSync(join(runtime, 'client.js'))) {
  process.stderr.write('No Prisma clients in src/generated: run `npm run generate` first.\n');
  process.exit(1);
}
try {
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
} catch {
  process.exit(1);
}
cpSync(runtime, join(root, 'dist', 'generated', '@prisma-runtime'), {
  recursive: true,
  filter: (src) => !src.endsWith('.d.ts'),
});
