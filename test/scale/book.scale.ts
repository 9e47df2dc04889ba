/**
 * The scale tier: a real team's book (50,000 customers with orders in all 11 markets, 200
 * roster members, 10,000 follow-ups), loaded through the app's own sync from the fake
 * Metabase, then every `/crm` subcommand, both exports, the digest, a follow-up batch,
 * removing an account manager, a backup and its restore, and the JSON export imported back,
 * each checked against the book (row counts and totals equal). SQLite, the default database.
 *
 * Run with `npm run test:scale` (its own jest config: too long for the unit suite's budget).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { takeManualBackup } from '../../src/backup/manual-backup';
import { restoreFromFile } from '../../src/backup/restore';
import { ManualClock } from '../../src/clock';
import { MAX_SEARCH_LENGTH } from '../../src/common/limits';
import { openDatabase, sqlitePath } from '../../src/db/client';
import { sumLifetimeUsd as sumCustomersLifetimeUsd } from '../../src/db/lead-aggregates';
import { CRM_DATA_EXPORT_AUDIT_KEY } from '../../src/domain/crm-data';
import { listFollowUpsForOwner } from '../../src/domain/follow-ups/listing';
import { HOME_FOLLOW_UPS_SHOWN } from '../../src/domain/home-data';
import { removeMember } from '../../src/domain/roster';
import { DEFAULT_FOLLOW_UP_DELIVERY, followUpJob } from '../../src/jobs/follow-up-job';
import { tempSqliteUrl } from '../support/databases';
import { type FakeMetabase, startFakeMetabase } from '../support/fake-metabase';
import { type FakeSlackFiles, fakeFilesOf } from '../support/fake-slack-files';
import { startTestApp, type TestApp } from '../support/harness';
import { visibleText } from '../support/lead-e2e';
import { parseRfc4180 } from '../support/rfc4180';
import { expectedBook, scaleCustomerId, scaleCustomerRows, scaleRoster } from '../support/scale-book';

const CUSTOMERS = 50_000;
const FOLLOW_UPS = 10_000;
/** Follow-ups of the account manager who is removed: thousands, all paused at once. */
const LEAVER_FOLLOW_UPS = 3_000;
const DUE_NOW = 400;
const CUSTOMERS_CARD = 11;
const ORDERS_CARD = 12;
const HOUR = 3_600_000;

const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const roster = scaleRoster();
const ADMIN = roster.admins[0]!;
const MANAGER = roster.managers[0]!;
const LEAVER = roster.accountManagers[0]!;
const AM = roster.accountManagers[1]!;

const rows = scaleCustomerRows(CUSTOMERS, NOW);
const book = expectedBook(rows);

let mb: FakeMetabase;
let t: TestApp;
let files: FakeSlackFiles;
const dir = mkdtempSync(join(tmpdir(), 'crm-scale-'));
const prisma = () => t.deps.db.prisma;

let commands = 0;

/** `/crm <text>` as `userId`; the first `count` replies to this command, as text. */
async function crm(userId: string, text: string, count = 1): Promise<string[]> {
  commands += 1;
  const id = `scale${commands}`;
  const res = await t.driver.crm(userId, text, { response_url: t.slack.responseUrl(id) });
  expect(res.status).toBe(200);
  const mine = () => t.slack.responses.filter((r) => r.id === id);
  await t.slack.waitFor(() => (mine().length >= count ? true : undefined), `${count} publishes`);
  return mine()
    .slice(0, count)
    .map((r) => visibleText(r.body));
}

async function sumLifetimeUsd(p: ReturnType<typeof prisma>): Promise<bigint> {
  return (await sumCustomersLifetimeUsd(p, {})).usdCents;
}

/** Cents of a CSV "Lifetime USD" cell ("1234.56"). */
const cents = (text: string) => BigInt(text.replace('.', ''));

beforeAll(async () => {
  mb = await startFakeMetabase({ apiKey: 'scale-key', customersCardId: CUSTOMERS_CARD, ordersCardId: ORDERS_CARD });
  mb.setCustomers(rows);
  mb.setOrders(scaleCustomerId(1), [
    { order_id: 'SO-1', created_at: NOW, market: 'AE', currency: 'AED', total: '1250.00', status: 'delivered' },
  ]);
  t = await startTestApp({
    clock: new ManualClock(NOW.toISOString()),
    env: {
      CRM_ADMINS: roster.admins.join(','),
      CRM_MANAGERS: roster.managers.join(','),
      CRM_ACCOUNT_MANAGERS: roster.accountManagers.join(','),
      METABASE_URL: mb.url,
      METABASE_API_KEY: 'scale-key',
      METABASE_CUSTOMERS_CARD_ID: String(CUSTOMERS_CARD),
      METABASE_ORDERS_CARD_ID: String(ORDERS_CARD),
    },
  });
  files = fakeFilesOf(t.slack);
  for (const id of [...roster.admins, ...roster.managers, ...roster.accountManagers])
    t.slack.addUser({ id, tz: 'Asia/Dubai', real_name: `Person ${id}` });
});

