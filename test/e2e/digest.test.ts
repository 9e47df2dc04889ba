import { ManualClock } from '../../src/clock';
import type { CrmPrisma } from '../../src/db/client';
import { listOpenAdminNotices } from '../../src/domain/admin-notices';
import { updateSetting } from '../../src/domain/settings';
import { runDigestJob } from '../../src/jobs/digest-job';
import { adminNoticeText } from '../../src/slack/views/admin-notice-text';
import { startTestApp, type TestApp } from '../support/harness';

const ADMIN = 'U0ADMIN01';
const MANAGER = 'U0MGR0001';
const AM = 'U0AM00001';
const env = { CRM_ADMINS: ADMIN, CRM_MANAGERS: MANAGER, CRM_ACCOUNT_MANAGERS: AM };
const CHANNEL = 'C0DIGEST1';

/** One customer that ordered recently and was never contacted: something for the digest to say. */
async function seedUncontactedBuyer(prisma: CrmPrisma, now: Date): Promise<void> {
  await prisma.customerFigures.create({
    data: {
      customerId: 'cust-1',
      name: '<!channel> Evil & Co',
      markets: 'AE',
      orderCount: 2,
      lifetimeUsdCents: 1_234_56n,
      lastOrderAt: new Date(now.getTime() - 5 * 86_400_000),
      rateDate: new Date('2026-11-20T00:00:00Z'),
      searchText: 'evil',
    },
  });
  await prisma.lead.create({ data: { customerId: 'cust-1', createdAt: new Date(now.getTime() - 30 * 86_400_000) } });
}

async function configureDigest(t: TestApp, schedule: object): Promise<void> {
  const { prisma } = t.deps.db;
  await updateSetting(prisma, t.deps.config, t.deps.clock, ADMIN, 'digest_channel', CHANNEL);
  await updateSetting(prisma, t.deps.config, t.deps.clock, ADMIN, 'digest_schedule', schedule);
}

const digestPosts = (t: TestApp) => t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL);

describe('scheduled digests across two app instances on one database', () => {
  const clock = new ManualClock('2026-11-30T04:00:00Z');
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ env, clock });
    b = await startTestApp({ env, clock, databaseUrl: a.databaseUrl, slack: a.slack });
    a.slack.channels.set(CHANNEL, { id: CHANNEL, name: 'sales-digest' });
    a.slack.botChannels.add(CHANNEL);
    a.slack.respond('bots.info', () => ({ ok: true, bot: { id: 'BFAKE', app_id: 'AFAKE' } }));
    await seedUncontactedBuyer(a.deps.db.prisma, clock.now());
    // Mondays 09:00 in Dubai = 05:00 UTC.
    await configureDigest(a, { frequency: 'weekly', weekday: 1, time: '09:00', timeZone: 'Asia/Dubai' });
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  const runBoth = () =>
    Promise.all([runDigestJob(a.deps, a.server.built.app.client), runDigestJob(b.deps, b.server.built.app.client)]);

  it('posts nothing before the scheduled time in its time zone', async () => {
    clock.set('2026-11-30T04:59:00Z');
    expect(await runBoth()).toEqual(['not_due', 'not_due']);
    expect(digestPosts(a)).toHaveLength(0);
  });

  it('posts exactly once for the period when both instances check at and after the time', async () => {
    clock.set('2026-11-30T05:00:00Z');
    const outcomes = await runBoth();
    expect(outcomes.sort()).toEqual(['claimed_elsewhere', 'posted']);
    clock.set('2026-11-30T05:01:00Z');
    await runBoth();
    clock.set('2026-11-30T06:30:00Z');
    await runBoth();
    const posts = digestPosts(a);
    expect(posts).toHaveLength(1);
    const blocks = posts[0]!.args.blocks as any[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    const all = JSON.stringify(blocks);
    expect(all).toContain('&lt;!channel&gt; Evil &amp; Co');
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('Not contacted yet');
    const button = blocks.at(-1).elements[0];
    expect(button).toMatchObject({ action_id: 'digest_view_in_crm', url: 'slack://app?team=T0FAKE&id=AFAKE&tab=home' });
    const run = await a.deps.db.prisma.digestRun.findUnique({ where: { periodKey: 'weekly:2026-11-30' } });
    expect(run?.postedAt).not.toBeNull();
    expect(run?.messageTs).toMatch(/^\d+\.\d+$/);
  });

  it('posts again in the next period only', async () => {
    clock.set('2026-12-06T05:00:00Z'); // Sunday
    await runBoth();
    expect(digestPosts(a)).toHaveLength(1);
    clock.set('2026-12-07T05:00:30Z');
    await runBoth();
    expect(digestPosts(a)).toHaveLength(2);
    // Changes are now measured against the previous digest's snapshot.
    expect(JSON.stringify(digestPosts(a)[1]!.args.blocks)).toContain('changes since the digest of');
  });
});

