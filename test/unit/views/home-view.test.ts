import { STAGES, type StageSlug } from '../../../src/common/stages';
import type { HomeData } from '../../../src/domain/home-data';
import { DEFAULT_HOME_FILTER } from '../../../src/domain/home-filter';
import type { PipelineLead } from '../../../src/domain/pipeline';
import { DEFAULT_STALE_THRESHOLDS } from '../../../src/domain/settings';
import { viewJson } from '../../../src/slack/view-json';
import { ACTION_IDS, isKnownActionId } from '../../../src/slack/views/action-ids';
import { buildHomeView } from '../../../src/slack/views/home';
import { HOME_MAX_BLOCKS } from '../../../src/slack/views/pipeline-home';
import { actionIds, visibleText } from '../../support/lead-e2e';
import { todayData } from '../../support/today-fixtures';

const now = new Date('2026-11-25T09:00:00Z');
const NASTY = '<!channel> ACME & Co';

const lead = (id: number, stage: StageSlug): PipelineLead => ({
  leadId: id,
  customerId: `C${id}`,
  stage,
  name: id === 1 ? NASTY : `Customer ${id}`,
  company: null,
  markets: ['AE'],
  lifetimeUsdCents: 100_00n,
  unknownCurrencies: [],
  lastOrderAt: new Date('2026-11-20T10:00:00Z'),
  rateDate: new Date('2025-11-24T00:00:00Z'),
  ownerId: null,
  lastTouchAt: null,
});

function homeData(partial: Partial<HomeData> = {}, leadsPerStage = 2): HomeData {
  let id = 0;
  const stages = STAGES.map((s) => {
    const leads = Array.from({ length: leadsPerStage }, () => lead(++id, s.slug));
    return {
      slug: s.slug,
      count: leads.length,
      lifetimeUsdCents: 200_00n,
      incompleteCurrencies: [],
      incompleteCount: 0,
      leads,
      page: 0,
      pageSize: 5,
    };
  });
  return {
    now,
    stageLabels: {},
    filter: DEFAULT_HOME_FILTER,
    snapshot: { totalCount: id, stages } as HomeData['snapshot'],
    sync: { kind: 'ok', finishedAt: new Date(now.getTime() - 60_000), created: 0, running: false },
    followUps: {
      items: [
        {
          followUpId: 5,
          leadId: 1,
          leadName: NASTY,
          message: 'Call',
          scheduleText: 'Once',
          timeZone: 'UTC',
          state: 'upcoming',
          at: now,
        },
      ],
      overdue: 0,
      upcoming: 1,
    } as HomeData['followUps'],
    notices: {
      notices: [
        {
          id: 9,
          createdAt: now,
          notice: { kind: 'digest_not_posted', frequency: 'weekly', channelId: 'C1', error: 'not_in_channel' },
        },
      ],
      total: 1,
    },
    today: todayData(),
    agenda: { enabled: true, timeOfDay: null, teamTime: '08:30', workdays: [1, 2, 3, 4, 5] },
    admin: null,
    ...partial,
  };
}

const adminData: NonNullable<HomeData['admin']> = {
  settings: {
    digest_channel: null,
    digest_schedule: { frequency: 'daily', weekday: 1, time: '08:00', timeZone: 'UTC' },
    sync_days: 90,
    stale_thresholds: DEFAULT_STALE_THRESHOLDS,
    rhythm_factors: { overdue: 1.5, atRisk: 2 },
    agenda_schedule: { time: '08:30', workdays: [1, 2, 3, 4, 5] },
    stage_labels: Object.fromEntries(STAGES.map((s) => [s.slug, s.label])) as Record<StageSlug, string>,
  },
  rates: { count: 0, oldestRateDate: null, newestRateDate: null },
  rosterCounts: { admin: 1, manager: 0, account_manager: 0 },
  audit: [],
  timeZone: 'UTC',
};

const viewer = { userId: 'U0AMANAGE1', canEdit: true, timeZone: 'UTC' };

