import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sqlitePath } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { tempSqliteUrl } from '../support/databases';

const root = join(__dirname, '..', '..');

/** Runs a CLI script the way `npm run backup` / `npm run restore --` do. */
function run(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', script, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run backup and npm run restore', () => {
  const db = tempSqliteUrl();
  afterAll(async () => db.cleanup());

  it('back up, refuse a corrupt file in plain words, and restore a good one', async () => {
    await migrateDatabase(db.url);
    const env = { DATABASE_URL: db.url };
    const backup = await run('src/backup/backup-cli.ts', [], env);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(
      /^Backup written and verified: .*crm-backup-\d{8}T\d{9}Z\.db\n {2}[\d,]+ bytes, \d+ rows in \d+ tables, integrity ok, migration \d{14}_\w+\n$/,
    );
    const folder = join(dirname(sqlitePath(db.url)), 'backups');
    const file = join(folder, readdirSync(folder).find((n) => n.endsWith('.db'))!);

    const broken = join(folder, 'broken.db');
    copyFileSync(file, broken);
    writeFileSync(broken, Buffer.alloc(8192, 7), { flag: 'r+' });
    const refused = await run('src/backup/restore-cli.ts', [broken], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^Not restored: broken\.db is corrupt or not a SQLite database, so it was not restored \(SQLite says: .+\)\.\n$/,
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    const restored = await run('src/backup/restore-cli.ts', [file], env);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('Backup restored.');
    expect(restored.stdout).toMatch(/the replaced database is kept as .*crm\.db\.before-restore-\d{8}T\d{9}Z\n/);

    const usage = await run('src/backup/restore-cli.ts', [], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('usage: npm run restore -- <backup.db | crm-data.json>\n');
  });
});
