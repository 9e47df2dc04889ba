// `npm start` and `npm run doctor`: brings the clone up to date where something changed
// (install, Prisma clients, TypeScript build: see prepare.mjs), then runs the compiled entry
// point given as the first argument in this same process, so signals reach the app directly.
// Usage: node scripts/run-compiled.mjs dist/index.js [arguments for it]
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { prepareOrExit, root } from './prepare.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run-compiled.mjs <dist/entry.js> [arguments]\n');
  process.exit(2);
}
prepareOrExit({ build: true, check: true });
const main = join(root, entry);
// The entry point sees the command line it would see if run as `node dist/entry.js …`.
process.argv = [process.argv[0], main, ...args];
createRequire(import.meta.url)(main);
