import { getLeadCard } from '../../../../src/domain/lead-card-data';
import { getLeadSummary } from '../../../../src/domain/leads';
import { loadStageLabels } from '../../../../src/domain/settings';
import { leadContact, leadNote, leadOwner, stageChange } from '../../../../src/slack/listeners/lead-flow';
import { logToCrm } from '../../../../src/slack/listeners/views/log-to-crm-submission';
import { refusalFor } from '../../../../src/slack/viewer';
import { ACTION_IDS, CALLBACK_IDS } from '../../../../src/slack/views/action-ids';
import {
  buildContactModal,
  buildLeadCard,
  buildOwnerModal,
  buildStageChangeModal,
  encodeLeadMetadata,
  LEAD_BLOCKS,
} from '../../../../src/slack/views/lead-card';
import { encodeLogToCrmMetadata, LOG_TO_CRM_BLOCKS } from '../../../../src/slack/views/log-to-crm-modal';
import { staleLeadNotice } from '../../../../src/slack/views/stale-lead';
import {
  AM,
  AM2,
  captureResponseUrls,
  type Fakes,
  fakes,
  GUEST,
  input,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  published,
  RESPONSE_URL,
  STRANGER,
  select,
  userSelect,
  viewerOf,
  viewSubmission,
  visibleText,
} from '../../../support/listener-kit';
import { seedLead } from '../../../support/seed-leads';

captureResponseUrls();

let t: ListenerDeps;
beforeAll(async () => {
  t = await openListenerDeps();
});
afterAll(() => t.cleanup());

const prisma = () => t.deps.db.prisma;
let seq = 0;
const newLead = (ownerId: string | null = AM) =>
  seedLead(prisma(), { customerId: `C${++seq}`, name: `Lead ${seq}`, ownerId });

async function metaFor(leadId: number, responseUrl?: string): Promise<string> {
  const lead = await getLeadSummary(prisma(), leadId);
  return encodeLeadMetadata({ leadId, version: lead.version, ...(responseUrl ? { responseUrl } : {}) });
}

/**
 * The submission was accepted: one bare ack, before anything the user sees (Home, card).
 * `lookups` are Web API reads the listener still makes before its ack.
 */
function expectClosed(f: Fakes, lookups: string[] = []): void {
  expect(f.ack.mock.calls).toEqual([[]]);
  for (const shown of f.shown().filter((c) => !lookups.includes(c)))
    expect(f.indexOf('ack')).toBeLessThan(f.indexOf(shown));
}

/** The modal stays open with exactly these field errors, and nothing else happened. */
function expectErrors(f: Fakes, errors: Record<string, string>): void {
  expect(f.ack.mock.calls).toEqual([[{ response_action: 'errors', errors }]]);
  expect(f.shown()).toEqual([]);
}

const stageValues = (stage: string | null, note = '', reason = '') => ({
  [LEAD_BLOCKS.stage]: { [ACTION_IDS.stageSelect]: select(stage) },
  [LEAD_BLOCKS.churnReason]: { [ACTION_IDS.churnReason]: input(reason || null) },
  [LEAD_BLOCKS.stageNote]: { [ACTION_IDS.stageNote]: input(note || null) },
});

