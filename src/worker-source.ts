import { dirname, join, relative } from 'node:path';

/**
 * Set by the tests' global setup once it has brought `dist/` up to date: the folder of the
 * compiled app, whose worker scripts a worker thread then runs instead of the TypeScript.
 */
export const COMPILED_WORKERS_ENV = 'CRM_COMPILED_WORKERS_DIR';

/**
 * The source (for `new Worker(source, { eval: true })`) of a worker thread that runs the
 * module `name` beside `callerFile` (the calling module's `__filename`).
 *
 * Compiled, the worker is `name.js` beside the caller. Run from TypeScript (tsx, jest), it is
 * loaded through tsx's require hook, unless COMPILED_WORKERS_ENV names the compiled app's
 * folder (the tests set it after building it from the same source): a worker then starts in a
 * fraction of the time, without loading tsx and esbuild in every thread.
 */
export function workerSource(callerFile: string, name: string): string {
  const dir = dirname(callerFile);
  if (!callerFile.endsWith('.ts')) return `require(${JSON.stringify(join(dir, `${name}.js`))});`;
  const compiled = process.env[COMPILED_WORKERS_ENV];
  if (compiled) {
    // This file is src/worker-source.ts: the caller's place under src/ is its place under dist/.
    const underSrc = relative(__dirname, dir);
    return `require(${JSON.stringify(join(compiled, underSrc, `${name}.js`))});`;
  }
  return `require('tsx/cjs/api').register(); require(${JSON.stringify(join(dir, `${name}.ts`))});`;
}
