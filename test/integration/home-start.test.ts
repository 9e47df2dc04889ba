import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { loadHomeData } from '../../src/domain/home-data';
import { PipelineCache } from '../../src/domain/pipeline';
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

  const open = (userId: string) =>
    loadHomeData(
      {
        db,
        config,
        clock: new ManualClock(NOW),
        production: null,
        pipelineCache: new PipelineCache(),
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

  it('reads the agenda preference with it: the team’s time until they set their own, and off when they turn it off', async () => {
    expect((await open(NEWCOMER)).agenda).toMatchObject({ enabled: true, timeOfDay: null, teamTime: '08:30' });
    await db.prisma.agendaPreference.create({ data: { userId: NEWCOMER, enabled: false, timeOfDay: '07:15' } });
    expect((await open(NEWCOMER)).agenda).toMatchObject({ enabled: false, timeOfDay: '07:15' });
    expect((await open(OWNER)).agenda).toMatchObject({ enabled: true, timeOfDay: null });
  });
});