describe('stageChange', () => {
  it('moves the lead, closes the modal, republishes the Homes and replaces the card it came from', async () => {
    const leadId = await newLead(AM2);
    const f = fakes();
    const args = viewSubmission(f, {
      userId: AM,
      callbackId: CALLBACK_IDS.stageChange,
      privateMetadata: await metaFor(leadId, RESPONSE_URL),
      values: stageValues('contacted', 'Called them'),
    });
    await stageChange(t.deps)(args);
    expectClosed(f);
    expect((await getLeadSummary(prisma(), leadId)).stage).toBe('contacted');
    expect(f.client.views.publish.mock.calls.map((c) => c[0].user_id).sort()).toEqual([AM, AM2].sort());
    expect(f.client.views.publish).toHaveBeenCalledWith(
      published(AM, await t.deps.homePublisher.buildFor(viewerOf(AM, 'account_manager'))),
    );
    const card = buildLeadCard(await getLeadCard(prisma(), leadId), {
      labels: await loadStageLabels(prisma()),
      viewerId: AM,
      canEdit: true,
    });
    expect(f.responseUrlPosts).toEqual([
      { url: RESPONSE_URL, body: { response_type: 'ephemeral', replace_original: true, ...card } },
    ]);
  });

  it('a churn without a reason: the error is on the reason field, nothing is saved', async () => {
    const leadId = await newLead();
    const f = fakes();
    await stageChange(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.stageChange,
        privateMetadata: await metaFor(leadId),
        values: stageValues('churned'),
      }),
    );
    expectErrors(f, { [LEAD_BLOCKS.churnReason]: 'Moving a lead to Churned needs a reason.' });
    expect((await getLeadSummary(prisma(), leadId)).stage).toBe('lead');
  });

  it("a form opened before someone else's change comes back filled in, at the new version, saying what changed; submitting again applies it", async () => {
    const leadId = await newLead();
    const stale = await metaFor(leadId, RESPONSE_URL);
    await stageChange(t.deps)(
      viewSubmission(fakes(), {
        userId: AM2,
        callbackId: CALLBACK_IDS.stageChange,
        privateMetadata: stale,
        values: stageValues('negotiation'),
      }),
    );
    const moved = (await getLeadCard(prisma(), leadId)).recentActivity[0]!;
    const f = fakes();
    await stageChange(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.stageChange,
        privateMetadata: stale,
        values: stageValues('churned', 'Called & <b>lost</b>', 'Went elsewhere'),
      }),
    );
    const now = await getLeadSummary(prisma(), leadId);
    const notice = staleLeadNotice([moved], await loadStageLabels(prisma()));
    expect(notice).toContain(
      `<@${AM2}> moved this lead from *Lead* to *Negotiation* at <!date^${Math.floor(moved.createdAt.getTime() / 1000)}^`,
    );
    expect(notice).toContain('Your values are kept: submit again to apply them on top.');
    const refilled = buildStageChangeModal(now, {
      labels: await loadStageLabels(prisma()),
      responseUrl: RESPONSE_URL,
      preselect: 'churned',
      values: { note: 'Called & <b>lost</b>', churnReason: 'Went elsewhere' },
      notice,
    });
    expect(f.ack.mock.calls).toEqual([[{ response_action: 'update', view: refilled }]]);
    expect(f.shown()).toEqual([]);
    // What the person sees: their stage, reason and note, and the lead's new version.
    const blocks = refilled.blocks as any[];
    expect(blocks.find((b) => b.block_id === LEAD_BLOCKS.stage).element.initial_option.value).toBe('churned');
    expect(blocks.find((b) => b.block_id === LEAD_BLOCKS.churnReason).element.initial_value).toBe('Went elsewhere');
    expect(blocks.find((b) => b.block_id === LEAD_BLOCKS.stageNote).element.initial_value).toBe('Called & <b>lost</b>');
    expect(JSON.parse(refilled.private_metadata!)).toEqual({ leadId, version: now.version, responseUrl: RESPONSE_URL });
    expect(now.stage).toBe('negotiation');

    const again = fakes();
    await stageChange(t.deps)(
      viewSubmission(again, {
        userId: AM,
        callbackId: CALLBACK_IDS.stageChange,
        privateMetadata: refilled.private_metadata,
        values: stageValues('churned', 'Called & <b>lost</b>', 'Went elsewhere'),
      }),
    );
    expectClosed(again);
    expect((await getLeadSummary(prisma(), leadId)).stage).toBe('churned');
  });

  it('several changes since the form opened: the latest is named and the others counted', async () => {
    const leadId = await newLead();
    const stale = await metaFor(leadId);
    await stageChange(t.deps)(
      viewSubmission(fakes(), {
        userId: AM2,
        callbackId: CALLBACK_IDS.stageChange,
        privateMetadata: stale,
        values: stageValues('contacted'),
      }),
    );
    await leadOwner(t.deps)(
      viewSubmission(fakes(), {
        userId: AM2,
        callbackId: CALLBACK_IDS.leadOwner,
        privateMetadata: await metaFor(leadId),
        values: { [LEAD_BLOCKS.owner]: { [ACTION_IDS.ownerSelect]: userSelect(AM2) } },
      }),
    );
    const f = fakes();
    await stageChange(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.stageChange,
        privateMetadata: stale,
        values: stageValues('negotiation'),
      }),
    );
    const view = f.ack.mock.calls[0]![0].view;
    const text = visibleText(view);
    expect(text).toContain(`<@${AM2}> gave this lead to <@${AM2}> at`);
    expect(text).toContain('(after 1 other change)');
    expect(text).toContain('Now in *Contacted*');
    expect(JSON.parse(view.private_metadata).version).toBe(3);
  });

  it('refuses a manager on the stage field (a forged or stale submission)', async () => {
    const leadId = await newLead();
    const f = fakes();
    await stageChange(t.deps)(
      viewSubmission(f, {
        userId: MANAGER,
        callbackId: CALLBACK_IDS.stageChange,
        privateMetadata: await metaFor(leadId),
        values: stageValues('contacted'),
      }),
    );
    expectErrors(f, { [LEAD_BLOCKS.stage]: refusalFor(viewerOf(MANAGER, 'manager'), 'edit')! });
    expect((await getLeadSummary(prisma(), leadId)).stage).toBe('lead');
  });

  it('refuses metadata it did not write', async () => {
    const f = fakes();
    await stageChange(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.stageChange,
        privateMetadata: '{"leadId":"1"}',
        values: stageValues('contacted'),
      }),
    );
    expectErrors(f, { [LEAD_BLOCKS.stage]: 'This form is out of date. Close it and open it again from the lead.' });
  });
});

