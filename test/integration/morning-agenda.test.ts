import { ManualClock } from '../../src/clock';
import type { AppDeps } from '../../src/deps';
import { setAgendaEnabled, setAgendaTime } from '../../src/domain/agenda/preferences';
import { updateSetting } from '../../src/domain/settings';
import { DEFAULT_AGENDA_DELIVERY, deliverMorningAgendas } from '../../src/jobs/morning-agenda';
import { migratedDatabaseUrl, type Provider } from '../support/databases';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { dmsTo, instanceDeps, slackClient } from '../support/follow-up-fixtures';
import { visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

const DUBAI = 'U0AMDXB01';
const LA = 'U0AMLAX01';
const EARLY = 'U0AMEARLY';
const OFF = 'U0AMOFF01';
const GUEST = 'U0AMGUEST';
const MANAGER = 'U0MANAGR1';
const IDLE = 'U0AMIDLE1';

const options = { ...DEFAULT_AGENDA_DELIVERY, maxPerSecond: 1000 };

describe.each<Provider>(['sqlite', 'postgres'])('the morning agenda on %s', (provider) => {
  let slack: FakeSlack;
  let deps: AppDeps;
  let clock: ManualClock;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    slack = await startFakeSlack();
    const target = await migratedDatabaseUrl(provider);
    // Monday 30 November 2026.
    clock = new ManualClock('2026-11-30T00:00:00Z');
    deps = instanceDeps(target.url, clock);
    cleanup = async () => {
      await deps.db.close();
      await slack.close();
      await target.cleanup();
    };
    const p = deps.db.prisma;
    slack.addUser({ id: DUBAI, tz: 'Asia/Dubai' });
    slack.addUser({ id: LA, tz: 'America/Los_Angeles' });
    slack.addUser({ id: EARLY, tz: 'Asia/Dubai' });
    slack.addUser({ id: OFF, tz: 'Asia/Dubai' });
    slack.addUser({ id: GUEST, tz: 'Asia/Dubai', is_restricted: true });
    slack.addUser({ id: MANAGER, tz: 'Asia/Dubai' });
    slack.addUser({ id: IDLE, tz: 'Asia/Dubai' });
    await p.rosterMember.createMany({
      data: [
        ...[DUBAI, LA, EARLY, OFF, GUEST, IDLE].map((userId) => ({ userId, role: 'account_manager' })),
        { userId: MANAGER, role: 'manager' },
      ],
    });
    // Everyone but IDLE owns a customer who ordered on Friday and was never contacted.
    for (const owner of [DUBAI, LA, EARLY, OFF, GUEST, MANAGER]) {
      await seedLead(p, {
        customerId: `C-${owner}`,
        name: `<!here> Customer of ${owner}`,
        ownerId: owner,
        lastOrderAt: new Date('2026-11-27T10:00:00Z'),
        lifetimeUsdCents: 1_234_56n,
      });
    }
    // The zones come from users.info, cached as a Home open would have.
    const now = clock.now();
    await p.slackUserCache.createMany({
      data: [DUBAI, EARLY, OFF, GUEST, MANAGER, IDLE]
        .map((userId) => ({ userId, tz: 'Asia/Dubai', fetchedAt: now }))
        .concat([{ userId: LA, tz: 'America/Los_Angeles', fetchedAt: now }]),
    });
    await setAgendaTime(p, clock, EARLY, '07:00');
    await setAgendaEnabled(p, clock, OFF, false);
  });
  afterEach(async () => cleanup());

  const tick = async (at: string) => {
    clock.set(at);
    return deliverMorningAgendas(deps, slackClient(slack), options);
  };
  const recipients = () => [...new Set(slack.callsTo('chat.postMessage').map((c) => String(c.args.channel)))].sort();

  it('goes out at each person’s time in their own zone, once a day, skipped when empty, never to those without access', async () => {
    // 03:00 UTC is 07:00 in Dubai: only the one who chose 07:00.
    await tick('2026-11-30T03:00:30Z');
    expect(recipients()).toEqual([EARLY]);
    // 04:30 UTC is 08:30 in Dubai, the team's time; in Los Angeles it is still Sunday evening.
    const report = await tick('2026-11-30T04:30:30Z');
    expect(recipients()).toEqual([DUBAI, EARLY].sort());
    // The guest is refused access, the idle one had nothing to say (skipped, recorded as empty).
    expect(report).toMatchObject({ claimed: 3, sent: 1, skipped: 1 });
    const rows = await deps.db.prisma.agendaDelivery.findMany({ orderBy: { userId: 'asc' } });
    expect(rows.map((r) => [r.userId, r.day, r.status])).toEqual(
      [
        [DUBAI, '2026-11-30', 'sent'],
        [EARLY, '2026-11-30', 'sent'],
        [GUEST, '2026-11-30', 'failed'],
        [IDLE, '2026-11-30', 'empty'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    // Every later minute of the day changes nothing.
    await tick('2026-11-30T04:31:30Z');
    await tick('2026-11-30T06:00:00Z');
    expect(dmsTo(slack, DUBAI)).toHaveLength(1);
    // 16:30 UTC is 08:30 on Monday in Los Angeles.
    await tick('2026-11-30T16:30:30Z');
    expect(recipients()).toEqual([DUBAI, EARLY, LA].sort());
    expect(dmsTo(slack, OFF)).toHaveLength(0);
    expect(dmsTo(slack, MANAGER)).toHaveLength(0);
  });

  it('the DM lists the day’s work in the recipient’s zone, escaped, with buttons to act', async () => {
    await tick('2026-11-30T04:30:30Z');
    const [dm] = dmsTo(slack, DUBAI);
    const text = visibleText({ blocks: dm!.args.blocks });
    expect(dm!.args.text).toMatch(/^Good morning: who to call today: /);
    expect(text).toContain('*Yours* on 2026-11-30');
    expect(text).toContain('&lt;!here&gt; Customer of U0AMDXB01* · $1,234.56 lifetime · ordered 2026-11-27');
    expect(text).not.toContain('<!here>');
    expect(JSON.stringify(dm!.args.blocks)).toContain('"action_id":"today_open_lead"');
    expect(dm!.args.metadata).toEqual({
      event_type: 'crm_morning_agenda',
      event_payload: { user_id: DUBAI, day: '2026-11-30' },
    });
  });

  it('not on a day the admins left out, nor to anyone when they set no workday', async () => {
    await updateSetting(deps.db.prisma, deps.config, clock, 'UADMIN', 'agenda_schedule', {
      time: '08:30',
      workdays: [2, 3, 4, 5],
    });
    await tick('2026-11-30T04:30:30Z');
    expect(recipients()).toEqual([]);
    // Tuesday: the team's 08:30, and the 07:00 one an hour and a half late (within the catch-up).
    await tick('2026-12-01T04:30:30Z');
    expect(recipients()).toEqual([DUBAI, EARLY].sort());
    await updateSetting(deps.db.prisma, deps.config, clock, 'UADMIN', 'agenda_schedule', {
      time: '08:30',
      workdays: [],
    });
    await tick('2026-12-02T04:30:30Z');
    expect(dmsTo(slack, DUBAI)).toHaveLength(1);
  });

  it('a late start still sends it within three hours, and not after', async () => {
    await tick('2026-11-30T07:29:00Z');
    expect(recipients()).toContain(DUBAI);
    slack.reset();
    await tick('2026-12-01T07:31:00Z');
    expect(dmsTo(slack, DUBAI)).toHaveLength(0);
  });
});
