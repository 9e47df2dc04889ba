import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { restoreFromFile } from '../../src/backup/restore';
import { STAGES } from '../../src/common/stages';
import { type Database as CrmDatabase, openDatabase, sqlitePath } from '../../src/db/client';
import { knownMigrations } from '../../src/db/migrate';
import { dataVersion } from '../../src/db/pipeline/pipeline-sql';
import { DATA_VERSION_NOT_COUNTED, DATA_VERSION_TABLES } from '../../src/db/sqlite-data-version';
import { differencesFromMigrations } from '../../src/db/sqlite-schema';
import { exportCrmData } from '../../src/domain/crm-data';
import { Prisma } from '../../src/generated/sqlite/client';
import { openTestDatabase, tempSqliteUrl } from '../support/databases';
import { minutesAgo, NOW, type SharedHome, sharedHome, stageOf } from '../support/shared-home-reads';

/** A DateTime as Prisma stores it on SQLite. */
const stored = (d: Date) => d.toISOString().replace('Z', '+00:00');

/**
 * On SQLite, Home readers share what everyone sees alike (the pipeline, the team's and the
 * unowned leads' "today" lists, the settings) per version of the CRM data, which triggers
 * keep in the database (src/db/sqlite-data-version.ts): another instance writing only its
 * bookkeeping keeps the share, any CRM write ends it, whoever makes it.
 */