describe('digest delivery problems and quiet periods', () => {
  const clock = new ManualClock('2026-11-25T08:59:00Z');
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env, clock });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('says a quiet period in one line', async () => {
    await configureDigest(t, { frequency: 'daily', weekday: 1, time: '09:00', timeZone: 'UTC' });
    t.slack.channels.set(CHANNEL, { id: CHANNEL, name: 'sales-digest' });
    t.slack.botChannels.add(CHANNEL);
    clock.set('2026-11-25T09:00:00Z');
    expect(await runDigestJob(t.deps, t.server.built.app.client)).toBe('posted');
    const [post] = digestPosts(t);
    expect(post!.args.blocks).toHaveLength(1);
    expect(post!.args.text).toMatch(
      /^CRM digest: nothing new for .*: no stage changes, no new leads, nothing overdue or stale\.$/,
    );
  });

  it('when the app is not in the channel: posts nothing, tells admins how to invite it, and retries once invited', async () => {
    t.slack.reset();
    t.slack.botChannels.delete(CHANNEL);
    await seedUncontactedBuyer(t.deps.db.prisma, clock.now());
    clock.set('2026-11-26T09:00:00Z');
    expect(await runDigestJob(t.deps, t.server.built.app.client)).toBe('failed');
    const { notices } = await listOpenAdminNotices(t.deps.db.prisma, 10);
    expect(notices.map((n) => adminNoticeText(n.notice))).toEqual([
      `The daily digest could not be posted to <#${CHANNEL}>: the CRM app is not a member of that channel. Invite it there with \`/invite @CRM\`.`,
    ]);
    const run = await t.deps.db.prisma.digestRun.findUnique({ where: { periodKey: 'daily:2026-11-26' } });
    expect(run).toMatchObject({ postedAt: null, error: 'not_in_channel' });

    // Still failing a few minutes later: held back, no second notice.
    clock.set('2026-11-26T09:05:00Z');
    expect(await runDigestJob(t.deps, t.server.built.app.client)).toBe('claimed_elsewhere');

    t.slack.botChannels.add(CHANNEL);
    clock.set('2026-11-26T09:11:00Z');
    expect(await runDigestJob(t.deps, t.server.built.app.client)).toBe('posted');
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toHaveLength(2);
    expect(await t.deps.db.prisma.adminNotice.count()).toBe(1);
  });

  it('when the channel has been shared outside the workspace since: posts nothing, logs it and tells admins', async () => {
    t.slack.reset();
    const error = jest.spyOn(t.deps.logger, 'error');
    try {
      t.slack.channels.set(CHANNEL, { id: CHANNEL, name: 'sales-digest', is_ext_shared: true });
      clock.set('2026-11-27T09:00:00Z');
      expect(await runDigestJob(t.deps, t.server.built.app.client)).toBe('failed');
      expect(digestPosts(t)).toHaveLength(0);
      expect(error).toHaveBeenCalledWith(
        expect.objectContaining({ channel: CHANNEL, periodKey: 'daily:2026-11-27' }),
        'digest could not be posted',
      );
      const { notices } = await listOpenAdminNotices(t.deps.db.prisma, 10);
      expect(notices.map((n) => adminNoticeText(n.notice))).toContain(
        `The daily digest could not be posted to <#${CHANNEL}>: the channel is now shared outside this workspace (Slack Connect), and the digest shows customer data. Choose a channel only your company can read.`,
      );
      expect(await t.deps.db.prisma.digestRun.findUnique({ where: { periodKey: 'daily:2026-11-27' } })).toMatchObject({
        postedAt: null,
        error: 'channel_shared',
      });
    } finally {
      error.mockRestore();
      t.slack.channels.set(CHANNEL, { id: CHANNEL, name: 'sales-digest' });
    }
  });

  it('does nothing when no digest channel is set', async () => {
    await updateSetting(t.deps.db.prisma, t.deps.config, t.deps.clock, ADMIN, 'digest_channel', null);
    clock.set('2026-11-28T09:00:00Z');
    expect(await runDigestJob(t.deps, t.server.built.app.client)).toBe('no_channel');
  });
});

describe('/crm digest', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env });
    await seedUncontactedBuyer(t.deps.db.prisma, t.clock.now());
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.reset());

  it('shows a manager a preview only they can see, posting nothing to a channel', async () => {
    await t.driver.crm(MANAGER, 'digest');
    const [response] = await t.slack.waitForResponse();
    expect(response!.body.response_type).toBe('ephemeral');
    const all = JSON.stringify(response!.body.blocks);
    expect(all).toContain('CRM digest preview');
    expect(all).toContain('only you can see this preview');
    expect(all).toContain('&lt;!channel&gt; Evil &amp; Co');
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('tells an account manager previews are for managers and admins', async () => {
    await t.driver.crm(AM, 'digest');
    const [response] = await t.slack.waitForResponse();
    expect(response!.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Digest previews are for managers and admins.',
    });
  });
});
