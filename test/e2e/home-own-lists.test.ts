import Database from 'better-sqlite3';
import { ManualClock } from '../../src/clock';
import { sqlitePath } from '../../src/db/client';
import { startTestApp, type TestApp } from '../support/harness';
import { waitForViews } from '../support/home-app';
import { ADMIN, AM, addRosterUsers, MANAGER, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

const NOW = new Date('2026-11-25T09:00:00Z');
const DAY = 86_400_000;
/** An account manager with no lead and no follow-up of their own when the tests start. */
const NEWCOMER = 'U0AMANAGE9';

/**
 * Home reads a reader's own "today" lists only when their first read says there is something
 * in them (a lead of theirs, an active follow-up of theirs): what another connection or the
 * reader gives them shows on their next open all the same.
 */
describe('Home: the reader’s own lists, for someone who had none', () => {
  let t: TestApp;
  const opened = async (n: number) => {
    await t.driver.openHome(NEWCOMER);
    const text = visibleText((await waitForViews(t.slack, NEWCOMER, n))[n - 1]!);
    // "Who to call today" and the agenda: the pipeline below lists everyone's leads.
    return text.slice(0, text.indexOf('\nPipeline\n'));
  };
  beforeAll(async () => {
    t = await startTestApp({
      env: { CRM_ADMINS: ADMIN, CRM_MANAGERS: MANAGER, CRM_ACCOUNT_MANAGERS: `${AM},${NEWCOMER}` },
      clock: new ManualClock(NOW),
    });
    addRosterUsers(t);
    t.slack.addUser({ id: NEWCOMER });
    const p = t.deps.db.prisma;
    await seedLead(p, { customerId: 'U-1', name: 'Unowned Buyer', lastOrderAt: new Date(NOW.getTime() - 2 * DAY) });
    await seedLead(p, {
      customerId: 'A-1',
      name: 'Someone Elses',
      ownerId: AM,
      lastOrderAt: new Date(NOW.getTime() - 2 * DAY),
    });
    await seedLead(p, {
      customerId: 'N-1',
      name: 'Soon Mine',
      ownerId: AM,
      lastOrderAt: new Date(NOW.getTime() - DAY),
    });
  });
  afterAll(async () => t.stop());

  it('shows a lead and a follow-up another connection gives them on their next open', async () => {
    const first = await opened(1);
    expect(first).toContain('Unowned Buyer');
    expect(first).not.toContain('Soon Mine');
    expect(first).not.toContain('Someone Elses');

    const other = new Database(sqlitePath(t.databaseUrl));
    try {
      other.prepare(`UPDATE "Lead" SET "ownerId" = ? WHERE "customerId" = 'N-1'`).run(NEWCOMER);
      const lead = other.prepare(`SELECT "id" FROM "Lead" WHERE "customerId" = 'U-1'`).get() as { id: number };
      other
        .prepare(
          `INSERT INTO "FollowUpAlert" ("leadId", "ownerId", "message", "kind", "timeOfDay", "timeZone", "startDate",
            "nextDueAt", "active", "createdBy", "createdAt", "updatedAt")
           VALUES (?, ?, 'Call about the reorder', 'once', '08:00', 'UTC', '2026-11-25', ?, 1, ?, ?, ?)`,
        )
        .run(lead.id, NEWCOMER, '2026-11-25T08:00:00.000+00:00', NEWCOMER, NOW.toISOString(), NOW.toISOString());
    } finally {
      other.close();
    }
    const second = await opened(2);
    expect(second).toContain('Soon Mine');
    expect(second).toContain('Call about the reorder');
    expect(second).not.toContain('Someone Elses');
  });

  it('shows their own agenda time, set by another instance, on their next open', async () => {
    const other = new Database(sqlitePath(t.databaseUrl));
    try {
      other
        .prepare(
          `INSERT INTO "AgendaPreference" ("userId", "enabled", "timeOfDay", "updatedAt") VALUES (?, 1, '07:15', ?)`,
        )
        .run(NEWCOMER, NOW.toISOString());
    } finally {
      other.close();
    }
    t.slack.reset();
    expect(await opened(1)).toContain('at *07:15* (UTC)');
  });
});
