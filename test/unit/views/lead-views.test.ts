import { STAGES } from '../../../src/common/stages';
import type { LeadCardData } from '../../../src/domain/lead-card-data';
import type { LeadMatch } from '../../../src/domain/lead-search';
import type { ActivityEntry, LeadSummary } from '../../../src/domain/leads';
import { ACTION_IDS, CALLBACK_IDS, isKnownActionId } from '../../../src/slack/views/action-ids';
import { buildHelpMessage } from '../../../src/slack/views/help';
import {
  buildContactModal,
  buildLeadCard,
  buildLeadHistoryMessage,
  buildNoteModal,
  buildOwnerModal,
  buildStageChangeModal,
  decodeLeadMetadata,
  LEAD_BLOCKS,
} from '../../../src/slack/views/lead-card';
import { customerTitle, describeActivity, mention, ownerText, usdText } from '../../../src/slack/views/lead-format';
import {
  buildCandidatesMessage,
  buildFindResults,
  buildMyLeads,
  buildUncontactedList,
} from '../../../src/slack/views/lead-lists';
import {
  buildLeadOptions,
  buildLogToCrmModal,
  decodeLogToCrmMetadata,
  LOG_TO_CRM_BLOCKS,
} from '../../../src/slack/views/log-to-crm-modal';
import { escapeMrkdwn, truncate } from '../../../src/slack/views/mrkdwn';
import { buildNoticeModal } from '../../../src/slack/views/notice-modal';
import { userErrorPlain, userErrorText } from '../../../src/slack/views/user-error';
import { actionIds, visibleText } from '../../support/lead-e2e';

const NASTY = '<!channel> ACME & Co';
const ESCAPED = '&lt;!channel&gt; ACME &amp; Co';

const summary: LeadSummary = {
  leadId: 7,
  customerId: 'C<7>',
  name: NASTY,
  company: 'ACME LLC',
  stage: 'contacted',
  ownerId: 'U0AMANAGE1',
  version: 3,
  contact: { name: 'Jane <b>', role: null, email: 'jane@acme.com', phone: null },
} as LeadSummary;

function entry(id: number, partial: Partial<ActivityEntry> = {}): ActivityEntry {
  return {
    id,
    kind: 'note',
    actorId: 'U0AMANAGE1',
    fromValue: null,
    toValue: null,
    text: `note ${id}`,
    permalink: null,
    createdAt: new Date('2026-11-20T10:00:00Z'),
    ...partial,
  };
}

const card = (partial: Partial<LeadCardData> = {}): LeadCardData => ({
  leadId: 7,
  customerId: 'C7',
  name: NASTY,
  company: null,
  email: 'buyer@acme.com',
  phone: null,
  markets: ['AE', 'SA'],
  stage: 'negotiation',
  ownerId: 'U0AMANAGE1',
  contact: { name: null, role: null, email: null, phone: null },
  orderCount: 4,
  lifetimeUsdCents: 1234_56n,
  unknownCurrencies: [],
  rateDate: new Date('2025-11-24T00:00:00Z'),
  rates: [{ currency: 'KWD', usdPerUnit: '3.26', rateDate: new Date('2025-11-24T00:00:00Z') }],
  lastOrderAt: new Date('2026-11-20T10:00:00Z'),
  lastTouchAt: null,
  version: 1,
  recentNotes: [entry(1, { text: '<@U0BOSS> said > no' })],
  recentActivity: [entry(1), entry(2, { kind: 'stage_change', fromValue: 'lead', toValue: 'negotiation', text: null })],
  activityCount: 2,
  ...partial,
});

const match = (i: number, partial: Partial<LeadMatch> = {}): LeadMatch =>
  ({
    leadId: i,
    customerId: `C${i}`,
    name: `Customer ${i}`,
    company: null,
    stage: 'lead',
    ownerId: null,
    lifetimeUsdCents: 100_00n,
    ...partial,
  }) as LeadMatch;

const buttons = (blocks: any[] | undefined) =>
  (blocks ?? [])
    .flatMap((b: any) => (b.type === 'actions' ? b.elements : b.accessory ? [b.accessory] : []))
    .filter((e: any) => e.type === 'button');