describe('leadNote', () => {
  const values = (text: string | null) => ({ [LEAD_BLOCKS.note]: { [ACTION_IDS.noteText]: input(text) } });

  it('saves the note even from a form opened before another change (a note only appends)', async () => {
    const leadId = await newLead();
    const stale = await metaFor(leadId);
    await leadNote(t.deps)(
      viewSubmission(fakes(), {
        userId: AM,
        callbackId: CALLBACK_IDS.leadNote,
        privateMetadata: stale,
        values: values('first'),
      }),
    );
    const f = fakes();
    await leadNote(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.leadNote,
        privateMetadata: stale,
        values: values('second <b>'),
      }),
    );
    expectClosed(f);
    const card = await getLeadCard(prisma(), leadId);
    expect(card.recentNotes.map((n) => n.text)).toEqual(['second <b>', 'first']);
    expect(f.client.views.publish).toHaveBeenCalledTimes(1);
    expect(f.responseUrlPosts).toEqual([]);
  });

  it('an empty note: the error is on the note field', async () => {
    const leadId = await newLead();
    const f = fakes();
    await leadNote(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.leadNote,
        privateMetadata: await metaFor(leadId),
        values: values('  '),
      }),
    );
    expectErrors(f, { [LEAD_BLOCKS.note]: 'The note is empty.' });
  });

  it('refuses a guest', async () => {
    const leadId = await newLead();
    const f = fakes();
    await leadNote(t.deps)(
      viewSubmission(f, {
        userId: GUEST,
        callbackId: CALLBACK_IDS.leadNote,
        privateMetadata: await metaFor(leadId),
        values: values('hi'),
      }),
    );
    expectErrors(f, { [LEAD_BLOCKS.note]: 'Sorry, the CRM is not available to guest accounts.' });
  });
});

