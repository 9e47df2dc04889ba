import { statSync } from 'node:fs';

/**
 * Reads `.env` from the working directory into `process.env` with Node's own parser
 * (`process.loadEnvFile`, Node 20.12 and later). A variable already in the environment wins
 * over the file, even when it is set empty: the environment is what the operator typed last.
 * No file is not an error (the Docker image has none; its settings come from the environment).
 *
 * Called first by every entry point that reads the configuration: the app, the doctor, the
 * backup, restore and migrate commands.
 */
export function loadDotEnv(path = '.env'): 'loaded' | 'absent' {
  const found = statSync(path, { throwIfNoEntry: false });
  if (!found) return 'absent';
  // Say which file and why, never its contents.
  if (!found.isFile()) throw new DotEnvError(`Could not read ${path}: not a file`);
  const before = { ...process.env };
  try {
    process.loadEnvFile(path);
  } catch (err) {
    throw new DotEnvError(`Could not read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  // Node keeps variables already set; restoring them makes that hold whatever the Node version.
  Object.assign(process.env, before);
  return 'loaded';
}

export class DotEnvError extends Error {
  override name = 'DotEnvError';
}

/** For the command-line entry points: a `.env` that cannot be read stops them with one line. */
export function loadDotEnvOrExit(exitCode: number): void {
  try {
    loadDotEnv();
  } catch (err) {
    if (!(err instanceof DotEnvError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(exitCode);
  }
}