describe('the data version Home readers share, on SQLite', () => {
  let db: CrmDatabase;
  let url: string;
  let cleanup: () => Promise<void>;
  let home: SharedHome;

  beforeEach(async () => {
    ({ db, url, cleanup } = await openTestDatabase('sqlite'));
    home = await sharedHome(db);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await cleanup();
  });

  const open = () => home.open();
  /** The pipeline's stage pages and the shared "today" lists all read the customers' figures. */
  const customerReads = () => home.customerReads();
  const stage = stageOf;

  /** Runs statements on a connection of their own, as another instance sharing the file does. */
  function asAnotherInstance(statements: [sql: string, ...params: unknown[]][], databaseUrl = url): void {
    const other = new Database(sqlitePath(databaseUrl));
    try {
      for (const [sql, ...params] of statements) other.prepare(sql).run(...params);
    } finally {
      other.close();
    }
  }

  it('another instance’s bookkeeping keeps the shared pipeline and lists; its sync’s record still shows on Home', async () => {
    const first = await open();
    expect(stage(first, 'lead').count).toBe(3);
    expect(first.sync).toEqual({ kind: 'ok', finishedAt: minutesAgo(30), created: 3, running: false });
    expect(customerReads().length).toBeGreaterThan(0);

    // Its heartbeat and a lease, a Slack request it acted on, and the run record of a sync that found nothing new.
    asAnotherInstance([
      [
        `INSERT INTO "JobLease" ("name", "holder", "expiresAt", "updatedAt") VALUES ('instance:b', 'b', ?, ?)`,
        stored(minutesAgo(-1)),
        stored(NOW),
      ],
      [
        `INSERT INTO "JobLease" ("name", "holder", "expiresAt", "updatedAt") VALUES ('lead-sync', 'b', ?, ?)`,
        stored(minutesAgo(-1)),
        stored(NOW),
      ],
      [`INSERT INTO "SeenSlackRequest" ("key", "expiresAt") VALUES ('sig:v0=other', ?)`, stored(minutesAgo(-5))],
      [
        `INSERT INTO "SyncRun" ("trigger", "startedAt", "finishedAt", "status", "fetched", "created", "updated", "rejected")
         VALUES ('home_opened', ?, ?, 'ok', 3, 0, 0, 0)`,
        stored(minutesAgo(2)),
        stored(minutesAgo(1)),
      ],
      [`UPDATE "JobLease" SET "expiresAt" = ? WHERE "name" = 'instance:b'`, stored(minutesAgo(-2))],
    ]);
    const second = await open();
    expect(customerReads()).toEqual([]);
    expect(stage(second, 'lead').count).toBe(3);
    // Home's sync line has a version of its own: the other instance's sync shows at once.
    expect(second.sync).toEqual({ kind: 'ok', finishedAt: minutesAgo(1), created: 0, running: false });

    // And the same share is kept through this process's own bookkeeping too.
    await db.sqliteSideWriter!.run(`DELETE FROM "JobLease" WHERE "name" = 'lead-sync'`, []);
    await open();
    expect(customerReads()).toEqual([]);
  });

  it('a long sync’s many run-record writes keep the shared pipeline and lists, and Home shows the latest record', async () => {
    await open();
    expect(customerReads().length).toBeGreaterThan(0);
    // A sync updates its run record as it goes (a write each), and Home is opened between them.
    const [{ id }] = await db.prisma.$queryRaw<{ id: number }[]>`SELECT MAX("id") AS "id" FROM "SyncRun"`;
    for (let fetched = 1; fetched <= 150; fetched++) {
      asAnotherInstance([[`UPDATE "SyncRun" SET "fetched" = ? WHERE "id" = ?`, fetched, Number(id)]]);
      await open();
    }
    expect(customerReads()).toEqual([]);
    asAnotherInstance([
      [
        `INSERT INTO "SyncRun" ("trigger", "startedAt", "finishedAt", "status", "fetched", "created", "updated", "rejected")
         VALUES ('home_opened', ?, ?, 'ok', 3, 1, 0, 0)`,
        stored(minutesAgo(2)),
        stored(minutesAgo(1)),
      ],
    ]);
    const latest = await open();
    expect(customerReads()).toEqual([]);
    expect(latest.sync).toEqual({ kind: 'ok', finishedAt: minutesAgo(1), created: 1, running: false });
  });

  it('a CRM write by another instance shows on the next open', async () => {
    await open();
    customerReads();
    asAnotherInstance([[`UPDATE "Lead" SET "stage" = 'contacted' WHERE "customerId" = 'B'`]]);
    const after = await open();
    expect(customerReads().length).toBeGreaterThan(0);
    expect(stage(after, 'lead').count).toBe(2);
    expect(stage(after, 'contacted').leads.map((l) => l.name)).toEqual(['Bravo']);
    // A settings change from there too (the stage labels are shared as well).
    asAnotherInstance([
      [
        `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('stage_labels', ?, ?)`,
        JSON.stringify({ ...Object.fromEntries(STAGES.map((s) => [s.slug, s.label])), contacted: 'Called' }),
        stored(NOW),
      ],
    ]);
    expect((await open()).stageLabels.contacted).toBe('Called');
  });

  it('never serves what a reader saw of a transaction that was then rolled back', async () => {
    await open();
    // A reader on this process's connection sees a transaction's writes before they commit
    // (Prisma's connection is one): Home opened meanwhile shows the lead at its trial order.
    const refused = db.prisma.$transaction(async (tx) => {
      await tx.lead.update({ where: { customerId: 'B' }, data: { stage: 'trial_order' } });
      expect(stage(await open(), 'trial_order').leads.map((l) => l.name)).toEqual(['Bravo']);
      throw new Error('refused');
    });
    await expect(refused).rejects.toThrow('refused');
    // The same number of writes again, committed this time: the pipeline shows this one.
    await db.prisma.lead.update({ where: { customerId: 'B' }, data: { stage: 'negotiation' } });
    const after = await open();
    expect(stage(after, 'trial_order').count).toBe(0);
    expect(stage(after, 'negotiation').leads.map((l) => l.name)).toEqual(['Bravo']);
  });

  it('a restored export keeps its counters: writes after it change the version, bookkeeping does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-version-'));
    const target = tempSqliteUrl();
    try {
      const file = join(dir, 'crm-data.json');
      writeFileSync(file, JSON.stringify(await exportCrmData(db.prisma, NOW)));
      await restoreFromFile({ file, databaseUrl: target.url, now: NOW });
      // The import leaves the triggers off while its rows go in, and as the migrations make them after.
      const path = sqlitePath(target.url);
      expect(
        differencesFromMigrations(
          path,
          knownMigrations('sqlite').map((m) => m.name),
        ),
      ).toEqual([]);
      const restored = openDatabase(target.url);
      try {
        const before = await dataVersion(restored);
        expect(before).not.toBeNull();
        asAnotherInstance([
          [`INSERT INTO "SeenSlackRequest" ("key", "expiresAt") VALUES ('sig:v0=x', ?)`, stored(NOW)],
        ]);
        expect(await dataVersion(restored)).toBe(before);
        asAnotherInstance([[`UPDATE "Lead" SET "ownerId" = NULL WHERE "customerId" = 'A'`]], target.url);
        expect(await dataVersion(restored)).not.toBe(before);
      } finally {
        await restored.close();
      }
    } finally {
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every table: counted into a version, or left out as bookkeeping or per reader', () => {
    const counted = Object.values(DATA_VERSION_TABLES).flat();
    expect([...counted, ...DATA_VERSION_NOT_COUNTED].sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });
});
