/**
 * Taking a lead: any account manager may make themselves (or another roster member) the
 * owner of someone else's lead through the owner modal, and then exports it with their own
 * leads. Intended: the team reassigns work that way. What keeps it honest: the change is in
 * the lead's history (who, from whom, to whom, when) and the previous owner is told in one
 * DM, never a person off the roster or a guest.
 */
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { LEAD_BLOCKS } from '../../src/slack/views/lead-card';
import { type FakeSlackFiles, fakeFilesOf } from '../support/fake-slack-files';
import { startTestApp, type TestApp } from '../support/harness';
import { ADMIN, AM, AM2, addRosterUsers, GUEST, ROSTER_ENV, STRANGER } from '../support/lead-e2e';
import { parseRfc4180 } from '../support/rfc4180';
import { seedLead } from '../support/seed-leads';

const settle = () => new Promise((r) => setTimeout(r, 500));

describe('taking over a lead', () => {
  let t: TestApp;
  let files: FakeSlackFiles;
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV });
    files = fakeFilesOf(t.slack);
    addRosterUsers(t);
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());

  const pick = (user: string) => ({
    [LEAD_BLOCKS.owner]: { [ACTION_IDS.ownerSelect]: { type: 'users_select', selected_user: user } },
  });
  const submitOwner = async (actor: string, leadId: number, owner: string) => {
    const { version } = await t.deps.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
    return t.driver.submitView(actor, {
      callback_id: 'lead_owner',
      private_metadata: JSON.stringify({ leadId, version }),
      values: pick(owner),
    });
  };
  const dmsTo = (user: string) =>
    t.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === `D${user}` && c.args.metadata?.event_type === 'crm_owner_changed');

  it("lets an account manager take another's lead and export it; the history has it and the previous owner gets one DM", async () => {
    const leadId = await seedLead(t.deps.db.prisma, {
      customerId: 'C-TAKEN',
      name: 'Taken <Buyer> & Co',
      ownerId: AM2,
    });
    const res = await submitOwner(AM, leadId, AM);
    expect(res.json?.response_action).toBeUndefined();

    const history = await t.deps.db.prisma.activity.findMany({ where: { leadId, kind: 'owner_change' } });
    expect(history).toEqual([expect.objectContaining({ actorId: AM, fromValue: AM2, toValue: AM, isTouch: false })]);

    await t.slack.waitFor(() => (dmsTo(AM2).length ? true : undefined), 'the DM to the previous owner');
    expect(dmsTo(AM2).map((c) => c.args.text)).toEqual([
      `<@${AM}> took over *Taken &lt;Buyer&gt; &amp; Co* (C-TAKEN), which was yours. The lead's history shows the change.`,
    ]);

    // The same form sent again changes nothing and tells nobody twice.
    const again = await submitOwner(AM, leadId, AM);
    expect(again.json.errors[LEAD_BLOCKS.owner]).toBe('You already own this lead.');
    await settle();
    expect(dmsTo(AM2)).toHaveLength(1);
    expect(dmsTo(AM)).toHaveLength(0);

    await t.driver.crm(AM, 'export mine');
    await t.slack.waitForResponse(1);
    const csv = parseRfc4180(
      Buffer.from(files.shared.at(-1)!.bytes!)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
    expect(csv.slice(1).map((r) => r[0])).toContain('C-TAKEN');
  });

  it('names the new owner when someone hands the lead to a third person', async () => {
    const leadId = await seedLead(t.deps.db.prisma, { customerId: 'C-HANDED', name: 'Handed Over', ownerId: AM2 });
    await submitOwner(AM, leadId, ADMIN);
    await t.slack.waitFor(() => (dmsTo(AM2).length ? true : undefined), 'the DM to the previous owner');
    expect(dmsTo(AM2)[0]!.args.text).toBe(
      `<@${AM}> made <@${ADMIN}> the owner of *Handed Over* (C-HANDED), which was yours. The lead's history shows the change.`,
    );
  });

  it.each([
    [
      'a post Slack carried out but whose answer was lost',
      (t: TestApp) => t.slack.acceptThenFail('chat.postMessage', 'http500'),
    ],
    ['a post Slack answered with HTTP 500 without posting', (t: TestApp) => t.slack.serverError('chat.postMessage')],
    ['a post refused with 429 Retry-After', (t: TestApp) => t.slack.rateLimit('chat.postMessage', 1)],
  ])('delivers the DM exactly once after %s', async (_what, fault) => {
    const customerId = `C-FAULT-${t.slack.callsTo('chat.postMessage').length}-${Date.now()}`;
    const leadId = await seedLead(t.deps.db.prisma, { customerId, name: 'Faulty Line', ownerId: AM2 });
    fault(t);
    await submitOwner(AM, leadId, AM);
    const delivered = () =>
      t.slack.messagesIn(AM2).filter((m: any) => String(m.text ?? '').includes(`(${customerId})`));
    await t.slack.waitFor(() => (delivered().length ? true : undefined), 'the DM in the DM channel');
    await settle();
    expect(delivered()).toHaveLength(1);
  });

  it('tells nobody when the owner moves their own lead, and never someone off the roster or a guest', async () => {
    const own = await seedLead(t.deps.db.prisma, { customerId: 'C-MINE', name: 'My Own', ownerId: AM });
    await submitOwner(AM, own, AM2);
    const offRoster = await seedLead(t.deps.db.prisma, {
      customerId: 'C-LEFT',
      name: 'Left Behind',
      ownerId: STRANGER,
    });
    await submitOwner(AM, offRoster, AM);
    const guests = await seedLead(t.deps.db.prisma, { customerId: 'C-GUEST', name: 'Guest Owned', ownerId: GUEST });
    await submitOwner(AM, guests, AM);
    await settle();
    expect(
      await t.deps.db.prisma.lead.findMany({
        where: { id: { in: [own, offRoster, guests] } },
        select: { ownerId: true },
      }),
    ).toEqual([{ ownerId: AM2 }, { ownerId: AM }, { ownerId: AM }]);
    expect(
      t.slack.callsTo('chat.postMessage').filter((c) => c.args.metadata?.event_type === 'crm_owner_changed'),
    ).toEqual([]);
  });
});
