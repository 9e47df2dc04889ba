import { Client } from 'pg';
import {
  type Database as CrmDatabase,
  openDatabase,
  postgresConnectionString,
  postgresSchemaOf,
} from '../../src/db/client';
import { beat } from '../../src/db/instance-heartbeat';
import { markSlackRequestSeen } from '../../src/db/seen-slack-requests';
import { DATA_VERSION_TABLES } from '../../src/db/sqlite-data-version';
import { openTestDatabase } from '../support/databases';
import { minutesAgo, NOW, type SharedHome, sharedHome, stageOf } from '../support/shared-home-reads';

/**
 * On PostgreSQL, Home readers share what everyone sees alike per version of the CRM data, made
 * from transaction snapshots and the writing transactions' ids that triggers note
 * (src/db/postgres-data-version.ts): what ended since the last read changes the version only
 * if it wrote CRM data, whoever wrote it.
 */
describe('the data version Home readers share, on PostgreSQL', () => {
  let db: CrmDatabase;
  let url: string;
  let cleanup: () => Promise<void>;
  let home: SharedHome;
  const others: Client[] = [];

  beforeEach(async () => {
    ({ db, url, cleanup } = await openTestDatabase('postgres'));
    home = await sharedHome(db);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(others.splice(0).map((c) => c.end()));
    await cleanup();
  });

  const open = () => home.open();
  /** The pipeline's stage pages and the shared "today" lists all read the customers' figures. */
  const customerReads = () => home.customerReads();
  const stage = stageOf;

  /** A connection of its own to the same schema, as another instance or a person with psql has. */
  async function anotherConnection(): Promise<Client> {
    const other = new Client({
      connectionString: postgresConnectionString(url),
      options: `-c search_path="${postgresSchemaOf(url)}" -c lock_timeout=20s`,
    });
    others.push(other);
    await other.connect();
    return other;
  }

  it('another instance’s bookkeeping, and an outside update of the sync’s records, keep the shared pipeline; the sync line still shows it', async () => {
    const first = await open();
    expect(stage(first, 'lead').count).toBe(3);
    expect(first.sync).toEqual({ kind: 'ok', finishedAt: minutesAgo(30), created: 3, running: false });
    expect(customerReads().length).toBeGreaterThan(0);

    // Another instance: its heartbeat (with the pruning it does) and a Slack request it acted on, on its own side connection.
    const instance = openDatabase(url);
    try {
      await beat(instance, 'other', NOW);
      expect(await markSlackRequestSeen(instance, 'sig:v0=other', minutesAgo(-5), NOW)).toBe(true);
    } finally {
      await instance.close();
    }
    // Someone making a sync due by hand, in a transaction with a lease of their own.
    const psql = await anotherConnection();
    await psql.query('BEGIN');
    await psql.query(
      `INSERT INTO "JobLease" ("name", "holder", "expiresAt", "updatedAt") VALUES ('by-hand', 'me', $1, $2)`,
      [minutesAgo(-1).toISOString(), NOW.toISOString()],
    );
    await psql.query(`UPDATE "SyncRun" SET "startedAt" = $1, "finishedAt" = $2`, [
      minutesAgo(91).toISOString(),
      minutesAgo(90).toISOString(),
    ]);
    await psql.query('COMMIT');

    const second = await open();
    expect(customerReads()).toEqual([]);
    expect(stage(second, 'lead').count).toBe(3);
    // Home's sync line has a version of its own: the change shows at once.
    expect(second.sync).toEqual({ kind: 'ok', finishedAt: minutesAgo(90), created: 3, running: false });

    // This process's own bookkeeping keeps it too.
    await beat(db, 'this', NOW);
    await open();
    expect(customerReads()).toEqual([]);
  });

  it('a CRM write by another instance shows on the next open; one rolled back changes nothing', async () => {
    await open();
    customerReads();
    // A stage change that another connection makes, then takes back.
    const psql = await anotherConnection();
    await psql.query('BEGIN');
    await psql.query(`UPDATE "Lead" SET "stage" = 'trial_order' WHERE "customerId" = 'B'`);
    await psql.query('ROLLBACK');
    const unchanged = await open();
    expect(customerReads()).toEqual([]);
    expect(stage(unchanged, 'trial_order').count).toBe(0);
    expect(stage(unchanged, 'lead').count).toBe(3);

    // Another instance changes a stage.
    const instance = openDatabase(url);
    try {
      await instance.prisma.lead.update({ where: { customerId: 'B' }, data: { stage: 'contacted' } });
    } finally {
      await instance.close();
    }
    const after = await open();
    expect(customerReads().length).toBeGreaterThan(0);
    expect(stage(after, 'lead').count).toBe(2);
    expect(stage(after, 'contacted').leads.map((l) => l.name)).toEqual(['Bravo']);
  });

  it('a CRM write whose note the heartbeat pruned before the next open still shows', async () => {
    await open();
    const psql = await anotherConnection();
    await psql.query(`UPDATE "Lead" SET "stage" = 'negotiation' WHERE "customerId" = 'C'`);
    const count = async () => (await psql.query('SELECT COUNT(*)::int AS "n" FROM "DataWrite"')).rows[0].n as number;
    expect(await count()).toBeGreaterThan(0);
    // Heartbeats ten minutes apart: the second prunes below the first's snapshot, the write's note with it.
    await beat(db, 'this', NOW);
    await beat(db, 'this', new Date(NOW.getTime() + 10 * 60_000));
    expect(await count()).toBe(0);
    const after = await open();
    expect(stage(after, 'negotiation').leads.map((l) => l.name)).toEqual(['Charlie']);
  });

  it('two writers of leads whose transactions cross do not wait on each other for the noted writes', async () => {
    const one = await anotherConnection();
    const two = await anotherConnection();
    await one.query('BEGIN');
    await two.query('BEGIN');
    // Each has written CRM data (and noted it) and holds its lead; neither waits for the other.
    await one.query(`UPDATE "Lead" SET "stage" = 'contacted' WHERE "customerId" = 'A'`);
    await two.query(`UPDATE "Lead" SET "stage" = 'contacted' WHERE "customerId" = 'C'`);
    // One goes on to the lead the other holds, and waits for it to commit: a wait, not a deadlock.
    const crossing = one.query(`UPDATE "Lead" SET "stage" = 'negotiation' WHERE "customerId" = 'C'`);
    await two.query(`UPDATE "Lead" SET "stage" = 'negotiation' WHERE "customerId" = 'B'`);
    await two.query('COMMIT');
    await crossing;
    await one.query('COMMIT');
    const shown = await open();
    expect(
      stage(shown, 'negotiation')
        .leads.map((l) => l.name)
        .sort(),
    ).toEqual(['Bravo', 'Charlie']);
    expect(stage(shown, 'contacted').leads.map((l) => l.name)).toEqual(['Alpha']);
  });

  it('notes the writes of exactly the tables whose data the versions cover', async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ table: string; concern: string }[]>(
      `SELECT CAST(c.relname AS TEXT) AS "table", encode(t.tgargs, 'escape') AS "concern" FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE 'DataWrite\\_%' AND c.relnamespace = to_regnamespace(current_schema())`,
    );
    const noted = Object.fromEntries(
      (['crm', 'sync'] as const).map((k) => [
        k,
        rows
          .filter((r) => r.concern.startsWith(k))
          .map((r) => r.table)
          .sort(),
      ]),
    );
    expect(noted).toEqual({ crm: [...DATA_VERSION_TABLES.crm].sort(), sync: [...DATA_VERSION_TABLES.sync].sort() });
  });
});