afterAll(async () => {
  await t?.stop();
  await mb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`a book of ${CUSTOMERS.toLocaleString('en-US')} customers`, () => {
  it('is loaded by the app’s own sync from Metabase: every customer, every currency, every market, the USD total exact', async () => {
    const [working, reply] = await crm(ADMIN, 'sync', 2);
    expect(working).toContain('Syncing leads from production');
    expect(reply).not.toMatch(/something went wrong/i);
    expect(await prisma().lead.count()).toBe(book.customers);
    expect(await prisma().customerFigures.count()).toBe(book.customers);
    expect(await prisma().customerCurrencyTotal.count()).toBe(book.currencyTotals);
    const markets = await prisma().customerCurrencyTotal.findMany({ distinct: ['market'], select: { market: true } });
    expect(new Set(markets.map((m) => m.market))).toEqual(book.markets);
    expect(book.markets.size).toBe(11);
    expect(await sumLifetimeUsd(prisma())).toBe(book.usdCents);
  });

  it('takes on a team’s work: owners, stages and 10,000 follow-ups', async () => {
    // Leads 1..40,000 owned in blocks by the account managers; the rest unowned. Stages in blocks.
    const leads = await prisma().lead.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 1, skip: 0 });
    const first = leads[0]!.id;
    const perOwner = Math.floor(40_000 / roster.accountManagers.length);
    for (const [k, ownerId] of roster.accountManagers.entries()) {
      await prisma().lead.updateMany({
        where: { id: { gte: first + k * perOwner, lt: first + (k + 1) * perOwner } },
        data: { ownerId },
      });
    }
    const stages = ['contacted', 'negotiation', 'trial_order', 'active_account', 'churned'];
    for (const [k, stage] of stages.entries()) {
      await prisma().lead.updateMany({
        where: { id: { gte: first + k * 4_000, lt: first + (k + 1) * 4_000 } },
        data: { stage },
      });
    }
    const followUp = (n: number) => {
      const ownerId = n < LEAVER_FOLLOW_UPS ? LEAVER : roster.accountManagers[1 + (n % 189)]!;
      const due = n >= FOLLOW_UPS - DUE_NOW;
      return {
        leadId: first + (n % CUSTOMERS),
        ownerId,
        message: `Call about order ${n}`,
        kind: 'every_weeks',
        interval: 2,
        timeOfDay: '09:00',
        timeZone: 'Asia/Dubai',
        startDate: '2026-01-05',
        nextDueAt: new Date(NOW.getTime() + (due ? -HOUR : (1 + (n % 300)) * HOUR * 24)),
        active: true,
        createdBy: ownerId,
      };
    };
    for (let n = 0; n < FOLLOW_UPS; n += 50) {
      await prisma().followUpAlert.createMany({
        data: Array.from({ length: Math.min(50, FOLLOW_UPS - n) }, (_, i) => followUp(n + i)),
      });
    }
    expect(await prisma().followUpAlert.count({ where: { active: true } })).toBe(FOLLOW_UPS);
    expect(await prisma().lead.count({ where: { ownerId: AM } })).toBe(perOwner);
  });

  describe('every /crm subcommand answers', () => {
    it('help, find (a name, a text matching every customer, a text too long), lead, orders', async () => {
      const [help] = await crm(MANAGER, 'help');
      for (const name of [
        'find',
        'lead',
        'orders',
        'uncontacted',
        'mine',
        'stage',
        'note',
        'remind',
        'digest',
        'export',
      ])
        expect(help).toContain(`/crm ${name}`);
      const [one] = await crm(MANAGER, 'find Scale Trading 4242');
      expect(one).toContain(scaleCustomerId(4242));
      const [all] = await crm(MANAGER, 'find scale trading');
      expect(all).toContain(`${book.customers} leads match`);
      const [long] = await crm(MANAGER, `find ${'scale '.repeat(10_000)}`);
      expect(long).toContain(`Search text can be at most ${MAX_SEARCH_LENGTH} characters`);
      const [card] = await crm(MANAGER, `lead ${scaleCustomerId(7)}`);
      expect(card).toContain('Scale Trading 7');
      const [orders] = await crm(MANAGER, `orders ${scaleCustomerId(1)}`);
      expect(orders).toContain('SO-1');
    });

    it('uncontacted and mine count what the book holds', async () => {
      const since = new Date(NOW.getTime() - 90 * 24 * HOUR);
      const uncontacted = await prisma().lead.count({
        where: { lastTouchAt: null, customer: { lastOrderAt: { gte: since } } },
      });
      expect(uncontacted).toBeGreaterThan(10_000);
      const [list] = await crm(MANAGER, 'uncontacted');
      expect(list.replace(/,/g, '')).toContain(String(uncontacted));
      const [mine] = await crm(AM, 'mine');
      expect(mine).not.toMatch(/something went wrong/i);
      expect(mine).toContain('Scale Trading');
    });

    it('stage, note (a name of three words, one look-up), remind change or open what they name', async () => {
      const lead = await prisma().lead.findUniqueOrThrow({ where: { customerId: scaleCustomerId(40_010) } });
      await crm(AM, `stage ${scaleCustomerId(40_010)} negotiation`);
      expect((await prisma().lead.findUniqueOrThrow({ where: { id: lead.id } })).stage).toBe('negotiation');
      const [saved] = await crm(AM, 'note Scale Trading 40011 asked for a quote on 40 pallets');
      expect(saved).toMatch(/^Note saved on \*Scale Trading 40011\* /);
      const note = await prisma().activity.findFirstOrThrow({
        where: { kind: 'note', lead: { customerId: scaleCustomerId(40_011) } },
      });
      expect(note.text).toBe('asked for a quote on 40 pallets');
      const opened = t.slack.callsTo('views.open').length;
      const res = await t.driver.crm(AM, `remind ${scaleCustomerId(40_012)}`);
      expect(res.status).toBe(200);
      await t.slack.waitFor(() => (t.slack.callsTo('views.open').length > opened ? true : undefined), 'a views.open');
      expect(JSON.stringify(t.slack.callsTo('views.open').at(-1)!.args.view)).toContain('follow_up');
    });

    it('digest, sync and doctor', async () => {
      const [digest] = await crm(MANAGER, 'digest');
      expect(digest).not.toMatch(/something went wrong/i);
      // The pipeline's stage counts add up to the book.
      const pipeline = digest.slice(digest.indexOf('*Pipeline*'), digest.indexOf('*Not contacted yet'));
      const counts = [...pipeline.matchAll(/: ([\d,]+) leads/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
      expect(counts).toHaveLength(6);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(book.customers);
      const [, sync] = await crm(ADMIN, 'sync', 2);
      expect(sync).not.toMatch(/something went wrong/i);
      expect(await prisma().lead.count()).toBe(book.customers);
      const [doctor] = await crm(ADMIN, 'doctor');
      expect(doctor).not.toMatch(/something went wrong/i);
    });
  });

  it('a manager’s CSV export holds every lead once, with the book’s USD total', async () => {
    files.reset();
    const [done] = await crm(MANAGER, 'export');
    expect(done).toMatch(/is in your messages with the CRM app/);
    const file = files.shared.find((f) => f.filename.endsWith('.csv'));
    const table = parseRfc4180(file!.bytes!.toString('utf8').slice(1));
    const [header, ...body] = table;
    expect(body).toHaveLength(book.customers);
    const ids = new Set(body.map((r) => r[0]));
    expect(ids.size).toBe(book.customers);
    const usd = header!.indexOf('Lifetime USD');
    expect(body.reduce((sum, r) => sum + cents(r[usd]!), 0n)).toBe(book.usdCents);
    for (const [, currency] of [
      ['AE', 'AED'],
      ['KW', 'KWD'],
      ['US', 'USD'],
    ])
      expect(header).toContain(`Lifetime ${currency}`);
    const withFollowUp = body.filter((r) => r[header!.length - 1] !== '').length;
    const leadsWithFollowUp = await prisma().followUpAlert.findMany({
      where: { active: true },
      distinct: ['leadId'],
      select: { leadId: true },
    });
    expect(withFollowUp).toBe(leadsWithFollowUp.length);
  });

  it('an account manager’s CSV export holds exactly their leads', async () => {
    files.reset();
    const [done] = await crm(AM, 'export');
    expect(done).toMatch(/is in your messages with the CRM app/);
    const file = files.shared.find((f) => f.filename.endsWith('.csv'));
    const body = parseRfc4180(file!.bytes!.toString('utf8').slice(1)).slice(1);
    expect(body).toHaveLength(await prisma().lead.count({ where: { ownerId: AM } }));
  });

  it('the CRM-data JSON export imports back into an empty database with the same rows and totals', async () => {
    files.reset();
    const [, done] = await crm(ADMIN, 'export crm-data', 2);
    expect(done).toMatch(/^:white_check_mark: Sent to your direct messages/);
    const file = join(dir, 'crm-data.json');
    writeFileSync(file, files.shared.find((f) => f.filename.endsWith('.json'))!.bytes!);
    const audit = await prisma().auditEntry.count({ where: { setting: CRM_DATA_EXPORT_AUDIT_KEY } });
    expect(audit).toBe(1);
    const target = tempSqliteUrl();
    try {
      const report = await restoreFromFile({ file, databaseUrl: target.url, now: NOW });
      expect(report.rowCounts.Lead).toBe(book.customers);
      expect(report.rowCounts.FollowUpAlert).toBe(FOLLOW_UPS);
      const copy = openDatabase(target.url);
      try {
        expect(await copy.prisma.lead.count()).toBe(book.customers);
        expect(await copy.prisma.customerCurrencyTotal.count()).toBe(book.currencyTotals);
        expect(await copy.prisma.followUpAlert.count()).toBe(FOLLOW_UPS);
        expect(await copy.prisma.activity.count()).toBe(await prisma().activity.count());
        expect(await sumLifetimeUsd(copy.prisma)).toBe(book.usdCents);
      } finally {
        await copy.close();
      }
    } finally {
      await target.cleanup();
    }
  });

  it('a follow-up batch sends every due follow-up once', async () => {
    const client = t.server.built.app.client;
    const before = t.slack.callsTo('chat.postMessage').length;
    await followUpJob({ ...DEFAULT_FOLLOW_UP_DELIVERY, maxPerSecond: 5_000, concurrency: 8 }).run(t.deps, client);
    expect(t.slack.callsTo('chat.postMessage').length - before).toBe(DUE_NOW);
    expect(await prisma().alertDelivery.count({ where: { status: 'sent' } })).toBe(DUE_NOW);
  });

  it('an account manager with thousands of follow-ups sees every one counted in My follow-ups, soonest first', async () => {
    const list = await listFollowUpsForOwner(prisma(), LEAVER, NOW, HOME_FOLLOW_UPS_SHOWN);
    expect({ overdue: list.overdue, upcoming: list.upcoming }).toEqual({ overdue: 0, upcoming: LEAVER_FOLLOW_UPS });
    expect(list.items).toHaveLength(HOME_FOLLOW_UPS_SHOWN);
    // Ten of theirs fall due first, a day from now.
    expect(list.items.map((i) => i.at)).toEqual(Array(HOME_FOLLOW_UPS_SHOWN).fill(new Date(NOW.getTime() + 24 * HOUR)));
  });

  it('removing an account manager pauses all of their thousands of follow-ups, with one notice', async () => {
    const theirs = await prisma().followUpAlert.count({ where: { ownerId: LEAVER, active: true } });
    expect(theirs).toBe(LEAVER_FOLLOW_UPS);
    await removeMember(prisma(), t.deps.clock, ADMIN, LEAVER);
    expect(await prisma().followUpAlert.count({ where: { ownerId: LEAVER, active: true } })).toBe(0);
    expect(await prisma().followUpAlert.count({ where: { active: true } })).toBe(FOLLOW_UPS - LEAVER_FOLLOW_UPS);
    const notices = await prisma().adminNotice.findMany({ where: { text: { contains: LEAVER } } });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain(`"count":${LEAVER_FOLLOW_UPS}`);
  });

  it('a backup restores to the same rows and totals', async () => {
    const backups = join(dir, 'backups');
    const result = await takeManualBackup({
      databaseUrl: t.databaseUrl,
      target: { databasePath: sqlitePath(t.databaseUrl), dir: backups, retention: { daily: 7, weekly: 4 } },
      clock: t.deps.clock,
      logger: t.deps.logger,
    });
    if (result.status !== 'good') throw new Error(`backup failed: ${result.error}`);
    const target = tempSqliteUrl();
    try {
      await restoreFromFile({ file: result.path, databaseUrl: target.url, now: NOW });
      const copy = openDatabase(target.url);
      try {
        expect(await copy.prisma.lead.count()).toBe(book.customers);
        expect(await copy.prisma.followUpAlert.count()).toBe(FOLLOW_UPS);
        expect(await copy.prisma.followUpAlert.count({ where: { active: true } })).toBe(FOLLOW_UPS - LEAVER_FOLLOW_UPS);
        expect(await sumLifetimeUsd(copy.prisma)).toBe(book.usdCents);
      } finally {
        await copy.close();
      }
    } finally {
      await target.cleanup();
    }
  });
});
