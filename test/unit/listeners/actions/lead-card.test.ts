import { formatLocalDate, localDateTimeOf } from '../../../../src/common/zoned-time';
import { getLeadCard } from '../../../../src/domain/lead-card-data';
import { getLeadHistory } from '../../../../src/domain/lead-history';
import { getLeadSummary } from '../../../../src/domain/leads';
import { getOrderHistory } from '../../../../src/domain/order-history';
import { getRates } from '../../../../src/domain/rates';
import { loadStageLabels } from '../../../../src/domain/settings';
import type { ProductionReader } from '../../../../src/production/types';
import { assignToMe } from '../../../../src/slack/listeners/actions/assign-to-me';
import { leadHistoryPage } from '../../../../src/slack/listeners/actions/lead-history-page';
import { leadOverflow } from '../../../../src/slack/listeners/actions/lead-overflow';
import { openFollowUpModal } from '../../../../src/slack/listeners/actions/open-follow-up-modal';
import { viewOrders } from '../../../../src/slack/listeners/actions/view-orders';
import {
  openContactModal,
  openNoteModal,
  openOwnerModal,
  openStageModal,
} from '../../../../src/slack/listeners/lead-flow';
import { refusalFor } from '../../../../src/slack/viewer';
import { ACTION_IDS } from '../../../../src/slack/views/action-ids';
import { buildFollowUpModal } from '../../../../src/slack/views/follow-up-modal';
import {
  buildContactModal,
  buildLeadCard,
  buildLeadHistoryMessage,
  buildNoteModal,
  buildOwnerModal,
  buildStageChangeModal,
} from '../../../../src/slack/views/lead-card';
import { buildNoticeModal } from '../../../../src/slack/views/notice-modal';
import { buildOrderHistoryMessage, PRODUCTION_NOT_CONFIGURED } from '../../../../src/slack/views/order-history-message';
import {
  ADMIN,
  AM,
  AM2,
  blockAction,
  captureResponseUrls,
  fakes,
  GUEST,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  published,
  RESPONSE_URL,
  STRANGER,
  TRIGGER_ID,
  USER_TZ,
  viewerOf,
  visibleText,
} from '../../../support/listener-kit';
import { seedLead } from '../../../support/seed-leads';

captureResponseUrls();

const orders: ProductionReader = {
  fetchCustomers: () => Promise.reject(new Error('not used')),
  fetchOrders: async () => ({
    rows: [
      {
        orderId: 'O-1',
        createdAt: new Date('2026-11-01T10:00:00Z'),
        market: 'AE',
        currency: 'USD',
        total: '1250.00',
        status: 'delivered',
      },
    ],
    rejected: [],
  }),
  lastCall: () => null,
};

let t: ListenerDeps;
let leadId: number;
beforeAll(async () => {
  t = await openListenerDeps({ production: orders });
  leadId = await seedLead(t.deps.db.prisma, {
    customerId: 'C100',
    name: '<!channel> ACME & Co',
    company: 'ACME LLC',
    ownerId: AM,
  });
});
afterAll(() => t.cleanup());

const prisma = () => t.deps.db.prisma;
const summary = () => getLeadSummary(prisma(), leadId);
const labels = () => loadStageLabels(prisma());