describe('leadContact', () => {
  const values = (email: string) => ({
    [LEAD_BLOCKS.contactName]: { [ACTION_IDS.contactName]: input('Jane Doe') },
    [LEAD_BLOCKS.contactRole]: { [ACTION_IDS.contactRole]: input('Buyer') },
    [LEAD_BLOCKS.contactEmail]: { [ACTION_IDS.contactEmail]: input(email) },
    [LEAD_BLOCKS.contactPhone]: { [ACTION_IDS.contactPhone]: input('+971 4 123 4567') },
  });

  it('saves the contact person', async () => {
    const leadId = await newLead();
    const f = fakes();
    await leadContact(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.leadContact,
        privateMetadata: await metaFor(leadId),
        values: values('jane@acme.com'),
      }),
    );
    expectClosed(f);
    expect((await getLeadSummary(prisma(), leadId)).contact).toEqual({
      name: 'Jane Doe',
      role: 'Buyer',
      email: 'jane@acme.com',
      phone: '+971 4 123 4567',
    });
  });

  it("a form opened before someone else's change comes back with the typed contact and what changed", async () => {
    const leadId = await newLead();
    const stale = await metaFor(leadId);
    await leadContact(t.deps)(
      viewSubmission(fakes(), {
        userId: AM2,
        callbackId: CALLBACK_IDS.leadContact,
        privateMetadata: stale,
        values: values('sam@acme.com'),
      }),
    );
    const f = fakes();
    const mine = { ...values('jane@acme.com'), [LEAD_BLOCKS.contactRole]: { [ACTION_IDS.contactRole]: input(null) } };
    await leadContact(t.deps)(
      viewSubmission(f, { userId: AM, callbackId: CALLBACK_IDS.leadContact, privateMetadata: stale, values: mine }),
    );
    const now = await getLeadSummary(prisma(), leadId);
    const [changed] = (await getLeadCard(prisma(), leadId)).recentActivity;
    const expected = buildContactModal(now, {
      notice: staleLeadNotice([changed!]),
      values: { name: 'Jane Doe', role: '', email: 'jane@acme.com', phone: '+971 4 123 4567' },
    });
    expect(f.ack.mock.calls).toEqual([[{ response_action: 'update', view: expected }]]);
    const blocks = expected.blocks as any[];
    expect(blocks.find((b) => b.block_id === LEAD_BLOCKS.contactEmail).element.initial_value).toBe('jane@acme.com');
    expect(blocks.find((b) => b.block_id === LEAD_BLOCKS.contactRole).element.initial_value).toBeUndefined();
    expect(visibleText(expected)).toContain(
      `<@${AM2}> set the contact to Jane Doe · Buyer · sam@acme.com · +971 4 123 4567 at`,
    );
    expect(now.contact.email).toBe('sam@acme.com');
    const again = fakes();
    await leadContact(t.deps)(
      viewSubmission(again, {
        userId: AM,
        callbackId: CALLBACK_IDS.leadContact,
        privateMetadata: expected.private_metadata,
        values: mine,
      }),
    );
    expectClosed(again);
    expect((await getLeadSummary(prisma(), leadId)).contact).toEqual({
      name: 'Jane Doe',
      role: null,
      email: 'jane@acme.com',
      phone: '+971 4 123 4567',
    });
  });

  it('a bad e-mail: the error is on the e-mail field, nothing saved', async () => {
    const leadId = await newLead();
    const f = fakes();
    await leadContact(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.leadContact,
        privateMetadata: await metaFor(leadId),
        values: values('not-an-email'),
      }),
    );
    expectErrors(f, { [LEAD_BLOCKS.contactEmail]: 'That is not a valid e-mail address, e.g. jane@acme.com.' });
    expect((await getLeadSummary(prisma(), leadId)).contact.email).toBeNull();
  });
});

describe('leadOwner', () => {
  const values = (user: string | null) => ({ [LEAD_BLOCKS.owner]: { [ACTION_IDS.ownerSelect]: userSelect(user) } });

  it('hands the lead over; the Homes of actor, new and old owner are republished', async () => {
    const leadId = await newLead(AM);
    const f = fakes();
    await leadOwner(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.leadOwner,
        privateMetadata: await metaFor(leadId),
        values: values(AM2),
      }),
    );
    expectClosed(f);
    expect((await getLeadSummary(prisma(), leadId)).ownerId).toBe(AM2);
    expect(f.client.views.publish.mock.calls.map((c) => c[0].user_id).sort()).toEqual([AM, AM2].sort());
  });

  it('someone outside the roster cannot own a lead: error on the owner field', async () => {
    const leadId = await newLead(AM);
    const f = fakes();
    await leadOwner(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.leadOwner,
        privateMetadata: await metaFor(leadId),
        values: values(STRANGER),
      }),
    );
    expectErrors(f, {
      [LEAD_BLOCKS.owner]:
        'That person is not on the CRM roster, so cannot own leads. Ask a CRM admin to add them first.',
    });
  });

  it("a form opened before someone else's change comes back with the picked owner and what changed", async () => {
    const leadId = await newLead(AM);
    const stale = await metaFor(leadId);
    await leadOwner(t.deps)(
      viewSubmission(fakes(), {
        userId: AM,
        callbackId: CALLBACK_IDS.leadOwner,
        privateMetadata: stale,
        values: values(AM2),
      }),
    );
    const f = fakes();
    await leadOwner(t.deps)(
      viewSubmission(f, {
        userId: AM2,
        callbackId: CALLBACK_IDS.leadOwner,
        privateMetadata: stale,
        values: values(AM),
      }),
    );
    const now = await getLeadSummary(prisma(), leadId);
    const [changed] = (await getLeadCard(prisma(), leadId)).recentActivity;
    expect(f.ack.mock.calls).toEqual([
      [
        {
          response_action: 'update',
          view: buildOwnerModal(now, { notice: staleLeadNotice([changed!]), values: { ownerId: AM } }),
        },
      ],
    ]);
    expect(now.ownerId).toBe(AM2);
  });

  it('no one picked: error on the owner field', async () => {
    const leadId = await newLead(AM);
    const f = fakes();
    await leadOwner(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.leadOwner,
        privateMetadata: await metaFor(leadId),
        values: values(null),
      }),
    );
    expectErrors(f, { [LEAD_BLOCKS.owner]: 'Pick the new owner.' });
  });
});

