import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The database, its WAL and shared-memory files, backups and their manifests hold customer
 * e-mails and phones: only the account the app runs as may read them. Modes are set with
 * chmod after creation, because the mode given to open/mkdir is cut by the process's umask
 * and a file that already exists keeps the mode it had.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and missing parents) owner-only; a folder that already exists is left as it is. */
export function ensurePrivateDir(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes an existing file owner-only; a missing one is skipped. */
export function makePrivate(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Creates an empty owner-only file unless it exists (then it is made owner-only), so what is written into it is never readable by others. */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  chmodSync(path, PRIVATE_FILE_MODE);
}

/** The SQLite file set: the database and the WAL and shared-memory files SQLite creates beside it. */
export const SQLITE_SIDE_FILES = ['', '-wal', '-shm'] as const;

/**
 * Prepares a SQLite database path before SQLite opens it: the folder owner-only when created,
 * the database file created owner-only (SQLite gives the WAL and shared-memory files the
 * database file's mode), and existing files of the set made owner-only.
 */
export function keepSqliteFilesPrivate(path: string): void {
  ensurePrivateDir(dirname(path));
  createPrivateFile(path);
  for (const suffix of SQLITE_SIDE_FILES) makePrivate(path + suffix);
}