describe('mrkdwn helpers', () => {
  it('escapes exactly &, < and > so a customer name never pings or links', () => {
    expect(escapeMrkdwn(NASTY)).toBe(ESCAPED);
    expect(escapeMrkdwn('*bold* _it_ `code`')).toBe('*bold* _it_ `code`');
  });

  it('truncates with an ellipsis within the limit', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('customer titles, owners and mentions are escaped; a malformed user id is not a mention', () => {
    expect(customerTitle(NASTY, 'ACME LLC')).toBe(`*${ESCAPED}* (ACME LLC)`);
    expect(customerTitle('Same', 'Same')).toBe('*Same*');
    expect(ownerText(null)).toBe('_unowned_');
    expect(mention('U0AMANAGE1')).toBe('<@U0AMANAGE1>');
    expect(mention('<!here>')).toBe('&lt;!here&gt;');
  });

  it('an incomplete USD figure names the currencies left out', () => {
    expect(usdText(1234_56n)).toBe('$1,234.56');
    expect(usdText(1234_56n, ['XYZ'])).toBe('$1,234.56+ (incomplete: XYZ not converted)');
  });

  it('an activity line escapes the text and keeps only https permalinks', () => {
    expect(describeActivity(entry(1, { text: '<!channel>', permalink: 'https://x.slack.com/p1' }))).toContain(
      '&lt;!channel&gt; (<https://x.slack.com/p1|message>)',
    );
    expect(describeActivity(entry(1, { permalink: 'javascript:alert(1)' }))).not.toContain('javascript');
  });

  it('user errors: mrkdwn mentions the subject; plain text names the id', () => {
    expect(userErrorText({ userMessage: 'owns <this>', subjectUserId: 'U1' })).toBe('<@U1> owns &lt;this&gt;');
    expect(userErrorPlain({ userMessage: 'owns <this>', subjectUserId: 'U1' })).toBe('U1 owns <this>');
  });
});

describe('buildLeadCard', () => {
  it('shows the escaped customer, stage, owner, value and latest notes', () => {
    const m = buildLeadCard(card(), { viewerId: 'U0AMANAGE1', canEdit: true });
    const text = visibleText(m);
    expect(m.text).toBe(`${ESCAPED} · Negotiation`);
    expect(text).toContain(`*${ESCAPED}*`);
    expect(text).toContain('$1,234.56');
    // A note keeps its mentions as mentions (as Slack sent them); everything else is escaped.
    expect(text).toContain('<@U0BOSS> said &gt; no');
    expect(text).not.toContain('<!channel>');
  });

  it('an editor gets the edit buttons (no "Assign to me" on their own lead); a reader only Orders', () => {
    const own = buildLeadCard(card(), { viewerId: 'U0AMANAGE1', canEdit: true });
    expect(actionIds(own.blocks ?? [])).toEqual([
      ACTION_IDS.openStageModal,
      ACTION_IDS.openNoteModal,
      ACTION_IDS.openContactModal,
      ACTION_IDS.openOwnerModal,
      ACTION_IDS.openFollowUpModal,
      ACTION_IDS.viewOrders,
    ]);
    expect(actionIds(buildLeadCard(card(), { viewerId: 'U0AMANAGE2', canEdit: true }).blocks ?? [])).toContain(
      ACTION_IDS.assignToMe,
    );
    expect(actionIds(buildLeadCard(card(), { viewerId: 'U0MANAGER1', canEdit: false }).blocks ?? [])).toEqual([
      ACTION_IDS.viewOrders,
    ]);
    expect(buttons(own.blocks).every((b: any) => b.value === '7')).toBe(true);
  });

  it('"All history" appears when there is more than shown, pointing at page 1', () => {
    const m = buildLeadCard(card({ activityCount: 30 }), { viewerId: 'U0MANAGER1', canEdit: false });
    expect(buttons(m.blocks).find((b: any) => b.action_id === ACTION_IDS.leadHistoryPage)).toMatchObject({
      value: '7:1',
      text: { text: 'All history (30)' },
    });
  });

  it('names each rate the lifetime value is at, with its date; no line when nothing was converted', () => {
    const rates = [
      { currency: 'AED', usdPerUnit: '0.2723', rateDate: new Date('2025-11-24T00:00:00Z') },
      { currency: 'PKR', usdPerUnit: '0.00355', rateDate: new Date('2026-11-28T00:00:00Z') },
    ];
    const text = visibleText(buildLeadCard(card({ rates }), { viewerId: 'U1', canEdit: false }));
    expect(text).toContain('Lifetime value in USD at 1 AED = $0.2723 (2025-11-24) · 1 PKR = $0.00355 (2026-11-28)');
    expect(visibleText(buildLeadCard(card(), { viewerId: 'U1', canEdit: false }))).toContain(
      '1 KWD = $3.2600 (2025-11-24)',
    );
    expect(visibleText(buildLeadCard(card({ rates: [] }), { viewerId: 'U1', canEdit: false }))).not.toContain(' = $');
  });

  it('custom stage labels are used', () => {
    expect(buildLeadCard(card(), { viewerId: 'U1', canEdit: false, labels: { negotiation: 'Talks' } }).text).toBe(
      `${ESCAPED} · Talks`,
    );
  });
});

describe('buildLeadHistoryMessage', () => {
  const page = (n: number, count: number) => ({
    leadId: 7,
    page: n,
    pageCount: count,
    total: count * 10,
    entries: [entry(1)],
  });

  it('Newer and Older only where there is a page to go to', () => {
    expect(actionIds(buildLeadHistoryMessage(summary, page(1, 1)).blocks ?? [])).toEqual([]);
    const middle = buildLeadHistoryMessage(summary, page(2, 3));
    expect(buttons(middle.blocks).map((b: any) => [b.text.text, b.value])).toEqual([
      ['Newer', '7:1'],
      ['Older', '7:3'],
    ]);
    expect(visibleText(middle)).toContain(`*${ESCAPED}* (ACME LLC): history, page 2 of 3 (30 entries)`);
  });

  it('an empty history says so', () => {
    expect(
      visibleText(buildLeadHistoryMessage(summary, { leadId: 7, page: 1, pageCount: 1, total: 0, entries: [] })),
    ).toContain('_Nothing has happened to this lead yet._');
  });
});

describe('lead lists', () => {
  it('find: header with total, escaped query and names, "and N more"', () => {
    const m = buildFindResults('<acme>', [match(1, { name: NASTY })], 12);
    const text = visibleText(m);
    expect(text).toContain('*12 leads match “&lt;acme&gt;”*');
    expect(text).toContain(`*${ESCAPED}*`);
    expect(text).toContain('_…and 11 more._');
  });

  it('find: nothing found says how to search', () => {
    expect(buildFindResults('zz', [], 0)).toEqual({
      text: 'No lead matches “zz”. Search by name, company, e-mail or customer id.',
    });
  });

  it("long lists are split over sections within Slack's 3,000 characters", () => {
    const many = Array.from({ length: 60 }, (_, i) => match(i, { name: 'N'.repeat(100) }));
    const m = buildFindResults('n', many, 60);
    expect(m.blocks!.length).toBeGreaterThan(1);
    for (const b of m.blocks as any[]) expect(b.text.text.length).toBeLessThanOrEqual(3000);
  });

  it('candidates end with the usage, escaped', () => {
    const text = visibleText(buildCandidatesMessage('acme', [match(1), match(2)], 2, '/crm lead <customer>'));
    expect(text).toContain('“acme” matches 2 leads');
    expect(text).toContain('Usage: `/crm lead &lt;customer&gt;`');
  });

  it('uncontacted: everyone contacted is a short, happy answer; else the total and value', () => {
    expect(buildUncontactedList({ days: 30, total: 0, totalUsdCents: 0n, leads: [] } as any).text).toContain(
      'has been contacted',
    );
    const lead = { ...match(1, { name: NASTY }), unknownCurrencies: [], lastOrderAt: new Date('2026-11-20T10:00:00Z') };
    const text = visibleText(
      buildUncontactedList({ days: 30, total: 1, totalUsdCents: 100_00n, leads: [lead] } as any),
    );
    expect(text).toContain('*1 customer ordered in the last 30 days and has not been contacted* ($100.00 lifetime)');
    expect(text).toContain(ESCAPED);
  });

  it('mine: grouped by stage with counts; none says what to do', () => {
    expect(buildMyLeads([]).text).toMatch(/^You own no leads yet/);
    const text = visibleText(
      buildMyLeads([{ stage: 'lead', count: 3, leads: [{ ...match(1, { name: NASTY }), lastTouchAt: null }] } as any]),
    );
    expect(text).toContain('*Your 3 leads*');
    expect(text).toContain('*Lead* (3)');
    expect(text).toContain('_…and 2 more._');
    expect(text).toContain(ESCAPED);
  });

  it('help lists every usage escaped, after the preface', () => {
    const m = buildHelpMessage([{ usage: '/crm find <text>', description: 'search & find' }], 'Unknown command `x`.');
    expect(m.text).toBe(
      'Unknown command `x`.\n\n*CRM commands*\n`/crm help`: this list\n`/crm find &lt;text&gt;`: search &amp; find',
    );
  });
});

describe('lead modals', () => {
  it('stage change: every stage offered, the current one selected, metadata carries id, version and card', () => {
    const v = buildStageChangeModal(summary, { responseUrl: 'https://hooks.slack.test/x' });
    expect(v.callback_id).toBe(CALLBACK_IDS.stageChange);
    const select = (v.blocks as any[]).find((b) => b.block_id === LEAD_BLOCKS.stage).element;
    expect(select.action_id).toBe(ACTION_IDS.stageSelect);
    expect(select.options.map((o: any) => o.value)).toEqual(STAGES.map((s) => s.slug));
    expect(select.initial_option.value).toBe('contacted');
    expect(decodeLeadMetadata(v.private_metadata)).toEqual({
      leadId: 7,
      version: 3,
      responseUrl: 'https://hooks.slack.test/x',
    });
    expect(visibleText(v)).toContain(`*${ESCAPED}* (ACME LLC) · \`C&lt;7&gt;\``);
  });

  it('stage change: a preselected stage wins (churn from /crm stage)', () => {
    const v = buildStageChangeModal(summary, { preselect: 'churned' });
    expect((v.blocks as any[]).find((b) => b.block_id === LEAD_BLOCKS.stage).element.initial_option.value).toBe(
      'churned',
    );
    expect(decodeLeadMetadata(v.private_metadata)).toEqual({ leadId: 7, version: 3 });
  });

  it('note, contact and owner modals: their callback ids, inputs and prefilled values', () => {
    expect(buildNoteModal(summary).callback_id).toBe(CALLBACK_IDS.leadNote);
    const contact = buildContactModal(summary);
    expect(contact.callback_id).toBe(CALLBACK_IDS.leadContact);
    const inputs = (contact.blocks as any[]).filter((b) => b.type === 'input');
    expect(inputs.map((b) => b.block_id)).toEqual([
      LEAD_BLOCKS.contactName,
      LEAD_BLOCKS.contactRole,
      LEAD_BLOCKS.contactEmail,
      LEAD_BLOCKS.contactPhone,
    ]);
    expect(inputs.map((b) => b.element.initial_value ?? null)).toEqual(['Jane <b>', null, 'jane@acme.com', null]);
    const owner = buildOwnerModal(summary);
    expect(owner.callback_id).toBe(CALLBACK_IDS.leadOwner);
    expect((owner.blocks as any[]).find((b) => b.block_id === LEAD_BLOCKS.owner).element).toMatchObject({
      action_id: ACTION_IDS.ownerSelect,
      initial_user: 'U0AMANAGE1',
    });
  });

  it("every interactive element uses a known action id; titles fit Slack's 24 characters", () => {
    for (const v of [
      buildStageChangeModal(summary),
      buildNoteModal(summary),
      buildContactModal(summary),
      buildOwnerModal(summary),
      buildLogToCrmModal({ text: 'x', channelId: 'C1', messageTs: '1.2' }),
    ]) {
      for (const id of actionIds(v.blocks)) expect(isKnownActionId(id)).toBe(true);
      expect(v.title.text.length).toBeLessThanOrEqual(24);
    }
  });

  it('Log to CRM: the message is the note, the source in metadata; an empty message leaves the note empty', () => {
    const v = buildLogToCrmModal({
      text: '  They want 40 pallets  ',
      channelId: 'C0SALES01',
      messageTs: '1700000000.000100',
    });
    expect(v.callback_id).toBe(CALLBACK_IDS.logToCrm);
    expect((v.blocks as any[]).find((b) => b.block_id === LOG_TO_CRM_BLOCKS.note).element.initial_value).toBe(
      'They want 40 pallets',
    );
    expect((v.blocks as any[]).find((b) => b.block_id === LOG_TO_CRM_BLOCKS.lead).element).toMatchObject({
      type: 'external_select',
      action_id: ACTION_IDS.leadSelect,
    });
    expect(decodeLogToCrmMetadata(v.private_metadata)).toEqual({
      channelId: 'C0SALES01',
      messageTs: '1700000000.000100',
    });
    const empty = buildLogToCrmModal({ text: '', channelId: 'C1', messageTs: '1.2' });
    expect(
      (empty.blocks as any[]).find((b) => b.block_id === LOG_TO_CRM_BLOCKS.note).element.initial_value,
    ).toBeUndefined();
  });

  it('metadata readers refuse what the modals do not write', () => {
    expect(decodeLeadMetadata('nope')).toBeNull();
    expect(decodeLeadMetadata('{"leadId":1}')).toBeNull();
    expect(decodeLogToCrmMetadata('{"channelId":1}')).toBeNull();
  });

  it("a notice modal keeps its text within a section's limit", () => {
    const v = buildNoticeModal('A title that is far too long for Slack', 'x'.repeat(5000));
    expect(v.title.text.length).toBeLessThanOrEqual(24);
    expect((v.blocks as any[])[0].text.text.length).toBeLessThanOrEqual(3000);
    expect(v.submit).toBeUndefined();
  });

  it('lead options: at most 100, 75 characters each, value the lead id, company shown when it differs', () => {
    const opts = buildLeadOptions(
      Array.from({ length: 120 }, (_, i) => ({
        leadId: i + 1,
        customerId: `C${i}`,
        name: i === 0 ? 'ACME' : 'N'.repeat(90),
        company: i === 0 ? 'ACME LLC' : null,
      })),
    );
    expect(opts).toHaveLength(100);
    expect(opts[0]).toMatchObject({ text: { text: 'ACME (ACME LLC) · C0' }, value: '1' });
    for (const o of opts) expect(o.text.text.length).toBeLessThanOrEqual(75);
  });
});