describe.each([
  [
    'openStageModal',
    openStageModal,
    ACTION_IDS.openStageModal,
    async (responseUrl?: string) => buildStageChangeModal(await summary(), { labels: await labels(), responseUrl }),
  ],
  [
    'openNoteModal',
    openNoteModal,
    ACTION_IDS.openNoteModal,
    async (responseUrl?: string) => buildNoteModal(await summary(), { responseUrl }),
  ],
  [
    'openContactModal',
    openContactModal,
    ACTION_IDS.openContactModal,
    async (responseUrl?: string) => buildContactModal(await summary(), { responseUrl }),
  ],
  [
    'openOwnerModal',
    openOwnerModal,
    ACTION_IDS.openOwnerModal,
    async (responseUrl?: string) => buildOwnerModal(await summary(), { responseUrl }),
  ],
])('%s', (_name, factory, actionId, expected) => {
  it('acks first, then opens the modal the builder makes, carrying the card to refresh', async () => {
    const f = fakes();
    await factory(t.deps)(blockAction(f, { userId: AM, actionId, value: String(leadId), from: 'message' }));
    expect(f.ack).toHaveBeenCalledTimes(1);
    expect(f.ack).toHaveBeenCalledWith();
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open).toHaveBeenCalledTimes(1);
    expect(f.client.views.open).toHaveBeenCalledWith({ trigger_id: TRIGGER_ID, view: await expected(RESPONSE_URL) });
    expect(visibleText(f.client.views.open.mock.calls[0]![0].view)).toContain('&lt;!channel&gt; ACME &amp; Co');
  });

  it('from the Home tab: the same modal without a card to refresh', async () => {
    const f = fakes();
    await factory(t.deps)(blockAction(f, { userId: ADMIN, actionId, value: String(leadId), from: 'view' }));
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open).toHaveBeenCalledWith({ trigger_id: TRIGGER_ID, view: await expected(undefined) });
  });

  it('refuses a manager under the card, without opening the modal', async () => {
    const f = fakes();
    await factory(t.deps)(blockAction(f, { userId: MANAGER, actionId, value: String(leadId), from: 'message' }));
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open).not.toHaveBeenCalled();
    expect(f.responseUrlPosts).toEqual([
      {
        url: RESPONSE_URL,
        body: {
          response_type: 'ephemeral',
          replace_original: false,
          text: refusalFor(viewerOf(MANAGER, 'manager'), 'edit'),
        },
      },
    ]);
  });

  it('refuses a guest on Home with a notice modal', async () => {
    const f = fakes();
    await factory(t.deps)(blockAction(f, { userId: GUEST, actionId, value: String(leadId), from: 'view' }));
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildNoticeModal('Not allowed', 'Sorry, the CRM is not available to guest accounts.'),
    });
  });

  it('refuses someone outside the roster without asking Slack who they are', async () => {
    const f = fakes();
    await factory(t.deps)(blockAction(f, { userId: STRANGER, actionId, value: String(leadId), from: 'view' }));
    expect(f.client.users.info).not.toHaveBeenCalled();
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildNoticeModal('Not allowed', 'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.'),
    });
  });

  it('says so when the lead no longer exists', async () => {
    const f = fakes();
    await factory(t.deps)(blockAction(f, { userId: AM, actionId, value: '999999', from: 'message' }));
    expect(f.client.views.open).not.toHaveBeenCalled();
    expect(f.responseUrlPosts).toHaveLength(1);
    expect(f.responseUrlPosts[0]!.body.text).toMatch(/no longer exists|not found|removed/i);
  });

  it('ignores a button without a lead id (acked, nothing shown)', async () => {
    const f = fakes();
    await factory(t.deps)(blockAction(f, { userId: AM, actionId, value: 'abc', from: 'message' }));
    expect(f.calls).toEqual(['ack']);
  });
});

describe('openFollowUpModal', () => {
  it('opens the follow-up modal for the viewer, tomorrow 09:00 in their zone', async () => {
    const f = fakes();
    await openFollowUpModal(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.openFollowUpModal, value: String(leadId), from: 'message' }),
    );
    const lead = await summary();
    const tomorrow = formatLocalDate(localDateTimeOf(t.clock.now(), USER_TZ).day + 1);
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildFollowUpModal({
        lead: { leadId, name: lead.name, company: lead.company },
        values: {
          message: null,
          kind: 'once',
          date: tomorrow,
          time: '09:00',
          interval: null,
          weekday: null,
          dayOfMonth: null,
          ownerId: AM,
        },
        timeZone: USER_TZ,
      }),
    });
  });

  it('tells a manager they cannot set follow-ups (notice modal on Home)', async () => {
    const f = fakes();
    await openFollowUpModal(t.deps)(
      blockAction(f, { userId: MANAGER, actionId: ACTION_IDS.openFollowUpModal, value: String(leadId), from: 'view' }),
    );
    expect(f.client.views.open).toHaveBeenCalledTimes(1);
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildNoticeModal('Follow-up', refusalFor(viewerOf(MANAGER, 'manager'), 'edit')!),
    });
  });
});

