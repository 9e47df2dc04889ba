import type { KnownBlock } from '@slack/types';
import { STAGES, type StageSlug } from '../../src/common/stages';
import { DEFAULT_HOME_FILTER, type HomeFilter } from '../../src/domain/home-filter';
import type { PipelineLead, PipelineSnapshot, StageSummary } from '../../src/domain/pipeline';
import { ACTION_IDS, isKnownActionId } from '../../src/slack/views/action-ids';
import {
  buildNoAccessHome,
  buildPipelineHome,
  HOME_EXTRAS_BLOCK_BUDGET,
  HOME_MAX_BLOCKS,
  HOME_TODAY_BLOCK_BUDGET,
  type PipelineHomeData,
  syncStatusText,
} from '../../src/slack/views/pipeline-home';

const now = new Date('2026-11-25T09:00:00Z');

function lead(id: number, partial: Partial<PipelineLead> = {}): PipelineLead {
  return {
    leadId: id,
    customerId: `C${id}`,
    stage: 'lead',
    name: `Customer ${id}`,
    company: null,
    markets: ['AE'],
    lifetimeUsdCents: 100_00n,
    unknownCurrencies: [],
    lastOrderAt: new Date('2026-11-20T10:00:00Z'),
    rateDate: new Date('2025-11-24T00:00:00Z'),
    ownerId: null,
    lastTouchAt: null,
    ...partial,
  };
}

function stage(slug: StageSlug, leads: PipelineLead[], partial: Partial<StageSummary> = {}): StageSummary {
  return {
    slug,
    count: leads.length,
    lifetimeUsdCents: leads.reduce((s, l) => s + l.lifetimeUsdCents, 0n),
    incompleteCurrencies: [],
    incompleteCount: 0,
    leads,
    page: 0,
    pageSize: 5,
    ...partial,
  };
}

function data(
  snapshot: Partial<PipelineSnapshot> & { stages: StageSummary[] },
  more: Partial<PipelineHomeData> = {},
): PipelineHomeData {
  return {
    viewer: { userId: 'U0AM00001', canEdit: true, timeZone: 'Asia/Dubai' },
    now,
    stageLabels: {},
    filter: DEFAULT_HOME_FILTER,
    snapshot: { totalCount: snapshot.stages.reduce((n, s) => n + s.count, 0), ...snapshot },
    sync: { kind: 'ok', finishedAt: new Date(now.getTime() - 120_000), created: 3, running: false },
    extras: { notices: [], today: [], followUps: [], admin: [] },
    ...more,
  };
}

const allStages = (leadsPerStage: number, countPerStage = leadsPerStage) =>
  STAGES.map((s, si) =>
    stage(
      s.slug,
      Array.from({ length: leadsPerStage }, (_, i) => lead(si * 1000 + i, { stage: s.slug })),
      { count: countPerStage },
    ),
  );

const texts = (blocks: readonly unknown[]) => JSON.stringify(blocks);
const byId = (blocks: readonly unknown[], id: string) =>
  blocks.find((b) => (b as { block_id?: string }).block_id === id) as any;

