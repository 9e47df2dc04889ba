import { openDatabase } from '../../../../src/db/client';
import { appHomeOpened } from '../../../../src/slack/listeners/events/app-home-opened';
import { buildNoAccessHome } from '../../../../src/slack/views/pipeline-home';
import {
  AM,
  type Fakes,
  fakes,
  GUEST,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  published,
  publishedView,
  STRANGER,
  viewerOf,
  visibleText,
} from '../../../support/listener-kit';
import { seedLead } from '../../../support/seed-leads';
import { customerRow, StaticProductionReader } from '../../../support/static-production';

/** app_home_opened as Bolt hands it over (Bolt has acked the event already). */
const opened = (f: Fakes, user: string, tab = 'home') => ({
  event: { type: 'app_home_opened', user, channel: 'D0HOME001', tab, event_ts: '1700000000.1' },
  client: f.web,
  body: {},
  payload: {},
  next: jest.fn(),
  logger: console,
  context: {},
});

describe('appHomeOpened', () => {
  let t: ListenerDeps;
  beforeAll(async () => {
    t = await openListenerDeps();
    await seedLead(t.deps.db.prisma, { customerId: 'C100', name: 'ACME & Co', ownerId: AM });
  });
  afterAll(() => t.cleanup());

  it('publishes the dashboard the Home builder makes for the viewer', async () => {
    const f = fakes();
    await appHomeOpened(t.deps)(opened(f, AM) as any);
    expect(f.client.views.publish.mock.calls).toEqual([
      [published(AM, await t.deps.homePublisher.buildFor(viewerOf(AM, 'account_manager')))],
    ]);
    expect(visibleText(publishedView(f.client.views.publish.mock.calls[0]![0]))).toContain('ACME &amp; Co');
  });

  it.each([
    [GUEST, 'Sorry, the CRM is not available to guest accounts.'],
    [STRANGER, 'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.'],
  ])('gives %s the no-access Home, without customer data', async (userId, refusal) => {
    const f = fakes();
    await appHomeOpened(t.deps)(opened(f, userId) as any);
    expect(f.client.views.publish.mock.calls).toEqual([[published(userId, buildNoAccessHome(refusal))]]);
    expect(visibleText(publishedView(f.client.views.publish.mock.calls[0]![0]))).not.toContain('ACME');
  });

  it('ignores the Messages tab', async () => {
    const f = fakes();
    await appHomeOpened(t.deps)(opened(f, AM, 'messages') as any);
    expect(f.calls).toEqual([]);
  });

  it('a publish Slack refuses is logged, not thrown', async () => {
    const f = fakes();
    f.client.views.publish.mockRejectedValueOnce(
      Object.assign(new Error('An API error occurred: invalid_blocks'), { data: { error: 'invalid_blocks' } }),
    );
    const error = jest.spyOn(t.deps.logger, 'error');
    await expect(appHomeOpened(t.deps)(opened(f, MANAGER) as any)).resolves.toBeUndefined();
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ user: MANAGER }), 'publishing the Home tab failed');
    error.mockRestore();
  });
});

describe('appHomeOpened with production', () => {
  it('publishes from the CRM database first, syncs, then publishes again with the new lead', async () => {
    const reader = new StaticProductionReader([customerRow({ customerId: 'C900', customerName: 'Fresh Imports' })]);
    const t = await openListenerDeps({ production: reader });
    try {
      const f = fakes();
      await appHomeOpened(t.deps)(opened(f, MANAGER) as any);
      expect(reader.calls).toHaveLength(1);
      const views = f.client.views.publish.mock.calls.map((c) => visibleText(publishedView(c[0])));
      expect(views).toHaveLength(2);
      expect(views[0]).not.toContain('Fresh Imports');
      expect(views[1]).toContain('Fresh Imports');
    } finally {
      await t.cleanup();
    }
  });

  it('a stranger opening the tab starts no sync', async () => {
    const reader = new StaticProductionReader([customerRow({ customerId: 'C901' })]);
    const t = await openListenerDeps({ production: reader });
    try {
      const f = fakes();
      await appHomeOpened(t.deps)(opened(f, STRANGER) as any);
      expect(reader.calls).toEqual([]);
      expect(f.client.views.publish).toHaveBeenCalledTimes(1);
    } finally {
      await t.cleanup();
    }
  });
});

