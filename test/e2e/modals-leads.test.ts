import { getLeadSummary } from '../../src/domain/leads';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { buildStageChangeModal, LEAD_BLOCKS } from '../../src/slack/views/lead-card';
import { startTestApp, type TestApp } from '../support/harness';
import { ADMIN, AM, AM2, addRosterUsers, crm, ROSTER_ENV, STRANGER, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

const A = ACTION_IDS;
const B = LEAD_BLOCKS;
const text = (value: string) => ({ type: 'plain_text_input', value });

describe('lead modals over HTTP', () => {
  let t: TestApp;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV });
    addRosterUsers(t);
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());

  async function newLead(extra: Partial<Parameters<typeof seedLead>[1]> = {}): Promise<number> {
    seq += 1;
    return seedLead(t.deps.db.prisma, { customerId: `M-${seq}`, name: `Modal Customer ${seq}`, ...extra });
  }
  const lead = (id: number) => t.deps.db.prisma.lead.findUniqueOrThrow({ where: { id } });
  const meta = async (id: number, version?: number) =>
    JSON.stringify({ leadId: id, version: version ?? (await lead(id)).version });

  /** Clicks a lead card button on an ephemeral message and returns the modal it opened. */
  async function clickCardButton(userId: string, actionId: string, leadId: number): Promise<any> {
    const before = t.slack.callsTo('views.open').length;
    await t.driver.blockAction(
      userId,
      { action_id: actionId, value: String(leadId) },
      { type: 'message', is_ephemeral: true, channel_id: 'C0GENERAL', message_ts: '1.1' },
    );
    const opens = await t.slack.waitForCalls('views.open', before + 1);
    return opens[before]!.args.view;
  }

  it('stage: opens with the current stage preselected, exactly the pure builder output', async () => {
    const id = await newLead({ stage: 'negotiation' });
    const view = await clickCardButton(AM, A.openStageModal, id);
    const summary = await getLeadSummary(t.deps.db.prisma, id);
    const expected = buildStageChangeModal(summary, {
      labels: {},
      responseUrl: JSON.parse(view.private_metadata).responseUrl,
    });
    expect(view).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(view.callback_id).toBe('stage_change');
    expect(view.blocks[1].element.initial_option.value).toBe('negotiation');
  });

  it('stage: saves with a note, republishes Homes of actor and owner, refreshes the card', async () => {
    const id = await newLead({ ownerId: AM2 });
    const view = await clickCardButton(AM, A.openStageModal, id);
    const res = await t.driver.submitView(AM, {
      callback_id: 'stage_change',
      private_metadata: view.private_metadata,
      values: {
        [B.stage]: { [A.stageSelect]: { type: 'static_select', selected_option: { value: 'contacted' } } },
        [B.stageNote]: { [A.stageNote]: text('Spoke to <b>Ali</b>') },
      },
    });
    expect(res.status).toBe(200);
    expect(res.json?.response_action).toBeUndefined();
    expect(await lead(id)).toMatchObject({ stage: 'contacted', version: 2 });
    await t.slack.waitFor(() => {
      const users = t.slack.callsTo('views.publish').map((c) => c.args.user_id);
      return users.includes(AM) && users.includes(AM2);
    });
    const [refreshed] = await t.slack.waitForResponse(1);
    expect(refreshed!.body.replace_original).toBe(true);
    const card = visibleText(refreshed!.body);
    expect(card).toContain('*Stage*\nContacted');
    expect(card).toContain('Spoke to &lt;b&gt;Ali&lt;/b&gt;');
  });

  it('stage: churned needs a reason, the same stage is refused, each on its field', async () => {
    const id = await newLead();
    const submit = (stage: string, reason = '') =>
      t.driver.submitView(AM, {
        callback_id: 'stage_change',
        private_metadata: JSON.stringify({ leadId: id, version: 1 }),
        values: {
          [B.stage]: { [A.stageSelect]: { type: 'static_select', selected_option: { value: stage } } },
          [B.churnReason]: { [A.churnReason]: text(reason) },
        },
      });
    const churn = await submit('churned');
    expect(churn.json).toEqual({
      response_action: 'errors',
      errors: { [B.churnReason]: 'Moving a lead to Churned needs a reason.' },
    });
    const same = await submit('lead');
    expect(same.json).toEqual({ response_action: 'errors', errors: { [B.stage]: 'The lead is already in Lead.' } });
    expect((await lead(id)).stage).toBe('lead');
    const ok = await submit('churned', 'Went with a competitor');
    expect(ok.json?.response_action).toBeUndefined();
    const activity = await t.deps.db.prisma.activity.findFirstOrThrow({ where: { leadId: id } });
    expect(activity).toMatchObject({
      kind: 'stage_change',
      fromValue: 'lead',
      toValue: 'churned',
      text: 'Churn reason: Went with a competitor',
      actorId: AM,
    });
  });

  it('stage: a stale modal comes back filled in, saying who moved the lead; submitting again applies it on top', async () => {
    const id = await newLead();
    const view = await clickCardButton(AM, A.openStageModal, id);
    await crm(t, AM2, `stage M-${seq} negotiation`);
    const typed = {
      [B.stage]: { [A.stageSelect]: { type: 'static_select', selected_option: { value: 'churned' } } },
      [B.churnReason]: { [A.churnReason]: text('Chose a local supplier') },
      [B.stageNote]: { [A.stageNote]: text('Long call & a <b>firm</b> no') },
    };
    const res = await t.driver.submitView(AM, {
      callback_id: 'stage_change',
      private_metadata: view.private_metadata,
      values: typed,
    });
    expect(res.status).toBe(200);
    expect(res.json.response_action).toBe('update');
    const refilled = res.json.view;
    expect(refilled.callback_id).toBe('stage_change');
    const shown = visibleText(refilled);
    expect(shown).toMatch(
      new RegExp(
        `<@${AM2}> moved this lead from \\*Lead\\* to \\*Negotiation\\* at <!date\\^\\d+\\^\\{time\\} on \\{date_short\\}\\|`,
      ),
    );
    expect(shown).toContain('Your values are kept: submit again to apply them on top.');
    expect(shown).not.toContain('Close it');
    const block = (id: string) => refilled.blocks.find((b: any) => b.block_id === id);
    expect(block(B.stage).element).toMatchObject({ action_id: A.stageSelect, initial_option: { value: 'churned' } });
    expect(block(B.churnReason).element).toMatchObject({
      action_id: A.churnReason,
      initial_value: 'Chose a local supplier',
    });
    expect(block(B.stageNote).element).toMatchObject({
      action_id: A.stageNote,
      initial_value: 'Long call & a <b>firm</b> no',
    });
    expect(JSON.parse(refilled.private_metadata)).toMatchObject({ leadId: id, version: 2 });
    expect((await lead(id)).stage).toBe('negotiation');

    const again = await t.driver.submitView(AM, {
      callback_id: 'stage_change',
      private_metadata: refilled.private_metadata,
      values: typed,
    });
    expect(again.json?.response_action).toBeUndefined();
    expect(await lead(id)).toMatchObject({ stage: 'churned', version: 3 });
    const last = await t.deps.db.prisma.activity.findFirstOrThrow({ where: { leadId: id }, orderBy: { id: 'desc' } });
    expect(last).toMatchObject({
      kind: 'stage_change',
      fromValue: 'negotiation',
      toValue: 'churned',
      actorId: AM,
      text: 'Churn reason: Chose a local supplier\nLong call & a <b>firm</b> no',
    });
  });

  it('note: empty is refused; a note from an old modal is still saved (append-only); marks the lead contacted', async () => {
    const id = await newLead();
    const view = await clickCardButton(AM, A.openNoteModal, id);
    expect(view.callback_id).toBe('lead_note');
    const empty = await t.driver.submitView(AM, {
      callback_id: 'lead_note',
      private_metadata: view.private_metadata,
      values: { [B.note]: { [A.noteText]: text('   ') } },
    });
    expect(empty.json).toEqual({ response_action: 'errors', errors: { [B.note]: 'The note is empty.' } });
    await crm(t, AM2, `stage M-${seq} negotiation`);
    const saved = await t.driver.submitView(AM, {
      callback_id: 'lead_note',
      private_metadata: view.private_metadata,
      values: { [B.note]: { [A.noteText]: text('Sent the price list') } },
    });
    expect(saved.json?.response_action).toBeUndefined();
    const note = await t.deps.db.prisma.activity.findFirstOrThrow({ where: { leadId: id, kind: 'note' } });
    expect(note).toMatchObject({ text: 'Sent the price list', actorId: AM, isTouch: true });
    expect((await lead(id)).lastTouchAt).not.toBeNull();
  });

  it('contact: prefilled; bad e-mail and bad phone answered on their fields; stale comes back filled in; saved on the second submit', async () => {
    const id = await newLead();
    await t.deps.db.prisma.lead.update({ where: { id }, data: { contactName: 'Old Name' } });
    const view = await clickCardButton(AM, A.openContactModal, id);
    expect(view.callback_id).toBe('lead_contact');
    expect(view.blocks[1].element.initial_value).toBe('Old Name');
    const values = (email: string, phone: string) => ({
      [B.contactName]: { [A.contactName]: text('Jane Doe') },
      [B.contactRole]: { [A.contactRole]: text('Buyer') },
      [B.contactEmail]: { [A.contactEmail]: text(email) },
      [B.contactPhone]: { [A.contactPhone]: text(phone) },
    });
    const badEmail = await t.driver.submitView(AM, {
      callback_id: 'lead_contact',
      private_metadata: view.private_metadata,
      values: values('jane@', '+971 4 123 4567'),
    });
    expect(badEmail.json).toEqual({
      response_action: 'errors',
      errors: { [B.contactEmail]: expect.stringContaining('not a valid e-mail') },
    });
    const badPhone = await t.driver.submitView(AM, {
      callback_id: 'lead_contact',
      private_metadata: view.private_metadata,
      values: values('jane@acme.com', 'call me'),
    });
    expect(badPhone.json).toEqual({
      response_action: 'errors',
      errors: { [B.contactPhone]: expect.stringContaining('not a valid phone number') },
    });
    await t.driver.submitView(AM2, {
      callback_id: 'lead_contact',
      private_metadata: view.private_metadata,
      values: { ...values('sam@acme.com', '+971 4 000 0000'), [B.contactName]: { [A.contactName]: text('Sam Roe') } },
    });
    const stale = await t.driver.submitView(AM, {
      callback_id: 'lead_contact',
      private_metadata: view.private_metadata,
      values: values('jane@acme.com', '+971 4 123 4567'),
    });
    expect(stale.json.response_action).toBe('update');
    expect(visibleText(stale.json.view)).toContain(
      `<@${AM2}> set the contact to Sam Roe · Buyer · sam@acme.com · +971 4 000 0000 at`,
    );
    const field = (blockId: string) =>
      stale.json.view.blocks.find((b: any) => b.block_id === blockId).element.initial_value;
    expect([B.contactName, B.contactRole, B.contactEmail, B.contactPhone].map(field)).toEqual([
      'Jane Doe',
      'Buyer',
      'jane@acme.com',
      '+971 4 123 4567',
    ]);
    expect((await lead(id)).contactName).toBe('Sam Roe');
    const ok = await t.driver.submitView(AM, {
      callback_id: 'lead_contact',
      private_metadata: stale.json.view.private_metadata,
      values: values('jane@acme.com', '+971 4 123 4567'),
    });
    expect(ok.json?.response_action).toBeUndefined();
    expect(await lead(id)).toMatchObject({
      contactName: 'Jane Doe',
      contactRole: 'Buyer',
      contactEmail: 'jane@acme.com',
      contactPhone: '+971 4 123 4567',
      lastTouchAt: null,
    });
  });

  it('owner: must be on the roster; stale comes back with the pick; saved and Homes of old and new owner republished', async () => {
    const id = await newLead({ ownerId: AM2 });
    const view = await clickCardButton(AM, A.openOwnerModal, id);
    expect(view.callback_id).toBe('lead_owner');
    expect(view.blocks[1].element.initial_user).toBe(AM2);
    const pick = (user: string) => ({ [B.owner]: { [A.ownerSelect]: { type: 'users_select', selected_user: user } } });
    const outsider = await t.driver.submitView(AM, {
      callback_id: 'lead_owner',
      private_metadata: view.private_metadata,
      values: pick(STRANGER),
    });
    expect(outsider.json).toEqual({
      response_action: 'errors',
      errors: { [B.owner]: expect.stringContaining('not on the CRM roster') },
    });
    const stale = await t.driver.submitView(AM, {
      callback_id: 'lead_owner',
      private_metadata: await meta(id, 0),
      values: pick(ADMIN),
    });
    expect(stale.json.response_action).toBe('update');
    expect(stale.json.view.blocks.find((b: any) => b.block_id === B.owner).element.initial_user).toBe(ADMIN);
    t.slack.reset();
    const ok = await t.driver.submitView(AM, {
      callback_id: 'lead_owner',
      private_metadata: view.private_metadata,
      values: pick(ADMIN),
    });
    expect(ok.json?.response_action).toBeUndefined();
    expect((await lead(id)).ownerId).toBe(ADMIN);
    await t.slack.waitFor(() => {
      const users = new Set(t.slack.callsTo('views.publish').map((c) => c.args.user_id));
      return users.has(AM) && users.has(AM2) && users.has(ADMIN);
    });
  });

  it('a forged or foreign private_metadata is refused on the field', async () => {
    const res = await t.driver.submitView(AM, {
      callback_id: 'lead_note',
      private_metadata: 'garbage',
      values: { [B.note]: { [A.noteText]: text('x') } },
    });
    expect(res.json.errors[B.note]).toContain('out of date');
  });

  it('Home overflow: note opens the modal, assign takes ownership, orders and follow-up answer in a modal', async () => {
    const id = await newLead();
    const overflow = (value: string) =>
      t.driver.blockAction(
        AM,
        { type: 'overflow', action_id: A.leadOverflow, selected_option: { value } },
        { type: 'view', view_id: 'VHOME' },
      );
    await overflow(`note:${id}`);
    const [noteOpen] = await t.slack.waitForCalls('views.open');
    expect(noteOpen!.args.view.callback_id).toBe('lead_note');
    await overflow(`assign:${id}`);
    const opens = await t.slack.waitForCalls('views.open', 2);
    expect(visibleText(opens[1]!.args.view)).toContain(`You now own Modal Customer ${seq}.`);
    expect((await lead(id)).ownerId).toBe(AM);
    await overflow(`follow_up:${id}`);
    const third = (await t.slack.waitForCalls('views.open', 3))[2]!.args.view;
    expect(third.callback_id).toBe('follow_up');
    expect(JSON.parse(third.private_metadata)).toMatchObject({ leadId: id });
    await overflow(`contact:${id}`);
    expect((await t.slack.waitForCalls('views.open', 4))[3]!.args.view.callback_id).toBe('lead_contact');
  });

  it('Assign to me from an old card does not take a lead someone else owns', async () => {
    const id = await newLead({ ownerId: AM2 });
    await t.driver.blockAction(
      AM,
      { action_id: A.assignToMe, value: String(id) },
      { type: 'message', is_ephemeral: true },
    );
    const [answer] = await t.slack.waitForResponse(1);
    expect(answer!.body.text).toContain(`<@${AM2}> already owns this lead`);
    expect((await lead(id)).ownerId).toBe(AM2);
  });

  it('history: the card pages through every activity', async () => {
    const id = await newLead();
    for (let i = 1; i <= 12; i++) await crm(t, AM, `note M-${seq} entry ${i}`);
    t.slack.reset();
    await t.driver.blockAction(
      AM,
      { action_id: A.leadHistoryPage, value: `${id}:1` },
      { type: 'message', is_ephemeral: true },
    );
    const [page1] = await t.slack.waitForResponse(1);
    const p1 = visibleText(page1!.body);
    expect(p1).toContain('page 1 of 2 (12 entries)');
    expect(p1).toContain('entry 12');
    expect(p1).not.toContain('entry 2\n');
    await t.driver.blockAction(
      AM,
      { action_id: A.leadHistoryPage, value: `${id}:2` },
      { type: 'message', is_ephemeral: true },
    );
    const pages = await t.slack.waitForResponse(2);
    expect(visibleText(pages[1]!.body)).toContain('entry 1');
    expect(pages[1]!.body.replace_original).toBe(true);
  });
});
