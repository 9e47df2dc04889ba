import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { loadHomeData } from '../../src/domain/home-data';
import { PipelineCache } from '../../src/domain/pipeline';
import { RECENT_ORDER_DAYS } from '../../src/domain/who-to-call';
import { openTestDatabase, type Provider } from '../support/databases';
import { seedLead } from '../support/seed-leads';

const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', LOG_LEVEL: 'silent' });
const NOW = new Date('2026-11-25T09:00:00Z');
const OWNER = 'U0OWNER01';
const NEWCOMER = 'U0NEWCOME';

/**
 * A Home open's first read (db/pipeline/pipeline-sql.ts readHomeStart) says whether the
 * reader has a lead and an active follow-up, and what their agenda preference is, so their own
 * lists are read only when something is in them: the same on both databases.
 */
describe.each<Provider>(['sqlite', 'postgres'])('a Home open for one reader on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ db, cleanup } = await openTestDatabase(provider));
    await seedLead(db.prisma, { customerId: 'O-1', name: 'Owned One', ownerId: OWNER, lastOrderAt: NOW });
    await seedLead(db.prisma, { customerId: 'U-1', name: 'Unowned One', lastOrderAt: NOW });
  });
  afterEach(async () => cleanup());

  const open = (userId: string, at = NOW, pipelineCache = new PipelineCache()) =>
    loadHomeData(
      {
        db,
        config,
        clock: new ManualClock(at),
        production: null,
        pipelineCache,
        syncRunning: () => false,
      },
      { userId, timeZone: 'UTC', isAdmin: false, canEdit: true, team: false },
    );
  const names = (data: Awaited<ReturnType<typeof open>>) => data.today.uncontacted.items.map((i) => i.name);

  it('lists a reader’s own leads and the unowned ones; someone with none gets the unowned ones, then theirs once given one', async () => {
    expect(names(await open(OWNER))).toEqual(['Owned One', 'Unowned One']);
    expect(names(await open(NEWCOMER))).toEqual(['Unowned One']);
    await db.prisma.lead.update({ where: { customerId: 'O-1' }, data: { ownerId: NEWCOMER } });
    expect(names(await open(NEWCOMER))).toEqual(['Owned One', 'Unowned One']);
    expect(names(await open(OWNER))).toEqual(['Unowned One']);
  });

  it('counts "ordered lately" from the start of the hour: a lead leaves the list on the hour after its days are up, the same for everyone in the hour', async () => {
    // Its last order turns RECENT_ORDER_DAYS old at 09:20.
    const lastOrderAt = new Date(NOW.getTime() + 20 * 60_000 - RECENT_ORDER_DAYS * 86_400_000);
    await seedLead(db.prisma, { customerId: 'L-1', name: 'Lately One', lastOrderAt });
    const cache = new PipelineCache();
    const at = (hh: number, mm: number) => new Date(Date.UTC(2026, 10, 25, hh, mm));
    expect(names(await open(NEWCOMER, at(9, 10), cache))).toContain('Lately One');
    expect(names(await open(NEWCOMER, at(9, 59), cache))).toContain('Lately One');
    expect(names(await open(NEWCOMER, at(10, 0), cache))).not.toContain('Lately One');
    // Without a shared answer, too: the window is the hour's, not the minute's.
    expect(names(await open(NEWCOMER, at(9, 59)))).toContain('Lately One');
  });

  it('reads the agenda preference with it: the team’s time until they set their own, and off when they turn it off', async () => {
    expect((await open(NEWCOMER)).agenda).toMatchObject({ enabled: true, timeOfDay: null, teamTime: '08:30' });
    await db.prisma.agendaPreference.create({ data: { userId: NEWCOMER, enabled: false, timeOfDay: '07:15' } });
    expect((await open(NEWCOMER)).agenda).toMatchObject({ enabled: false, timeOfDay: '07:15' });
    expect((await open(OWNER)).agenda).toMatchObject({ enabled: true, timeOfDay: null });
  });
});