describe('appHomeOpened, the same Home opened again', () => {
  let t: ListenerDeps;
  let queries: jest.SpyInstance;
  beforeEach(async () => {
    t = await openListenerDeps();
    await seedLead(t.deps.db.prisma, { customerId: 'C100', name: 'ACME & Co', ownerId: AM });
    queries = jest.spyOn(t.deps.db.prisma, '$queryRaw');
  });
  afterEach(async () => {
    queries.mockRestore();
    await t.cleanup();
  });

  const views = (f: Fakes) => f.client.views.publish.mock.calls.map((c) => publishedView(c[0]));
  /** Reads of what the Home shows: all but who the viewer is and the Home's first read (their own facts and the data version). */
  const homeReadsOf = (spy: jest.SpyInstance) =>
    spy.mock.calls.filter((c) => !/"RosterMember"|"UserPreference"/.test(String(c[0]))).length;
  const homeReads = () => homeReadsOf(queries);

  it('publishes the same view again without reading the Home’s data again, while nothing changed', async () => {
    const f = fakes();
    await appHomeOpened(t.deps)(opened(f, AM) as any);
    expect(homeReads()).toBeGreaterThan(0);
    queries.mockClear();
    await appHomeOpened(t.deps)(opened(f, AM) as any);
    await appHomeOpened(t.deps)(opened(f, AM) as any);
    expect(homeReads()).toBe(0);
    const [first, ...again] = views(f);
    expect(again).toEqual([first, first]);
    // Another viewer's Home is their own.
    await appHomeOpened(t.deps)(opened(f, MANAGER) as any);
    expect(homeReads()).toBeGreaterThan(0);
    expect(visibleText(views(f).at(-1))).not.toEqual(visibleText(first));
  });

  it('shows a write made since, by the app or by another connection to the database', async () => {
    const f = fakes();
    await appHomeOpened(t.deps)(opened(f, AM) as any);
    await seedLead(t.deps.db.prisma, { customerId: 'C101', name: 'Written Here', ownerId: AM });
    await appHomeOpened(t.deps)(opened(f, AM) as any);
    const other = openDatabase(t.deps.config.DATABASE_URL);
    try {
      await seedLead(other.prisma, { customerId: 'C102', name: 'Written Elsewhere', ownerId: AM });
    } finally {
      await other.close();
    }
    await appHomeOpened(t.deps)(opened(f, AM) as any);
    const texts = views(f).map(visibleText);
    expect(texts[0]).not.toContain('Written Here');
    expect(texts[1]).toContain('Written Here');
    expect(texts[1]).not.toContain('Written Elsewhere');
    expect(texts[2]).toContain('Written Elsewhere');
  });

  it('follows the clock: the same view within the minute, its times moved on in the next', async () => {
    const reader = new StaticProductionReader([customerRow({ customerId: 'C900', customerName: 'Fresh Imports' })]);
    const withSync = await openListenerDeps({ production: reader });
    await seedLead(withSync.deps.db.prisma, { customerId: 'C100', name: 'ACME & Co', ownerId: AM });
    const reads = jest.spyOn(withSync.deps.db.prisma, '$queryRaw');
    try {
      const f = fakes();
      const am = viewerOf(AM, 'account_manager');
      await appHomeOpened(withSync.deps)(opened(f, AM) as any);
      const synced = views(f).at(-1);
      expect(visibleText(synced)).toContain('Synced just now');
      reads.mockClear();
      withSync.clock.advance(30_000);
      await withSync.deps.homePublisher.publish(f.web, am);
      expect(views(f).at(-1)).toEqual(synced);
      expect(homeReadsOf(reads)).toBe(0);
      withSync.clock.advance(90_000);
      await withSync.deps.homePublisher.publish(f.web, am);
      expect(visibleText(views(f).at(-1))).toContain('Synced 2 min ago');
      expect(homeReadsOf(reads)).toBeGreaterThan(0);
    } finally {
      reads.mockRestore();
      await withSync.cleanup();
    }
  });
});