describe('assignToMe', () => {
  it('from a card: takes the lead, republishes the Homes concerned after the ack and replaces the card', async () => {
    const id = await seedLead(prisma(), { customerId: 'C200', name: 'Unowned Ltd' });
    const f = fakes();
    await assignToMe(t.deps)(
      blockAction(f, { userId: AM2, actionId: ACTION_IDS.assignToMe, value: String(id), from: 'message' }),
    );
    expect(f.calls[0]).toBe('ack');
    expect((await summary2(id)).ownerId).toBe(AM2);
    expect(f.client.views.publish).toHaveBeenCalledTimes(1);
    expect(f.client.views.publish).toHaveBeenCalledWith(
      published(AM2, await t.deps.homePublisher.buildFor(viewerOf(AM2, 'account_manager'))),
    );
    const card = await getLeadCard(prisma(), id);
    expect(f.responseUrlPosts).toEqual([
      {
        url: RESPONSE_URL,
        body: {
          response_type: 'ephemeral',
          replace_original: true,
          ...buildLeadCard(card, { labels: await labels(), viewerId: AM2, canEdit: true }),
        },
      },
    ]);
    expect(f.client.views.open).not.toHaveBeenCalled();
  });

  it('from Home: says so in a modal, since there is no card to refresh', async () => {
    const id = await seedLead(prisma(), { customerId: 'C201', name: 'Home & Garden' });
    const f = fakes();
    await assignToMe(t.deps)(
      blockAction(f, { userId: AM2, actionId: ACTION_IDS.assignToMe, value: String(id), from: 'view' }),
    );
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildNoticeModal('Assigned', 'You now own Home &amp; Garden.'),
    });
    expect(f.responseUrlPosts).toEqual([]);
  });

  it('refuses to take a lead someone else owns, naming the owner', async () => {
    const f = fakes();
    await assignToMe(t.deps)(
      blockAction(f, { userId: AM2, actionId: ACTION_IDS.assignToMe, value: String(leadId), from: 'message' }),
    );
    expect((await summary()).ownerId).toBe(AM);
    expect(f.client.views.publish).not.toHaveBeenCalled();
    expect(f.responseUrlPosts).toHaveLength(1);
    expect(f.responseUrlPosts[0]!.body.text).toBe(
      `<@${AM}> already owns this lead. Use "Change owner" to take it over.`,
    );
  });

  it('refuses a manager', async () => {
    const f = fakes();
    await assignToMe(t.deps)(
      blockAction(f, { userId: MANAGER, actionId: ACTION_IDS.assignToMe, value: String(leadId), from: 'message' }),
    );
    expect(f.responseUrlPosts.map((p) => p.body.text)).toEqual([refusalFor(viewerOf(MANAGER, 'manager'), 'edit')]);
    expect((await summary()).ownerId).toBe(AM);
  });
});

async function summary2(id: number) {
  return getLeadSummary(prisma(), id);
}

