import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isBackupFileName } from '../backup/backup-files';
import { SQLITE_SIDE_FILES } from '../db/private-files';

/** A file of ours that accounts other than its owner can read or write, and its mode (`644`). */
export interface OpenFile {
  path: string;
  mode: string;
}

function openToOthers(path: string): OpenFile | null {
  try {
    const mode = statSync(path).mode & 0o777;
    return mode & 0o077 ? { path, mode: mode.toString(8).padStart(3, '0') } : null;
  } catch {
    return null; // gone meanwhile, or not ours to stat
  }
}

/**
 * The SQLite files (database, WAL, shared memory) and the backups and manifests in the
 * backup folder that group or others may read: they hold customer e-mails and phones.
 */
export function filesOpenToOthers(databasePath: string, backupDir: string | null): OpenFile[] {
  const paths = SQLITE_SIDE_FILES.map((suffix) => databasePath + suffix);
  if (backupDir && existsSync(backupDir))
    for (const name of readdirSync(backupDir).sort()) if (isBackupFileName(name)) paths.push(join(backupDir, name));
  return paths.filter((p) => existsSync(p)).flatMap((p) => openToOthers(p) ?? []);
}

/** The doctor's words for such files: the finding and the fix. */
export function describeOpenFiles(files: OpenFile[]): { finding: string; fix: string } {
  const shown = files.slice(0, 3).map((f) => `${f.path} (mode ${f.mode})`);
  const more = files.length > 3 ? ` and ${files.length - 3} more` : '';
  return {
    finding: `other accounts on this host can read ${files.length === 1 ? 'a file' : `${files.length} files`} with customer data: ${shown.join(', ')}${more}`,
    fix: `Make them owner-only: chmod 600 ${files
      .map((f) => `'${f.path}'`)
      .slice(0, 3)
      .join(' ')}${more ? ' …' : ''} (and chmod 700 their folders). The app creates new ones owner-only.`,
  };
}
