import { ACTION_IDS, isKnownActionId } from '../../src/slack/views/action-ids';
import { startTestApp, type TestApp } from '../support/harness';
import { AM, AM2, actionIds, addRosterUsers, crm, MANAGER, ROSTER_ENV, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

describe('/crm lead commands over HTTP', () => {
  let t: TestApp;
  let acme: number;
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV });
    addRosterUsers(t);
    const p = t.deps.db.prisma;
    acme = await seedLead(p, {
      customerId: 'C-1001',
      name: '<!channel> ACME & Co',
      company: 'ACME Holdings',
      email: 'buy@acme.example',
      lifetimeUsdCents: 1_234_56n,
      markets: 'AE,SA',
      orderCount: 4,
      currencies: [
        { currency: 'AED', lifetimeMinor: 3_000_00n },
        { currency: 'KWD', lifetimeMinor: 128_125n, market: 'KW' },
        { currency: 'USD', lifetimeMinor: 10_00n, market: 'US' },
      ],
    });
    await seedLead(p, { customerId: 'C-1002', name: 'Acme Logistics', lifetimeUsdCents: 50_000_00n, ownerId: AM });
    await seedLead(p, {
      customerId: 'C-1003',
      name: 'Desert Rose Trading',
      lifetimeUsdCents: 900_00n,
      ownerId: AM,
      stage: 'negotiation',
      lastTouchAt: new Date('2026-11-01T00:00:00Z'),
    });
    await seedLead(p, {
      customerId: 'C-1004',
      name: 'Old Buyer',
      lifetimeUsdCents: 5_000_000_00n,
      lastOrderAt: new Date('2025-01-01T00:00:00Z'),
    });
    await seedLead(p, {
      customerId: 'C-1005',
      name: 'Kuwait Partial',
      lifetimeUsdCents: 70_00n,
      unknownCurrencies: 'XYZ',
    });
    for (let i = 0; i < 12; i++)
      await seedLead(p, { customerId: `B-${100 + i}`, name: `Bulk Buyer ${i}`, lifetimeUsdCents: BigInt(1000 + i) });
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());

  it('lists every lead subcommand in /crm help', async () => {
    const text = visibleText(await crm(t, AM, 'help'));
    for (const usage of [
      '/crm find <text>',
      '/crm lead <customer id or name>',
      '/crm uncontacted [days]',
      '/crm mine',
      '/crm stage <customer> <stage>',
      '/crm note <customer> <text>',
    ]) {
      expect(text).toContain(usage.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    }
  });

  it('find: ranks matches, escapes names, caps at 10 with "and N more"', async () => {
    const acmeFound = await crm(t, AM, 'find acme');
    const text = visibleText(acmeFound);
    expect(text).toContain('2 leads match');
    expect(text).toContain('&lt;!channel&gt; ACME &amp; Co');
    expect(text).not.toContain('<!channel>');
    // Both contain "acme" as a word prefix: the bigger lifetime USD first.
    expect(text.indexOf('Acme Logistics')).toBeLessThan(text.indexOf('ACME &amp; Co'));
    const bulk = visibleText(await crm(t, AM, 'find bulk buyer'));
    expect(bulk).toContain('12 leads match');
    expect(bulk.match(/Bulk Buyer \d+/g)).toHaveLength(10);
    expect(bulk).toContain('…and 2 more');
    expect(visibleText(await crm(t, AM, 'find zzz-nothing'))).toContain('No lead matches “zzz-nothing”');
    expect(visibleText(await crm(t, AM, 'find'))).toMatch(/Say what to search for\.\nUsage: `\/crm find &lt;text&gt;`/);
  });

  it('lead: shows the card with stage, owner, USD with rate date, incomplete figures and known buttons', async () => {
    const card = await crm(t, AM, 'lead C-1001');
    const text = visibleText(card);
    expect(text).toContain('*&lt;!channel&gt; ACME &amp; Co* (ACME Holdings)');
    expect(text).toContain('*Stage*\nLead');
    expect(text).toContain('_unowned_');
    expect(text).toContain('$1,234.56');
    expect(text).toContain('at rates of 2025-11-24');
    // Each rate the figure rests on, exactly as seeded, with its date (USD at 1 needs no line).
    expect(text).toContain('Lifetime value in USD at 1 AED = $0.2723 (2025-11-24) · 1 KWD = $3.2600 (2025-11-24)');
    expect(text).not.toContain('1 USD =');
    expect(text).toContain('_not contacted yet_');
    const ids = actionIds(card.blocks);
    expect(ids).toEqual(
      expect.arrayContaining([
        ACTION_IDS.openStageModal,
        ACTION_IDS.openNoteModal,
        ACTION_IDS.openContactModal,
        ACTION_IDS.openOwnerModal,
        ACTION_IDS.assignToMe,
        ACTION_IDS.viewOrders,
        ACTION_IDS.openFollowUpModal,
      ]),
    );
    expect(ids.every(isKnownActionId)).toBe(true);
    expect(visibleText(await crm(t, AM, 'lead kuwait partial'))).toContain('$70.00+ (incomplete: XYZ not converted)');
  });

  it('lead: a manager sees the card without edit buttons', async () => {
    const card = await crm(t, MANAGER, 'lead C-1002');
    expect(actionIds(card.blocks)).toEqual([ACTION_IDS.viewOrders]);
    expect(visibleText(card)).toContain(`<@${AM}>`);
  });

  it('lead: ambiguous and unknown customers get a clear answer with the usage', async () => {
    const ambiguous = visibleText(await crm(t, AM, 'lead acme'));
    expect(ambiguous).toContain('“acme” matches 2 leads');
    expect(ambiguous).toContain('`C-1001`');
    expect(ambiguous).toContain('`C-1002`');
    expect(ambiguous).toContain('Usage: `/crm lead &lt;customer id or name&gt;`');
    const unknown = visibleText(await crm(t, AM, 'lead nobody-at-all'));
    expect(unknown).toContain('No lead matches “nobody-at-all”');
    expect(unknown).toContain('Usage: `/crm lead');
  });

  it('mine: my leads by stage; someone with none is told so', async () => {
    const mine = visibleText(await crm(t, AM, 'mine'));
    expect(mine).toContain('Your 2 leads');
    expect(mine.indexOf('*Lead* (1)')).toBeLessThan(mine.indexOf('*Negotiation* (1)'));
    expect(mine).toContain('Acme Logistics');
    expect(mine).toContain('Desert Rose Trading');
    expect(visibleText(await crm(t, AM2, 'mine'))).toContain('You own no leads yet');
    expect(visibleText(await crm(t, AM, 'mine please'))).toContain('takes no arguments');
  });

  it('uncontacted: orders in the window, never touched, biggest first; rejects bad days', async () => {
    const text = visibleText(await crm(t, AM, 'uncontacted'));
    expect(text).toContain('ordered in the last 90 days');
    expect(text).not.toContain('Old Buyer');
    expect(text).not.toContain('Desert Rose');
    expect(text.indexOf('Acme Logistics')).toBeLessThan(text.indexOf('ACME &amp; Co'));
    expect(visibleText(await crm(t, AM, 'uncontacted 1000'))).toContain('Old Buyer');
    const bad = visibleText(await crm(t, AM, 'uncontacted soon'));
    expect(bad).toContain('“soon” is not a number of days from 1 to 3650');
    expect(bad).toContain('Usage: `/crm uncontacted [days]`');
  });

  it('stage: moving a customer to Contacted (by label, any case) removes it from uncontacted', async () => {
    expect(visibleText(await crm(t, AM, 'uncontacted'))).toContain('ACME &amp; Co');
    const moved = visibleText(await crm(t, AM, 'stage C-1001 contacted'));
    expect(moved).toContain('from Lead to *Contacted*');
    expect(visibleText(await crm(t, AM, 'uncontacted'))).not.toContain('ACME &amp; Co');
    const lead = await t.deps.db.prisma.lead.findUniqueOrThrow({ where: { id: acme } });
    expect(lead.stage).toBe('contacted');
    // The acting user's Home tab is republished.
    await t.slack.waitFor(() => t.slack.callsTo('views.publish').some((c) => c.args.user_id === AM));
    expect(visibleText(await crm(t, AM, 'stage Desert Rose Trading trial order'))).toContain('to *Trial Order*');
    expect(visibleText(await crm(t, AM, 'stage C-1001 Contacted'))).toContain('already in Contacted');
  });

  it('stage: unknown stage, ambiguous customer, no stage (opens the form) and churned (form for the reason)', async () => {
    const bad = visibleText(await crm(t, AM, 'stage C-1002 sleeping'));
    expect(bad).toContain('“sleeping” is not a stage');
    expect(bad).toContain('Usage: `/crm stage');
    expect(visibleText(await crm(t, AM, 'stage acme negotiation'))).toContain('“acme” matches 2 leads');
    await t.driver.crm(AM, 'stage C-1002');
    const [open] = await t.slack.waitForCalls('views.open');
    expect(open!.args.view.callback_id).toBe('stage_change');
    expect(open!.args.view.blocks[1].element.initial_option.value).toBe('lead');
    const churn = visibleText(await crm(t, AM, 'stage C-1002 churned'));
    expect(churn).toContain('needs a reason');
    const opens = await t.slack.waitForCalls('views.open', 2);
    expect(opens[1]!.args.view.blocks[1].element.initial_option.value).toBe('churned');
  });

  it('note: stores what was typed on the lead named with spaces, and shows it escaped on the card with its mention', async () => {
    // Typed: "Called @someone & agreed a <b>trial</b>"; Slack sends the mention as <@U123> and escapes the rest.
    const saved = visibleText(await crm(t, AM, 'note Acme Logistics Called <@U123> & agreed a <b>trial</b>'));
    expect(saved).toContain('Note saved on *Acme Logistics*');
    const stored = await t.deps.db.prisma.activity.findFirstOrThrow({
      where: { kind: 'note', text: { startsWith: 'Called' } },
      orderBy: { id: 'desc' },
    });
    expect(stored.text).toBe('Called <@U123> & agreed a <b>trial</b>');
    const card = visibleText(await crm(t, AM, 'lead C-1002'));
    expect(card).toContain('Called <@U123> &amp; agreed a &lt;b&gt;trial&lt;/b&gt;');
    expect(visibleText(await crm(t, AM, 'note "ACME & Co" quoted name works'))).toContain('Note saved');
    expect(visibleText(await crm(t, AM, 'note C-1002'))).toContain('Write the note after the customer.');
  });

  it('a manager cannot change leads from commands', async () => {
    const refused = visibleText(await crm(t, MANAGER, 'stage C-1002 negotiation'));
    expect(refused).toContain('can read the pipeline but not change leads');
    expect(visibleText(await crm(t, MANAGER, 'note C-1002 hello'))).toContain('not change leads');
    const lead = await t.deps.db.prisma.lead.findFirstOrThrow({ where: { customerId: 'C-1002' } });
    expect(lead.stage).toBe('lead');
  });
});
