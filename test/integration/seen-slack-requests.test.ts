import Database from 'better-sqlite3';
import { Client } from 'pg';
import { POSTGRES_POOL_SIZE, postgresConnectionString, postgresSchemaOf, sqlitePath } from '../../src/db/client';
import { beat, liveInstances } from '../../src/db/instance-heartbeat';
import { dataVersion } from '../../src/db/pipeline/pipeline-sql';
import { forgetSlackRequest, markSlackRequestSeen, purgeExpiredSlackRequests } from '../../src/db/seen-slack-requests';
import { createLogger } from '../../src/logger';
import { SlackRequestGuard } from '../../src/slack/runtime/request-guard';
import { openTestDatabase, type Provider } from '../support/databases';

const T0 = new Date('2026-12-07T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each<Provider>(['sqlite', 'postgres'])('seen Slack requests on %s', (provider) => {
  let h: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    h = await openTestDatabase(provider);
  });
  afterAll(async () => h.cleanup());

  it('marks a request once; a second mark within its window says it was seen', async () => {
    const p = h.db;
    expect(await markSlackRequestSeen(p, 'sig:v0=a', at(300), at(0))).toBe(true);
    expect(await markSlackRequestSeen(p, 'sig:v0=a', at(300), at(10))).toBe(false);
    // Two instances marking the same request at the same moment: exactly one wins.
    const both = await Promise.all([
      markSlackRequestSeen(p, 'sig:v0=b', at(300), at(0)),
      markSlackRequestSeen(p, 'sig:v0=b', at(300), at(0)),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
  });

  it('takes over a row whose window has passed, and forgets one on request', async () => {
    const p = h.db;
    expect(await markSlackRequestSeen(p, 'envelope:e1', at(60), at(0))).toBe(true);
    expect(await markSlackRequestSeen(p, 'envelope:e1', at(200), at(61))).toBe(true);
    expect(await markSlackRequestSeen(p, 'envelope:e1', at(300), at(100))).toBe(false);
    await forgetSlackRequest(p, 'envelope:e1');
    expect(await markSlackRequestSeen(p, 'envelope:e1', at(300), at(100))).toBe(true);
  });

  it('deletes only the rows whose window has passed', async () => {
    const p = h.db;
    await p.prisma.seenSlackRequest.deleteMany({});
    await markSlackRequestSeen(p, 'sig:old', at(10), at(0));
    await markSlackRequestSeen(p, 'sig:live', at(1000), at(0));
    expect(await purgeExpiredSlackRequests(p, at(500))).toBe(1);
    expect((await p.prisma.seenSlackRequest.findMany()).map((r) => r.key)).toEqual(['sig:live']);
  });

  it('the guard purges expired rows when a request comes, at most once a minute', async () => {
    const p = h.db;
    await p.prisma.seenSlackRequest.deleteMany({});
    let now = at(1000).getTime();
    const guard = new SlackRequestGuard({ db: p, logger: createLogger('silent'), now: () => now });
    const acted: string[] = [];
    const app = guard.onceOnly({ processEvent: async (e: any) => void acted.push(e.body.n) } as any);
    const event = (n: string, signature: string) => ({
      body: { n },
      ack: async () => undefined,
      customProperties: { slackSignature: signature, slackRequestTimestamp: String(now / 1000) },
    });
    await markSlackRequestSeen(p, 'sig:stale', at(900), at(600));
    await app.processEvent(event('1', 'v0=one') as any);
    await new Promise((r) => setTimeout(r, 100));
    expect(await p.prisma.seenSlackRequest.count({ where: { key: 'sig:stale' } })).toBe(0);
    await markSlackRequestSeen(p, 'sig:stale2', at(950), at(600));
    now += 30_000;
    await app.processEvent(event('2', 'v0=two') as any);
    await app.processEvent(event('2 again', 'v0=two') as any);
    await new Promise((r) => setTimeout(r, 100));
    expect(await p.prisma.seenSlackRequest.count({ where: { key: 'sig:stale2' } })).toBe(1);
    expect(acted).toEqual(['1', '2']);
  });

  it('a request coming in and the instance heartbeat leave the data version Home readers share unchanged; a CRM write changes it', async () => {
    const before = await dataVersion(h.db);
    expect(before).not.toBeNull();
    expect(
      await keepsItsVersion(async () => {
        await markSlackRequestSeen(h.db, 'sig:v0=version', at(300), at(0));
        await purgeExpiredSlackRequests(h.db, at(10_000));
        await beat(h.db, 'instance-1', T0);
        return [];
      }),
    ).toBe(true);
    // The heartbeat is there for `npm run restore` to see.
    expect((await liveInstances(h.db.prisma, T0)).map((i) => i.instanceId)).toEqual(['instance-1']);
    // Bookkeeping written while readers read (as fifty people open Home, each request marked seen) never ends it.
    let n = 0;
    expect(
      await keepsItsVersion(() =>
        Promise.all(
          Array.from({ length: 20 }, async () => {
            const [version] = await Promise.all([
              dataVersion(h.db),
              markSlackRequestSeen(h.db, `sig:v0=crowd${n++}`, at(300), at(0)),
            ]);
            return version;
          }),
        ),
      ),
    ).toBe(true);
    const unwritten = await dataVersion(h.db);
    await h.db.prisma.setting.upsert({
      where: { key: 'version_probe' },
      create: { key: 'version_probe', value: '1', updatedBy: 'U1' },
      update: { value: '2' },
    });
    const written = await dataVersion(h.db);
    expect(written).not.toBeNull();
    expect(written).not.toBe(unwritten);
    // Another process writing the same database (another instance) changes it too.
    await writeFromAnotherConnection(`UPDATE "Setting" SET "value" = '3' WHERE "key" = 'version_probe'`);
    expect(await dataVersion(h.db)).not.toBe(written);
  });

  /**
   * Whether the data version read before `work`, by the reads in it and after it is one and the
   * same (on both providers only CRM writes change it, whoever makes them: other test files
   * write other schemas of the same PostgreSQL server meanwhile).
   */
  async function keepsItsVersion(work: () => Promise<(string | null)[]>): Promise<boolean> {
    const before = await dataVersion(h.db);
    const during = await work();
    const after = await dataVersion(h.db);
    return [...during, after].every((v) => v === before);
  }

  async function writeFromAnotherConnection(sql: string): Promise<void> {
    if (provider === 'sqlite') {
      const other = new Database(sqlitePath(h.url));
      other.prepare(sql).run();
      other.close();
      return;
    }
    const other = new Client({
      connectionString: postgresConnectionString(h.url),
      options: `-c search_path="${postgresSchemaOf(h.url)}"`,
    });
    await other.connect();
    try {
      await other.query(sql);
    } finally {
      await other.end();
    }
  }

  it('marks a request while every pooled connection is taken by other work (it has a connection of its own)', async () => {
    // SQLite has one writer at a time whatever the connection: there the mark waits for the lock.
    if (provider !== 'postgres') return;
    // As when fifty people open Home at once: each of Prisma's connections is held by a transaction.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    let allStarted!: () => void;
    const allHolding = new Promise<void>((resolve) => (allStarted = resolve));
    const poolSize = POSTGRES_POOL_SIZE;
    const holders = Array.from({ length: poolSize }, () =>
      h.db.prisma.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe('SELECT 1');
          if (++started === poolSize) allStarted();
          await held;
        },
        { maxWait: 30_000, timeout: 30_000 },
      ),
    );
    await allHolding;
    try {
      expect(await markSlackRequestSeen(h.db, 'sig:v0=busy', at(300), at(0))).toBe(true);
    } finally {
      release();
      await Promise.all(holders);
    }
  });
});