describe('viewOrders', () => {
  it('under a card: posts the order history the builder makes for this customer', async () => {
    const f = fakes();
    await viewOrders(t.deps)(
      blockAction(f, { userId: MANAGER, actionId: ACTION_IDS.viewOrders, value: String(leadId), from: 'message' }),
    );
    const expected = buildOrderHistoryMessage(
      await summary(),
      await getOrderHistory(orders, await getRates(prisma()), 'C100'),
    );
    expect(f.calls[0]).toBe('ack');
    expect(f.responseUrlPosts).toEqual([
      { url: RESPONSE_URL, body: { response_type: 'ephemeral', replace_original: false, ...expected } },
    ]);
    expect(visibleText(expected)).toContain('O-1');
  });

  it('on Home: opens "Loading…" at once, then updates that modal with the history', async () => {
    const f = fakes();
    await viewOrders(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.viewOrders, value: String(leadId), from: 'view' }),
    );
    const expected = buildOrderHistoryMessage(
      await summary(),
      await getOrderHistory(orders, await getRates(prisma()), 'C100'),
    );
    expect(f.shown()).toEqual(['views.open', 'views.update']);
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildNoticeModal('Order history', 'Loading orders from production…'),
    });
    expect(f.client.views.update).toHaveBeenCalledWith({
      view_id: 'V0MODAL01',
      view: { ...buildNoticeModal('Order history', expected.text), blocks: expected.blocks },
    });
  });

  it('without production configured: says so plainly', async () => {
    const local = await openListenerDeps();
    try {
      const id = await seedLead(local.deps.db.prisma, { customerId: 'C300', name: 'Offline' });
      const f = fakes();
      await viewOrders(local.deps)(
        blockAction(f, { userId: AM, actionId: ACTION_IDS.viewOrders, value: String(id), from: 'message' }),
      );
      expect(f.responseUrlPosts.map((p) => p.body.text)).toEqual([PRODUCTION_NOT_CONFIGURED]);
    } finally {
      await local.cleanup();
    }
  });

  it('refuses a guest', async () => {
    const f = fakes();
    await viewOrders(t.deps)(
      blockAction(f, { userId: GUEST, actionId: ACTION_IDS.viewOrders, value: String(leadId), from: 'message' }),
    );
    expect(f.responseUrlPosts.map((p) => p.body.text)).toEqual(['Sorry, the CRM is not available to guest accounts.']);
  });
});

describe('leadHistoryPage', () => {
  it('under a card: replaces the message with the page the builder makes', async () => {
    const f = fakes();
    await leadHistoryPage(t.deps)(
      blockAction(f, { userId: MANAGER, actionId: ACTION_IDS.leadHistoryPage, value: `${leadId}:1`, from: 'message' }),
    );
    const expected = buildLeadHistoryMessage(
      await summary(),
      await getLeadHistory(prisma(), leadId, 1),
      await labels(),
    );
    expect(f.calls[0]).toBe('ack');
    expect(f.responseUrlPosts).toEqual([
      { url: RESPONSE_URL, body: { response_type: 'ephemeral', ...expected, replace_original: true } },
    ]);
  });

  it('on Home: opens the page in a modal', async () => {
    const f = fakes();
    await leadHistoryPage(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.leadHistoryPage, value: `${leadId}:1`, from: 'view' }),
    );
    const expected = buildLeadHistoryMessage(
      await summary(),
      await getLeadHistory(prisma(), leadId, 1),
      await labels(),
    );
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: { ...buildNoticeModal('Lead history', expected.text), blocks: expected.blocks },
    });
  });

  it('refuses someone outside the roster', async () => {
    const f = fakes();
    await leadHistoryPage(t.deps)(
      blockAction(f, { userId: STRANGER, actionId: ACTION_IDS.leadHistoryPage, value: `${leadId}:1`, from: 'message' }),
    );
    expect(f.responseUrlPosts.map((p) => p.body.text)).toEqual([
      'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.',
    ]);
  });

  it('ignores a malformed value', async () => {
    const f = fakes();
    await leadHistoryPage(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.leadHistoryPage, value: 'nope', from: 'message' }),
    );
    expect(f.shown()).toEqual([]);
  });
});

describe('leadOverflow', () => {
  it('"stage:<id>" opens the same stage modal as the card button', async () => {
    const f = fakes();
    await leadOverflow(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.leadOverflow, selected: `stage:${leadId}`, from: 'view' }),
    );
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildStageChangeModal(await summary(), { labels: await labels() }),
    });
  });

  it('"note:<id>" refuses a manager like the card button does', async () => {
    const f = fakes();
    await leadOverflow(t.deps)(
      blockAction(f, { userId: MANAGER, actionId: ACTION_IDS.leadOverflow, selected: `note:${leadId}`, from: 'view' }),
    );
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildNoticeModal('Not allowed', refusalFor(viewerOf(MANAGER, 'manager'), 'edit')!),
    });
  });

  it('ignores an option it does not know (acked, nothing shown)', async () => {
    const f = fakes();
    await leadOverflow(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.leadOverflow, selected: `delete:${leadId}`, from: 'view' }),
    );
    expect(f.calls).toEqual(['ack']);
  });
});