describe('logToCrm', () => {
  const source = encodeLogToCrmMetadata({ channelId: 'C0SALES01', messageTs: '1700000000.000100' });
  const values = (leadId: number | null, text: string) => ({
    [LOG_TO_CRM_BLOCKS.lead]: {
      [ACTION_IDS.leadSelect]: {
        type: 'external_select',
        selected_option: leadId === null ? null : { value: String(leadId), text: { type: 'plain_text', text: 'x' } },
      },
    },
    [LOG_TO_CRM_BLOCKS.note]: { [ACTION_IDS.noteText]: input(text) },
  });

  it('stores the message as a note with its permalink, then republishes Home', async () => {
    const leadId = await newLead();
    const f = fakes();
    await logToCrm(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.logToCrm,
        privateMetadata: source,
        values: values(leadId, 'They want 40 pallets'),
      }),
    );
    // chat.getPermalink is still awaited before the ack (left for the strict-Slack pass).
    expectClosed(f, ['chat.getPermalink']);
    expect(f.client.chat.getPermalink).toHaveBeenCalledWith({ channel: 'C0SALES01', message_ts: '1700000000.000100' });
    const [note] = (await getLeadCard(prisma(), leadId)).recentNotes;
    expect(note).toMatchObject({
      text: 'They want 40 pallets',
      permalink: 'https://example.slack.com/archives/C0SALES01/p1700000000000100',
    });
    expect(f.client.views.publish).toHaveBeenCalledTimes(1);
  });

  it('keeps the note without a link when Slack cannot give one', async () => {
    const leadId = await newLead();
    const f = fakes();
    f.client.chat.getPermalink.mockRejectedValueOnce(new Error('channel_not_found'));
    await logToCrm(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.logToCrm,
        privateMetadata: source,
        values: values(leadId, 'kept'),
      }),
    );
    expect(f.ack.mock.calls).toEqual([[]]);
    expect((await getLeadCard(prisma(), leadId)).recentNotes[0]).toMatchObject({ text: 'kept', permalink: null });
  });

  it.each([
    ['no lead picked', null, 'x', { [LOG_TO_CRM_BLOCKS.lead]: 'Pick the lead this message is about.' }],
    ['an empty note', 1, '   ', { [LOG_TO_CRM_BLOCKS.note]: 'The note is empty.' }],
    ['a lead that is gone', 999999, 'x', { [LOG_TO_CRM_BLOCKS.lead]: 'That lead no longer exists.' }],
  ])('%s: field error, nothing saved', async (_what, leadId, text, errors) => {
    const f = fakes();
    await logToCrm(t.deps)(
      viewSubmission(f, {
        userId: AM,
        callbackId: CALLBACK_IDS.logToCrm,
        privateMetadata: source,
        values: values(leadId, text),
      }),
    );
    expect(f.ack.mock.calls).toEqual([[{ response_action: 'errors', errors }]]);
    expect(f.client.views.publish).not.toHaveBeenCalled();
  });

  it('refuses a manager on the lead field', async () => {
    const leadId = await newLead();
    const f = fakes();
    await logToCrm(t.deps)(
      viewSubmission(f, {
        userId: MANAGER,
        callbackId: CALLBACK_IDS.logToCrm,
        privateMetadata: source,
        values: values(leadId, 'x'),
      }),
    );
    expectErrors(f, { [LOG_TO_CRM_BLOCKS.lead]: refusalFor(viewerOf(MANAGER, 'manager'), 'edit')! });
    expect((await getLeadCard(prisma(), leadId)).recentNotes).toEqual([]);
  });
});
