import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBackupFolder } from '../../src/backup/backup-files';
import { restoreFromFile } from '../../src/backup/restore';
import { ManualClock } from '../../src/clock';
import { openDatabase } from '../../src/db/client';
import type { AppDeps } from '../../src/deps';
import { listOpenAdminNotices } from '../../src/domain/admin-notices';
import { addNote } from '../../src/domain/leads';
import { runBackupTick } from '../../src/jobs/backup';
import { backupDeps } from '../support/backup-deps';
import { migratedSqliteUrl, openTestDatabase, tempSqliteUrl } from '../support/databases';
import { trackWait } from '../support/pending-waits';
import { seedLead } from '../support/seed-leads';

const HOUR = 3_600_000;

// Every backup here is real: a snapshot in a worker thread, checked and synced to disk, and each
// tick reads and writes the database. A test takes 1 to 2.5 s of a quiet 2-core machine; with its
// cores taken by other work (two busy loops beside `nice -n 19 npx jest`) that grows 10 to 15
// times, past jest's default 30 s. The tests wait for no clock: this bound only limits a failure.
jest.setTimeout(90_000);

async function closeAll(...deps: AppDeps[]): Promise<void> {
  for (const d of deps) await d.db.close();
}

/** Backups in the folder that have a manifest, by the UTC day they were taken. */
function verifiedBackupDays(dir: string): string[] {
  return listBackupFolder(dir)
    .backups.filter((b) => b.manifest)
    .map((b) => b.takenAt.toISOString().slice(0, 10));
}