describe('buildPipelineHome', () => {
  it('shows the six stages in order, each heading with block_id stage:<slug>, count and USD total', () => {
    const stages = allStages(2, 1234);
    stages[2] = stage('negotiation', [lead(1, { lifetimeUsdCents: 123_456_789n })], {
      count: 1234,
      lifetimeUsdCents: 123_456_789n,
    });
    const view = buildPipelineHome(data({ stages }, { stageLabels: { negotiation: 'Talks' } }));
    const headingIds = view.blocks
      .map((b) => (b as { block_id?: string }).block_id)
      .filter((id) => id?.startsWith('stage:'));
    expect(headingIds).toEqual(STAGES.map((s) => `stage:${s.slug}`));
    expect(byId(view.blocks, 'stage:negotiation').text.text).toBe('*Talks*  ·  1,234 leads  ·  $1,234,567.89');
  });

  it('lists each lead with name, company, markets, USD, last order, owner, the not-contacted marker and an overflow menu', () => {
    const leads = [
      lead(7, {
        name: 'ACME',
        company: 'ACME Trading',
        markets: ['AE', 'SA'],
        lifetimeUsdCents: 1_234_56n,
        ownerId: 'U0OWNER01',
        lastTouchAt: now,
      }),
      lead(8, { name: 'Beta' }),
    ];
    const view = buildPipelineHome(data({ stages: [stage('lead', leads)] }));
    const acme = byId(view.blocks, 'lead:7');
    expect(acme.text.text).toBe(
      '*ACME*  ·  ACME Trading\nAE, SA  ·  *$1,234.56*  ·  last order 2026-11-20  ·  <@U0OWNER01>',
    );
    expect(acme.accessory.action_id).toBe(ACTION_IDS.leadOverflow);
    expect(acme.accessory.options.map((o: any) => o.value)).toEqual([
      'stage:7',
      'note:7',
      'assign:7',
      'orders:7',
      'follow_up:7',
    ]);
    expect(byId(view.blocks, 'lead:8').text.text).toContain('unowned  ·  :new: _not contacted yet_');
  });

  it('offers a read-only viewer (manager) only the order history, as a button rather than a menu of one', () => {
    const view = buildPipelineHome(
      data(
        { stages: [stage('lead', [lead(3)])] },
        { viewer: { userId: 'U0MGR0001', canEdit: false, timeZone: 'UTC' } },
      ),
    );
    expect(byId(view.blocks, 'lead:3').accessory).toEqual({
      type: 'button',
      action_id: ACTION_IDS.viewOrders,
      text: expect.objectContaining({ text: 'View orders' }),
      value: '3',
    });
  });

  it('marks incomplete figures and names the currencies', () => {
    const l = lead(4, { unknownCurrencies: ['XYZ'] });
    const view = buildPipelineHome(
      data({ stages: [stage('lead', [l], { incompleteCurrencies: ['KWD', 'XYZ'], incompleteCount: 2 })] }),
    );
    expect(byId(view.blocks, 'lead:4').text.text).toContain('*$100.00* + XYZ not converted (incomplete)');
    expect(byId(view.blocks, 'stage:lead').text.text).toContain(
      ':warning: Incomplete: 2 leads with amounts in KWD, XYZ not converted to USD',
    );
  });

  it('escapes production text so a customer name cannot ping a channel', () => {
    const view = buildPipelineHome(
      data({ stages: [stage('lead', [lead(5, { name: '<!channel> Evil & Co', company: '<https://x|y>' })])] }),
    );
    const json = texts(view.blocks);
    expect(json).toContain('&lt;!channel&gt; Evil &amp; Co');
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<https://x');
  });

  it('pages: "Show more in <Stage>" carries the stage and next page; later pages can go back', () => {
    const first = buildPipelineHome(
      data({ stages: [stage('negotiation', [lead(1), lead(2)], { count: 12, pageSize: 2 })] }),
    );
    const more = byId(first.blocks, 'more:negotiation');
    expect(more.elements).toEqual([
      expect.objectContaining({
        action_id: ACTION_IDS.homeShowMore,
        value: 'negotiation:1',
        text: expect.objectContaining({ text: 'Show more in Negotiation' }),
      }),
    ]);

    const last = buildPipelineHome(
      data({ stages: [stage('negotiation', [lead(11), lead(12)], { count: 12, pageSize: 2, page: 5 })] }),
    );
    expect(byId(last.blocks, 'stage:negotiation').text.text).toContain('Showing 11–12 by lifetime USD');
    expect(byId(last.blocks, 'more:negotiation').elements.map((e: any) => [e.action_id, e.value])).toEqual([
      [ACTION_IDS.homeShowPrevious, 'negotiation:0'],
    ]);
  });

  it('shows the filter as chosen and only uses known action ids', () => {
    const filter: HomeFilter = { owner: 'uncontacted', uncontactedDays: 45, stage: 'contacted', pages: {} };
    const view = buildPipelineHome(data({ stages: [stage('contacted', [lead(1)])] }, { filter }));
    const controls = byId(view.blocks, 'home_filters');
    expect(controls.elements.map((e: any) => e.initial_option?.value)).toEqual([
      'uncontacted',
      'contacted',
      '45',
      undefined,
    ]);
    expect(byId(view.blocks, 'home_filter_summary').elements[0].text).toContain(
      'leads with an order in the last 45 days and no contact logged in Contacted',
    );
    const ids = [...texts(view.blocks).matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => !isKnownActionId(id))).toEqual([]);
  });

  it('stays within 100 blocks and Slack size limits with full extras and full stages', () => {
    const filler = (n: number, prefix: string): KnownBlock[] =>
      Array.from({ length: n }, (_, i) => ({
        type: 'section',
        block_id: `${prefix}${i}`,
        text: { type: 'mrkdwn', text: 'x' },
      }));
    const view = buildPipelineHome(
      data(
        { stages: allStages(20, 50_000) },
        {
          extras: {
            notices: filler(10, 'n'),
            today: filler(40, 't'),
            followUps: filler(15, 'f'),
            admin: filler(40, 'a'),
          },
        },
      ),
    );
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    expect(view.blocks.filter((b) => /^[nfa]\d/.test((b as any).block_id ?? '')).length).toBe(HOME_EXTRAS_BLOCK_BUDGET);
    expect(view.blocks.filter((b) => /^t\d/.test((b as any).block_id ?? '')).length).toBe(HOME_TODAY_BLOCK_BUDGET);
    expect(byId(view.blocks, 'home_cut')).toBeDefined();
    expect(JSON.stringify(view).length).toBeLessThan(100_000);
    const blockIds = view.blocks.map((b) => (b as any).block_id).filter(Boolean);
    expect(new Set(blockIds).size).toBe(blockIds.length);
  });

  it('places notices first, follow-ups after the header and admin last', () => {
    const one = (id: string): KnownBlock => ({ type: 'section', block_id: id, text: { type: 'mrkdwn', text: id } });
    const view = buildPipelineHome(
      data(
        { stages: allStages(1) },
        { extras: { notices: [one('notice')], today: [one('today')], followUps: [one('fu')], admin: [one('adm')] } },
      ),
    );
    const ids = view.blocks.map((b) => (b as any).block_id);
    expect(ids[0]).toBe('notice');
    // "Who to call today" is the first section, before the pipeline's header.
    expect(ids[1]).toBe('today');
    expect(ids.indexOf('fu')).toBe(ids.indexOf('home_filter_summary') + 1);
    expect(ids[ids.length - 1]).toBe('adm');
  });
});