describe('buildHomeView', () => {
  it('admin notices first, then the pipeline, then "My follow-ups"; names escaped', () => {
    const view = buildHomeView(homeData(), viewer);
    const ids = (view.blocks as any[]).map((b) => b.block_id);
    expect(ids.indexOf('admin_notices')).toBe(0);
    expect(ids.indexOf('admin_notices')).toBeLessThan(ids.indexOf('home_title'));
    expect(ids.indexOf('home_title')).toBeLessThan(ids.indexOf('follow_ups'));
    const text = visibleText(view);
    expect(text).toContain('&lt;!channel&gt; ACME &amp; Co');
    expect(text).not.toContain('<!channel>');
    for (const id of actionIds(view.blocks)) expect(isKnownActionId(id)).toBe(true);
  });

  it('the Admin section only for an admin, with its Change buttons', () => {
    expect(actionIds(buildHomeView(homeData(), viewer).blocks)).not.toContain(ACTION_IDS.adminOpenSetting);
    const admin = buildHomeView(homeData({ admin: adminData }), { ...viewer, userId: 'U0ADMIN01' });
    // Digest channel and schedule, sync window, stale thresholds, stage labels, currency rates, roster,
    // order rhythm factors and the morning agenda's team schedule.
    expect(actionIds(admin.blocks).filter((id) => id === ACTION_IDS.adminOpenSetting)).toHaveLength(9);
    expect((admin.blocks as any[]).at(-1)!.block_id).toBe('admin:audit');
  });

  it('a reader gets no edit controls in the lead menus; an editor does', () => {
    const overflowValues = (v: any) =>
      (v.blocks as any[]).flatMap((b) =>
        b.accessory?.action_id === ACTION_IDS.leadOverflow ? b.accessory.options.map((o: any) => o.value) : [],
      );
    const reader = overflowValues(buildHomeView(homeData(), { ...viewer, canEdit: false }));
    const editor = overflowValues(buildHomeView(homeData(), viewer));
    expect(editor.some((v: string) => v.startsWith('stage:'))).toBe(true);
    expect(reader.some((v: string) => v.startsWith('stage:') || v.startsWith('note:') || v.startsWith('assign:'))).toBe(
      false,
    );
  });

  it("stays within Slack's 100 blocks with every section full", () => {
    const view = buildHomeView(homeData({ admin: adminData }, 40), viewer);
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    const ids = (view.blocks as any[]).map((b) => b.block_id);
    expect(ids).toContain('home_cut');
    expect(ids).toContain('admin:audit');
    expect(ids).toContain('follow_ups');
  });
});

/**
 * Lines shared between viewers (views/block-memo.ts): a Home built from rows whose lines are
 * already memoised must be the Home built from scratch. "From scratch" is the same data
 * cloned: new row objects, which no memo has seen.
 */