describe('scheduled SQLite backups', () => {
  let target: { url: string; cleanup(): Promise<void> };
  let backupDir: string;
  beforeEach(async () => {
    target = await migratedSqliteUrl();
    backupDir = mkdtempSync(join(tmpdir(), 'crm-backups-'));
  });
  afterEach(async () => {
    await target.cleanup();
    rmSync(backupDir, { recursive: true, force: true });
  });

  it('takes a backup while notes are being written that restores to a consistent database holding every note committed before it started', async () => {
    const clock = new ManualClock('2026-11-25T00:00:30Z');
    const deps = backupDeps(target.url, clock, { CRM_BACKUP_DIR: backupDir });
    try {
      const leadId = await seedLead(deps.db.prisma, { customerId: 'C-BUSY', name: 'Busy Buyer' });
      // Enough history (about 5 MB) that the copy takes a while, so the writer below really
      // overlaps it. Written by SQLite in one statement: through Prisma, 20,000 rows cost seconds
      // of CPU, which is what ran this test out of its time on a busy machine.
      await deps.db.prisma.$executeRawUnsafe(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)
         INSERT INTO "Activity" ("leadId", "kind", "text", "isTouch", "createdAt")
         SELECT ?, 'touch', 'old touch ' || i || ' ' || printf('%.200c', 'x'), 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM n`,
        leadId,
      );
      const committed: string[] = [];
      let writing = true;
      let writerFailed: unknown;
      const writer = (async () => {
        for (let i = 0; writing; i += 1) {
          await addNote(deps.db.prisma, clock, { leadId, actorId: 'U0WRITER1', text: `note ${i}` });
          committed.push(`note ${i}`);
          await new Promise((r) => setImmediate(r));
        }
      })().catch((err: unknown) => {
        writerFailed = err;
      });
      // A test that runs out of time stops its writer too (pending-waits.ts abandons this when the test ends).
      const untrack = trackWait({
        describe: () => `the note writer to stop (${committed.length} notes written)`,
        abandon: () => {
          writing = false;
        },
      });
      const untilCommitted = async (count: number) => {
        while (committed.length < count) {
          if (writerFailed) throw writerFailed;
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      let committedBeforeBackup: string[];
      let outcome: string;
      try {
        await untilCommitted(20);
        committedBeforeBackup = [...committed];
        outcome = await runBackupTick(deps);
        await untilCommitted(committed.length + 10);
      } finally {
        // Also when the test fails: a writer left running would write into the next test's database.
        writing = false;
        untrack();
        await writer;
      }
      expect(writerFailed).toBeUndefined();
      expect(outcome).toBe('good');

      const [backup] = listBackupFolder(backupDir).backups;
      const restored = tempSqliteUrl();
      try {
        const report = await restoreFromFile({ file: backup!.path, databaseUrl: restored.url, now: clock.now() });
        expect(report.kind).toBe('sqlite-backup');
        const db = openDatabase(restored.url);
        try {
          const notes = (
            await db.prisma.activity.findMany({
              where: { kind: 'note' },
              orderBy: { id: 'asc' },
              select: { text: true },
            })
          ).map((n) => n.text);
          // Every note committed before the backup started, and the notes form an unbroken run: one moment's snapshot.
          expect(notes.slice(0, committedBeforeBackup.length)).toEqual(committedBeforeBackup);
          expect(notes).toEqual(committed.slice(0, notes.length));
          expect(notes.length).toBeLessThan(committed.length);
          // Each note bumps the lead's version in the same transaction: the copy never splits one.
          const lead = await db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
          expect(lead.version).toBe(1 + notes.length);
          expect(await db.prisma.activity.count({ where: { kind: 'touch' } })).toBe(20_000);
        } finally {
          await db.close();
        }
      } finally {
        await restored.cleanup();
      }
    } finally {
      await closeAll(deps);
    }
  });

  it('takes one backup per period with two instances ticking at the same moments', async () => {
    const clock = new ManualClock('2026-11-24T23:59:00Z');
    const a = backupDeps(target.url, clock, { CRM_BACKUP_DIR: backupDir });
    const b = backupDeps(target.url, clock, { CRM_BACKUP_DIR: backupDir });
    try {
      const outcomes: string[] = [];
      // Three days, a tick every 20 minutes on both instances at once.
      for (let i = 0; i < 3 * 72; i += 1) {
        clock.advance(20 * 60_000);
        outcomes.push(...(await Promise.all([runBackupTick(a), runBackupTick(b)])));
      }
      expect(outcomes.filter((o) => o === 'good')).toHaveLength(3);
      expect(outcomes.filter((o) => o === 'failed')).toHaveLength(0);
      expect(verifiedBackupDays(backupDir)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
      const runs = await a.db.prisma.backupRun.findMany({ orderBy: { periodKey: 'asc' } });
      expect(runs.map((r) => [r.periodKey, r.status])).toEqual([
        ['period:2026-11-25T00:00:00.000Z', 'good'],
        ['period:2026-11-26T00:00:00.000Z', 'good'],
        ['period:2026-11-27T00:00:00.000Z', 'good'],
      ]);
    } finally {
      await closeAll(a, b);
    }
  });

  it('keeps exactly the newest backup of each of the last 7 days and of each of the last 4 weeks', async () => {
    const clock = new ManualClock('2026-10-01T00:00:00Z');
    const deps = backupDeps(target.url, clock, { CRM_BACKUP_DIR: backupDir });
    try {
      // Five ISO weeks (40 to 44) from Thursday 2026-10-01 to Friday 2026-10-30, so the oldest
      // week's backups must go: a backup on two days of each older week (the app was off on the
      // others) and on each of the last seven days, the schedule ticking every six hours of those
      // days. Each backup is a real snapshot, checked and synced: 15 are enough to show the rule.
      const days = ['01', '04', '06', '11', '13', '18', '20', '22', '24', '25', '26', '27', '28', '29', '30'];
      for (const day of days) {
        for (const hour of ['03', '09', '15', '21']) {
          clock.set(new Date(`2026-10-${day}T${hour}:00:00Z`));
          await runBackupTick(deps);
        }
      }
      expect(await deps.db.prisma.backupRun.count({ where: { status: 'good' } })).toBe(days.length);
      // 2026-10-30 is a Friday (ISO week 44). Daily: 10-24 to 10-30. Weekly: the newest of
      // weeks 44 (10-30), 43 (Sunday 10-25), 42 (Sunday 10-18) and 41 (Sunday 10-11).
      expect(verifiedBackupDays(backupDir)).toEqual([
        '2026-10-11',
        '2026-10-18',
        '2026-10-24',
        '2026-10-25',
        '2026-10-26',
        '2026-10-27',
        '2026-10-28',
        '2026-10-29',
        '2026-10-30',
      ]);
      // Nothing but verified copies and their manifests is left behind.
      expect(readdirSync(backupDir).sort()).toHaveLength(18);
    } finally {
      await closeAll(deps);
    }
  });

  it('applies a configured retention and interval (every 6 h, keep 2 daily and 1 weekly)', async () => {
    const clock = new ManualClock('2026-11-24T23:30:00Z');
    const deps = backupDeps(target.url, clock, {
      CRM_BACKUP_DIR: backupDir,
      CRM_BACKUP_INTERVAL_HOURS: '6',
      CRM_BACKUP_KEEP_DAILY: '2',
      CRM_BACKUP_KEEP_WEEKLY: '1',
    });
    try {
      for (let i = 0; i < 3 * 24; i += 1) {
        clock.advance(HOUR);
        await runBackupTick(deps);
      }
      // 2026-11-25 00:00 to 2026-11-27 23:30: four backups a day for three days.
      expect(await deps.db.prisma.backupRun.count({ where: { status: 'good' } })).toBe(12);
      const kept = listBackupFolder(backupDir).backups.map((b) => b.takenAt.toISOString());
      // Newest of 11-27 (also the newest of the week) and newest of 11-26.
      expect(kept).toEqual(['2026-11-26T18:30:00.000Z', '2026-11-27T18:30:00.000Z']);
    } finally {
      await closeAll(deps);
    }
  });

  it('tells admins on Home when the last good backup is older than two periods, once, and clears it when a backup succeeds', async () => {
    const clock = new ManualClock('2026-11-25T00:01:00Z');
    const deps = backupDeps(target.url, clock, { CRM_BACKUP_DIR: backupDir });
    try {
      expect(await runBackupTick(deps)).toBe('good');
      // The folder becomes unusable: a file where the folder should be.
      rmSync(backupDir, { recursive: true });
      require('node:fs').writeFileSync(backupDir, 'not a folder');
      const notices = async () => (await listOpenAdminNotices(deps.db.prisma, 10)).notices.map((n) => n.notice);
      for (let i = 0; i < 48 * 4; i += 1) {
        clock.advance(15 * 60_000);
        await runBackupTick(deps);
      }
      // 2026-11-27T00:01: 48 h since the last good one, not yet more than two periods.
      expect(await notices()).toEqual([]);
      clock.advance(15 * 60_000);
      expect(await runBackupTick(deps)).toBe('failed');
      expect(await notices()).toEqual([
        { kind: 'backup_stale', lastGoodAt: '2026-11-25T00:01:00.000Z', intervalHours: 24 },
      ]);
      for (let i = 0; i < 8; i += 1) {
        clock.advance(15 * 60_000);
        await runBackupTick(deps);
      }
      expect(await notices()).toHaveLength(1);
      const failures = await deps.db.prisma.backupRun.findMany({ where: { status: 'failed' } });
      expect(failures.length).toBeGreaterThan(0);

      rmSync(backupDir);
      clock.advance(15 * 60_000);
      expect(await runBackupTick(deps)).toBe('good');
      expect(await notices()).toEqual([]);
    } finally {
      await closeAll(deps);
    }
  });

  it('is off on PostgreSQL and takes nothing', async () => {
    const { db, url, cleanup } = await openTestDatabase('postgres');
    const deps = backupDeps(url, new ManualClock(), { CRM_BACKUP_DIR: backupDir });
    try {
      expect(await runBackupTick(deps)).toBe('not_sqlite');
      expect(readdirSync(backupDir)).toEqual([]);
      expect(await db.prisma.backupRun.count()).toBe(0);
    } finally {
      await deps.db.close();
      await cleanup();
    }
  });

  it('keeps the backup folder beside the database by default', async () => {
    const clock = new ManualClock('2026-11-25T00:01:00Z');
    const deps = backupDeps(target.url, clock);
    try {
      expect(await runBackupTick(deps)).toBe('good');
      const dir = join(require('node:path').dirname(target.url.slice('file:'.length)), 'backups');
      expect(existsSync(dir)).toBe(true);
      expect(verifiedBackupDays(dir)).toEqual(['2026-11-25']);
    } finally {
      await closeAll(deps);
    }
  });
});