describe('syncStatusText', () => {
  it('says when the last sync ran and how many leads it created', () => {
    expect(
      syncStatusText(
        { kind: 'ok', finishedAt: new Date(now.getTime() - 120_000), created: 3, running: false },
        now,
        'UTC',
      ),
    ).toBe(':white_check_mark: Synced 2 min ago · 3 new leads');
  });
  it('says since when production is unavailable, in the viewer time zone, with the reason escaped', () => {
    const text = syncStatusText(
      {
        kind: 'failing',
        since: new Date('2026-11-25T06:42:00Z'),
        error: 'Production data unavailable: Metabase timed out <after> 10 s',
        lastSuccessAt: new Date('2026-11-25T06:00:00Z'),
      },
      now,
      'Asia/Dubai',
    );
    expect(text).toBe(
      ':warning: Production data unavailable since 10:42 (Metabase timed out &lt;after&gt; 10 s) — showing cached figures from 3 h ago',
    );
  });
  it('says which customers a sync that failed midway updated, and that the others are cached', () => {
    const text = syncStatusText(
      {
        kind: 'failing',
        since: new Date('2026-11-25T06:42:00Z'),
        error: 'Lead sync failed with an internal error (see the logs)',
        lastSuccessAt: new Date('2026-11-25T06:00:00Z'),
        partial: { created: 2, updated: 998, fetched: 2_500 },
      },
      now,
      'UTC',
    );
    expect(text).toBe(
      ':warning: Production data unavailable since 06:42 (Lead sync failed with an internal error (see the logs)) — 1,000 customers of 2,500 updated before it stopped, the others showing cached figures from 3 h ago',
    );
  });
  it('says how far an import running again after a failure has got', () => {
    const text = syncStatusText(
      {
        kind: 'failing',
        since: new Date('2026-11-25T06:42:00Z'),
        error: 'Production data unavailable: Metabase timed out after 10 s',
        lastSuccessAt: null,
        partial: null,
        progress: { through: 3_000, of: 50_000, created: 3_000, updated: 0 },
      },
      now,
      'UTC',
    );
    expect(text).toBe(
      ':warning: Production data unavailable since 06:42 (Metabase timed out after 10 s) — no cached figures yet\n' +
        ':hourglass_flowing_sand: Importing customers from production: 3,000 of 50,000 so far. The leads and totals below count only those; the rest are on their way.',
    );
  });
  it('says sync is off when Metabase is not configured', () => {
    expect(syncStatusText({ kind: 'off' }, now, 'UTC')).toBe(
      ':warning: Production data is not configured (METABASE_URL unset); sync is off.',
    );
  });
});

describe('buildNoAccessHome', () => {
  it('is a polite note with nothing else', () => {
    const view = buildNoAccessHome('Sorry, the CRM is not available to guest accounts.');
    expect(view.blocks).toHaveLength(2);
    expect(texts(view.blocks)).toContain('not available to guest accounts');
    expect(texts(view.blocks)).not.toContain('stage:');
  });
});