describe('buildHomeView with lines shared between viewers', () => {
  const OWNER = 'U0AMOWNER1';
  /** Some leads owned by OWNER (one the viewer may own), a later page, every section. */
  function sharedData(partial: Partial<HomeData> = {}): HomeData {
    const data = homeData({ admin: adminData, today: todayData({}, 3, OWNER), ...partial }, 4);
    const stages = data.snapshot.stages;
    stages[0]!.leads[0]!.ownerId = OWNER;
    stages[1]!.leads[1]!.ownerId = 'U0AMOTHER1';
    stages[1]!.leads[0]!.lastOrderAt = null;
    stages[2]!.leads[0]!.unknownCurrencies = ['XYZ'];
    stages[2]!.leads[0]!.company = 'Company & Sons';
    stages[2]!.leads[0]!.lastTouchAt = now;
    Object.assign(stages[3]!, { page: 1, count: 12 });
    return data;
  }
  const viewers = [
    { userId: OWNER, canEdit: true, timeZone: 'UTC' },
    { userId: 'U0AMOTHER1', canEdit: true, timeZone: 'UTC' },
    { userId: OWNER, canEdit: false, timeZone: 'UTC' },
    { userId: OWNER, canEdit: true, timeZone: 'Pacific/Kiritimati' },
    { userId: 'U0AMOTHER2', canEdit: true, timeZone: 'America/Los_Angeles' },
    { userId: 'U0AMOTHER2', canEdit: false, timeZone: 'America/Los_Angeles' },
  ];

  function expectSameAsFresh(data: HomeData, viewer: (typeof viewers)[number]) {
    const shared = buildHomeView(data, viewer);
    const fresh = buildHomeView(structuredClone(data), viewer);
    expect(shared).toEqual(fresh);
    expect(viewJson(shared)).toBe(JSON.stringify(fresh));
    return shared;
  }

  it('equals the Home built fresh for viewers differing in zone, edit rights and owning a shown lead', () => {
    const data = sharedData();
    // Twice round, in both orders: every viewer meets lines another has memoised.
    for (const v of [...viewers, ...[...viewers].reverse()]) expectSameAsFresh(data, v);
    const first = (v: (typeof viewers)[number]) =>
      (buildHomeView(data, v).blocks as any[]).find((b) => b.block_id === 'lead:1');
    // The same line where it is alike, and a different one where it is not.
    expect(first(viewers[1]!)).toBe(first({ ...viewers[1]!, userId: 'U0AMOTHER3' }));
    expect(first(viewers[0]!)).not.toEqual(first(viewers[1]!));
    expect(JSON.stringify(first(viewers[0]!))).not.toContain(`assign:1"`);
    expect(JSON.stringify(first(viewers[1]!))).toContain(`assign:1"`);
    expect(first(viewers[0]!).text.text).not.toEqual(first(viewers[3]!).text.text);
  });

  it('equals the Home built fresh under other filters, labels and the team view of today', () => {
    const data = sharedData();
    for (const v of viewers) expectSameAsFresh(data, v);
    const labels = { ...data, stageLabels: { active_account: 'Regulars', trial_order: 'Tasting' } };
    const team = { ...data, today: { ...data.today, team: true } };
    const filtered = { ...data, filter: { ...data.filter, owner: 'mine' as const, stage: 'lead' as const } };
    for (const d of [labels, team, filtered]) for (const v of viewers) expectSameAsFresh(d, v);
    expect(visibleText(buildHomeView(labels, viewers[0]!))).toContain('Tasting → Regulars?');
    expect(visibleText(buildHomeView(team, viewers[1]!))).not.toContain('yours to take');
  });

  it('after a data change (new rows at a new version) shows the new rows', () => {
    const data = sharedData();
    for (const v of viewers) expectSameAsFresh(data, v);
    const changed = structuredClone(data);
    changed.snapshot.stages[0]!.leads[0]!.name = 'Renamed Customer';
    changed.today.accounts.items[1]!.name = 'Renamed Account';
    for (const v of viewers) {
      const view = expectSameAsFresh(changed, v);
      expect(visibleText(view)).toContain('Renamed Customer');
      expect(visibleText(view)).toContain('Renamed Account');
    }
  });

  it('shared lines are frozen: one view cannot change another', () => {
    const data = sharedData();
    const line = (buildHomeView(data, viewers[0]!).blocks as any[]).find((b) => b.block_id === 'lead:2');
    expect(Object.isFrozen(line)).toBe(true);
    expect(Object.isFrozen(line.accessory.options[0].text)).toBe(true);
  });
});

describe('viewJson', () => {
  it('is JSON.stringify of a Home with every section (admin, follow-ups, today, pipeline pages), built twice', () => {
    const data = homeData({ admin: adminData }, 40);
    data.snapshot.stages[1]!.page = 2;
    const view = buildHomeView(data, viewer);
    const ids = (view.blocks as any[]).map((b) => b.block_id);
    for (const id of ['admin_notices', 'today_title', 'home_title', 'follow_ups', 'admin:audit', 'lead:1'])
      expect(ids).toContain(id);
    expect(viewJson(view)).toBe(JSON.stringify(view));
    // Its lines' texts are kept now: the second time round they are reused.
    expect(viewJson(buildHomeView(data, viewer))).toBe(JSON.stringify(view));
  });

  it('keeps the keys, their order and what JSON drops, as JSON.stringify does', () => {
    const odd = {
      type: 'home',
      callback_id: undefined,
      blocks: [{ type: 'divider' }, undefined, { type: 'section', text: { type: 'mrkdwn', text: '"\u2028\n' } }],
      private_metadata: 'x"y',
      external_id: () => 1,
    };
    expect(viewJson(odd)).toBe(JSON.stringify(odd));
    expect(viewJson({ blocks: 'not an array', type: 'home' })).toBe(
      JSON.stringify({ blocks: 'not an array', type: 'home' }),
    );
  });
});
