import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { makePrivate, PRIVATE_FILE_MODE } from '../db/private-files';

/**
 * The backup folder's layout: `crm-backup-<UTC time>.db` and, once the copy has been
 * verified, its manifest `crm-backup-<UTC time>.json` beside it. A copy without a manifest was
 * never verified (a crash or a failed check) and does not count as a backup.
 */

const NAME_RE = /^crm-backup-(\d{8}T\d{9}Z)\.(db|json|db\.partial)$/;

/** `crm-backup-20261125T090000123Z.db`: sorts by time, no characters a file system dislikes. */
export function backupFileName(takenAt: Date): string {
  return `crm-backup-${takenAt.toISOString().replace(/[-:.]/g, '')}.db`;
}

export function manifestPathFor(backupPath: string): string {
  return backupPath.replace(/\.db$/, '.json');
}

export function partialPathFor(backupPath: string): string {
  return `${backupPath}.partial`;
}

export const backupManifestSchema = z.object({
  format: z.literal('slack-crm-backup'),
  version: z.literal(1),
  file: z.string(),
  takenAt: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  bytes: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  integrity: z.literal('ok'),
  /** The last migration applied in the copy. */
  migration: z.string().nullable(),
  tableCounts: z.record(z.string(), z.number().int()),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

/** Reads a backup's manifest; null when there is none or it does not parse. */
export function readManifest(backupPath: string): BackupManifest | null {
  const path = manifestPathFor(backupPath);
  if (!existsSync(path)) return null;
  try {
    const parsed = backupManifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Writes the manifest atomically (temp file, fsync, rename), so a crash never leaves half of one. */
export function writeManifest(backupPath: string, manifest: BackupManifest): void {
  const path = manifestPathFor(backupPath);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
  makePrivate(tmp); // a leftover .tmp keeps its old mode
  fsyncFile(tmp);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename in the folder durable. Some platforms cannot open a folder: then the rename is as durable as they allow. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here (e.g. Windows)
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export interface BackupFileEntry {
  /** Full path of the `.db` file. */
  path: string;
  name: string;
  takenAt: Date;
  /** Null: never verified, so not a backup to keep. */
  manifest: BackupManifest | null;
}

export interface BackupFolderListing {
  backups: BackupFileEntry[];
  /** Unfinished copies (`.db.partial`) and manifests whose copy is gone. */
  leftovers: { path: string; takenAt: Date }[];
}

function timeOfStamp(stamp: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp)!;
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
}

/** Our files in the backup folder, oldest first. Files we did not name are never listed, so never touched. */
export function listBackupFolder(dir: string): BackupFolderListing {
  if (!existsSync(dir)) return { backups: [], leftovers: [] };
  const names = readdirSync(dir);
  const present = new Set(names);
  const backups: BackupFileEntry[] = [];
  const leftovers: BackupFolderListing['leftovers'] = [];
  for (const name of names.sort()) {
    const m = NAME_RE.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    const takenAt = timeOfStamp(m[1]!);
    if (m[2] === 'db') backups.push({ path, name, takenAt, manifest: readManifest(path) });
    else if (m[2] === 'db.partial' || !present.has(name.replace(/\.json$/, '.db'))) leftovers.push({ path, takenAt });
  }
  return { backups, leftovers };
}

export function isBackupFileName(path: string): boolean {
  return NAME_RE.test(basename(path));
}
