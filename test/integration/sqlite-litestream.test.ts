import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { takeBackup } from '../../src/backup/take-backup';
import { ManualClock } from '../../src/clock';
import { SQLITE_BUSY_TIMEOUT_MS, sqlitePath } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { openTestDatabase } from '../support/databases';
import { seedLead } from '../support/seed-leads';

/**
 * Litestream itself is a separate binary that is not available to the test suite. What the
 * CRM controls is how it uses SQLite, and Litestream's documented needs are: WAL mode, a
 * busy timeout (it takes short write locks to checkpoint), and an application that leaves
 * checkpoints that rewrite or truncate the WAL to Litestream.
 */
const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'generated' ? [] : sourceFiles(path);
    return d.name.endsWith('.ts') ? [path] : [];
  });
}

describe('SQLite settings that Litestream relies on', () => {
  it('the app’s connection runs in WAL mode, passive auto-checkpoints on and normal locking', async () => {
    const { db, cleanup } = await openTestDatabase('sqlite');
    try {
      const pragma = async (name: string) =>
        Object.values((await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`))[0]!)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      // SQLite's default (1000 pages, PASSIVE): never blocks Litestream, never truncates the WAL under it.
      expect(Number(await pragma('wal_autocheckpoint'))).toBe(1000);
      // EXCLUSIVE locking would keep Litestream (another process) out of the file.
      expect(await pragma('locking_mode')).toBe('normal');
    } finally {
      await cleanup();
    }
  });

  it('a write waits out another process holding the write lock (as Litestream does to checkpoint), without failing', async () => {
    const { db, url, cleanup } = await openTestDatabase('sqlite');
    const other = new Database(sqlitePath(url));
    try {
      // The app waits for the lock with asynchronous retries (db/sqlite-adapter.ts), not SQLite's
      // blocking busy handler; what Litestream needs is that such a wait does not end in an error.
      expect(SQLITE_BUSY_TIMEOUT_MS).toBeGreaterThanOrEqual(5000);
      other.exec('BEGIN IMMEDIATE');
      const release = setTimeout(() => other.exec('COMMIT'), 1500);
      const leadId = await seedLead(db.prisma, { customerId: 'LITESTREAM-1', name: 'Held Lock Trading' });
      clearTimeout(release);
      if (other.inTransaction) other.exec('COMMIT');
      expect(await db.prisma.lead.count({ where: { id: leadId } })).toBe(1);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await cleanup();
    }
  });

  it('a backup reads the live database without checkpointing or truncating its WAL', async () => {
    const { db, url, cleanup } = await openTestDatabase('sqlite');
    const dir = mkdtempSync(join(tmpdir(), 'crm-ls-'));
    try {
      for (let i = 0; i < 20; i += 1) await seedLead(db.prisma, { customerId: `C${i}`, name: `Buyer ${i}` });
      const wal = `${sqlitePath(url)}-wal`;
      const before = statSync(wal).size;
      expect(before).toBeGreaterThan(0);
      const result = await takeBackup({
        prisma: db.prisma,
        target: { databasePath: sqlitePath(url), dir, retention: { daily: 7, weekly: 4 } },
        clock: new ManualClock(),
        logger: createLogger('silent'),
        holder: 'test',
        periodKey: 'manual:test',
        trigger: 'manual',
      });
      expect(result.status).toBe('good');
      // Only the BackupRun rows were written meanwhile: the WAL grew, it was never reset.
      expect(statSync(wal).size).toBeGreaterThanOrEqual(before);
      const pragma = await db.prisma.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      expect(pragma[0]!.journal_mode).toBe('wal');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await cleanup();
    }
  });

  it('no app code changes checkpointing, the journal mode away from WAL, or the locking mode', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      const rel = relative(root, file);
      if (/wal_checkpoint|wal_autocheckpoint|locking_mode/i.test(text))
        offenders.push(`${rel}: checkpoint or locking pragma`);
      for (const m of text.matchAll(/journal_mode\s*=\s*(\w+)/gi))
        if (m[1]!.toUpperCase() !== 'WAL') offenders.push(`${rel}: journal_mode = ${m[1]}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the Docker example replicates the file the image’s DATABASE_URL points at, running the app under Litestream', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const imageDb = /DATABASE_URL=file:(\S+)/.exec(dockerfile)![1]!;
    const config = readFileSync(join(root, 'docs/litestream.yml'), 'utf8');
    expect([...config.matchAll(/^\s*- path: (\S+)$/gm)].map((m) => m[1])).toEqual([imageDb]);
    const litestreamImage = readFileSync(join(root, 'docs/Dockerfile.litestream'), 'utf8');
    expect(litestreamImage).toContain(`litestream restore -if-db-not-exists -if-replica-exists ${imageDb}`);
    // Under Litestream the app runs with the image's own command (its Node flags included).
    const imageCommand = (JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[]).join(' ');
    expect(imageCommand).toMatch(/^node .*dist\/index\.js$/);
    expect(litestreamImage).toContain(`exec litestream replicate -exec '${imageCommand}'`);
  });
});
