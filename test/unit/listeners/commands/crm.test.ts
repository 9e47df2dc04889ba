import { MAX_SEARCH_LENGTH } from '../../../../src/common/limits';
import { formatLocalDate, localDateTimeOf } from '../../../../src/common/zoned-time';
import { digestFiguresFor } from '../../../../src/domain/digest-figures';
import { trailingDigestPeriod } from '../../../../src/domain/digest-schedule';
import { getLeadCard } from '../../../../src/domain/lead-card-data';
import { resolveLeadText, searchLeads } from '../../../../src/domain/lead-search';
import { getLeadSummary } from '../../../../src/domain/leads';
import { listLeadsOwnedBy } from '../../../../src/domain/my-leads';
import { getOrderHistory } from '../../../../src/domain/order-history';
import { getRates } from '../../../../src/domain/rates';
import { getAllSettings, loadStageLabels } from '../../../../src/domain/settings';
import { findUncontacted } from '../../../../src/domain/uncontacted-leads';
import type { ProductionReader } from '../../../../src/production/types';
import { crmCommand } from '../../../../src/slack/listeners/commands/crm';
import { FIND_RESULTS_LIMIT } from '../../../../src/slack/listeners/commands/find';
import { SUBCOMMANDS } from '../../../../src/slack/listeners/commands/subcommands';
import { UNCONTACTED_LIST_LIMIT } from '../../../../src/slack/listeners/commands/uncontacted';
import { refusalFor } from '../../../../src/slack/viewer';
import { ACTION_IDS } from '../../../../src/slack/views/action-ids';
import { buildDigestMessage } from '../../../../src/slack/views/digest-message';
import { buildFollowUpModal } from '../../../../src/slack/views/follow-up-modal';
import { buildHelpMessage } from '../../../../src/slack/views/help';
import { buildLeadCard, buildStageChangeModal } from '../../../../src/slack/views/lead-card';
import {
  buildCandidatesMessage,
  buildFindResults,
  buildMyLeads,
  buildUncontactedList,
} from '../../../../src/slack/views/lead-lists';
import type { EphemeralMessage } from '../../../../src/slack/views/message';
import { buildNoteLeadChoice, buildNoteNotSaved } from '../../../../src/slack/views/note-replies';
import { buildOrderHistoryMessage } from '../../../../src/slack/views/order-history-message';
import {
  ADMIN,
  AM,
  AM2,
  type Fakes,
  fakes,
  GUEST,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  STRANGER,
  slashCommand,
  TRIGGER_ID,
  USER_TZ,
  viewerOf,
  visibleText,
} from '../../../support/listener-kit';
import { seedLead } from '../../../support/seed-leads';
import { customerRow, StaticProductionReader } from '../../../support/static-production';

const orders: ProductionReader = {
  fetchCustomers: () => Promise.reject(new Error('not used')),
  fetchOrders: async () => ({
    rows: [
      {
        orderId: 'O-77',
        createdAt: new Date('2026-11-01T10:00:00Z'),
        market: 'AE',
        currency: 'AED',
        total: '500.00',
        status: 'delivered',
      },
    ],
    rejected: [],
  }),
  lastCall: () => null,
};

let t: ListenerDeps;
let acme: number;
beforeAll(async () => {
  t = await openListenerDeps({ production: orders });
  const p = t.deps.db.prisma;
  acme = await seedLead(p, {
    customerId: 'C100',
    name: 'ACME <Trading> & Co',
    ownerId: AM,
    lastOrderAt: new Date('2026-11-20T10:00:00Z'),
  });
  await seedLead(p, { customerId: 'C101', name: 'Acme Foods', ownerId: AM2 });
  await seedLead(p, { customerId: 'C102', name: 'Acme Metals' });
  await seedLead(p, { customerId: 'C200', name: 'Zenith', ownerId: AM });
});
afterAll(() => t.cleanup());

const prisma = () => t.deps.db.prisma;
const labels = () => loadStageLabels(prisma());
const run = async (f: Fakes, userId: string, text: string) => crmCommand(t.deps)(slashCommand(f, { userId, text }));
/** What `respond` sends for a reply of `message`. */
const reply = (message: EphemeralMessage) => [{ response_type: 'ephemeral', replace_original: false, ...message }];
const NO_ROSTER = 'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.';

/** The command was acked before anything was said or shown. */
function expectAckedFirst(f: Fakes): void {
  expect(f.ack.mock.calls).toEqual([[]]);
  expect(f.calls[0]).toBe('ack');
}

describe('/crm (router)', () => {
  it.each(['', 'help', 'HELP'])('"/crm %s" lists every subcommand', async (text) => {
    const f = fakes();
    await run(f, MANAGER, text);
    expectAckedFirst(f);
    expect(f.respond.mock.calls).toEqual([reply(buildHelpMessage(SUBCOMMANDS))]);
  });

  it('an unknown subcommand: says so (escaped) above the help', async () => {
    const f = fakes();
    await run(f, AM, 'frobnicate <!channel>');
    expect(f.respond.mock.calls).toEqual([reply(buildHelpMessage(SUBCOMMANDS, 'Unknown command `frobnicate`.'))]);
  });

  it.each([
    [GUEST, 'Sorry, the CRM is not available to guest accounts.'],
    [STRANGER, NO_ROSTER],
  ])('refuses %s before anything else, even help', async (userId, refusal) => {
    for (const text of ['help', 'find acme', 'lead C100']) {
      const f = fakes();
      await run(f, userId, text);
      expectAckedFirst(f);
      expect(f.respond.mock.calls).toEqual([reply({ text: refusal })]);
      expect(f.shown()).toEqual(['respond']);
    }
  });

  it('an unexpected failure is answered and logged, never thrown', async () => {
    const f = fakes();
    f.client.views.open.mockRejectedValueOnce(new Error('socket hang up'));
    const error = jest.spyOn(t.deps.logger, 'error');
    await run(f, AM, 'remind C100');
    expect(f.respond.mock.calls).toEqual([
      reply({ text: 'Sorry, something went wrong running that command. It has been logged.' }),
    ]);
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ subcommand: 'remind' }), '/crm failed');
    error.mockRestore();
  });
});

/** Watches the raw queries; `searches` keeps those that search customers (not the viewer, not Home). */
const searchSpy = () => jest.spyOn(prisma(), '$queryRaw');
const searches = (spy: ReturnType<typeof searchSpy>) =>
  spy.mock.calls.filter((call) =>
    /CustomerSearch|LOWER\(c\.|instr\(|strpos\(/.test(
      JSON.stringify(call, (_key, value) => (typeof value === 'bigint' ? String(value) : value)),
    ),
  );

describe('/crm find', () => {
  it('replies with the results the builder makes', async () => {
    const f = fakes();
    await run(f, MANAGER, 'find acme');
    const { matches, total } = await searchLeads(prisma(), 'acme', FIND_RESULTS_LIMIT);
    expectAckedFirst(f);
    expect(total).toBe(3);
    expect(f.respond.mock.calls).toEqual([reply(buildFindResults('acme', matches, total, await labels()))]);
  });

  it('without text: says what is missing, with the usage', async () => {
    const f = fakes();
    await run(f, MANAGER, 'find');
    expect(f.respond.mock.calls).toEqual([reply({ text: 'Say what to search for.\nUsage: `/crm find &lt;text&gt;`' })]);
  });

  it('a text over the search limit: says the limit and the length, searches nothing', async () => {
    const f = fakes();
    const search = searchSpy();
    try {
      await run(f, MANAGER, `find ${'acme '.repeat(8_000)}`);
      expect(searches(search)).toEqual([]);
    } finally {
      search.mockRestore();
    }
    expect(f.respond.mock.calls).toEqual([
      reply({
        text: `Search text can be at most ${MAX_SEARCH_LENGTH} characters (this one has 39,999). Type a shorter part of the name, company, e-mail or customer id.\nUsage: \`/crm find &lt;text&gt;\``,
      }),
    ]);
  });

  it('a text of exactly the limit is searched', async () => {
    const f = fakes();
    await run(f, MANAGER, `find ${'z'.repeat(MAX_SEARCH_LENGTH)}`);
    expect(visibleText(f.respond.mock.calls[0]![0])).toContain('No lead matches');
  });
});

describe('the customer argument is bounded like a search', () => {
  const tooLong = 'Zenith '.repeat(30).trim();
  it.each([
    ['stage', `stage ${tooLong} contacted`],
    ['lead', `lead ${tooLong}`],
  ])('/crm %s: refused with the limit, nothing changed', async (_name, text) => {
    const f = fakes();
    await run(f, AM, text);
    const said = visibleText(f.respond.mock.calls[0]![0]);
    expect(said).toContain(
      `Search text can be at most ${MAX_SEARCH_LENGTH} characters (this one has ${tooLong.length})`,
    );
    expect(f.client.views.open).not.toHaveBeenCalled();
  });

  it('/crm note with a quoted customer over the limit: the note is given back, with the limit', async () => {
    const f = fakes();
    const before = await prisma().activity.count({ where: { kind: 'note' } });
    await run(f, AM, `note "${tooLong}" call back Monday`);
    expect(f.respond.mock.calls).toEqual([
      reply(
        buildNoteNotSaved(
          `Search text can be at most ${MAX_SEARCH_LENGTH} characters (this one has ${tooLong.length}). Type a shorter part of the name, company, e-mail or customer id.`,
          'call back Monday',
          '/crm note <customer> <text>',
        ),
      ),
    ]);
    expect(await prisma().activity.count({ where: { kind: 'note' } })).toBe(before);
  });

  it('/crm note too long whichever words name the customer: refused before any search, the note given back', async () => {
    const f = fakes();
    const note = 'long words '.repeat(400).trim();
    const search = searchSpy();
    try {
      await run(f, AM, `note Zenith Trading ${note}`);
      expect(searches(search)).toEqual([]);
    } finally {
      search.mockRestore();
    }
    const message = f.respond.mock.calls[0]![0];
    // The first word is taken as the customer: the rest is given back whole.
    expect(message.blocks[0].text.text).toBe(`The note is too long (${note.length + 8} characters; at most 2900).`);
  });

  it('/crm note names a customer of several words in one look-up, whatever the number of words', async () => {
    await seedLead(prisma(), { customerId: 'C900', name: 'Gulf Star Trading Co' });
    const f = fakes();
    const search = searchSpy();
    try {
      await run(f, AM, 'note Gulf Star Trading Co wants a quote for 20 pallets next week');
      expect(searches(search)).toHaveLength(1);
    } finally {
      search.mockRestore();
    }
    expect(f.respond.mock.calls).toEqual([reply({ text: 'Note saved on *Gulf Star Trading Co*.' })]);
    const notes = await prisma().activity.findMany({ where: { kind: 'note', lead: { customerId: 'C900' } } });
    expect(notes.map((n) => n.text)).toEqual(['wants a quote for 20 pallets next week']);
  });
});

describe('/crm lead', () => {
  it('replies with the lead card the builder makes, with edit buttons for an account manager', async () => {
    const f = fakes();
    await run(f, AM, 'lead C100');
    const card = buildLeadCard(await getLeadCard(prisma(), acme), {
      labels: await labels(),
      viewerId: AM,
      canEdit: true,
    });
    expect(f.respond.mock.calls).toEqual([reply(card)]);
    expect(JSON.stringify(card)).toContain('ACME &lt;Trading&gt; &amp; Co');
  });

  it('a manager gets the read-only card', async () => {
    const f = fakes();
    await run(f, MANAGER, 'lead C100');
    expect(f.respond.mock.calls).toEqual([
      reply(
        buildLeadCard(await getLeadCard(prisma(), acme), { labels: await labels(), viewerId: MANAGER, canEdit: false }),
      ),
    ]);
  });

  it('several matches: lists the candidates', async () => {
    const f = fakes();
    await run(f, AM, 'lead acme');
    const resolution = await resolveLeadText(prisma(), 'acme');
    if (resolution.kind !== 'ambiguous') throw new Error(`expected candidates, got ${resolution.kind}`);
    expect(f.respond.mock.calls).toEqual([
      reply(
        buildCandidatesMessage(
          'acme',
          resolution.candidates,
          resolution.total,
          '/crm lead <customer id or name>',
          await labels(),
        ),
      ),
    ]);
  });

  it('no match: says so, escaped, with the usage', async () => {
    const f = fakes();
    // Slack sends a mention as `<@U123>` and a typed `<b>` as `&lt;b&gt;`: both read as typed, shown escaped.
    await run(f, AM, 'lead <@U123>');
    expect(f.respond.mock.calls).toEqual([
      reply({ text: 'No lead matches “@U123”.\nUsage: `/crm lead &lt;customer id or name&gt;`' }),
    ]);
    const g = fakes();
    await run(g, AM, 'lead &lt;b&gt; &amp; co');
    expect(g.respond.mock.calls).toEqual([
      reply({ text: 'No lead matches “&lt;b&gt; &amp; co”.\nUsage: `/crm lead &lt;customer id or name&gt;`' }),
    ]);
  });
});

describe('/crm orders', () => {
  it('replies with the order history the builder makes', async () => {
    const f = fakes();
    await run(f, MANAGER, 'orders C100');
    const resolution = await resolveLeadText(prisma(), 'C100');
    if (resolution.kind !== 'found') throw new Error('C100 not found');
    const expected = buildOrderHistoryMessage(
      resolution.lead,
      await getOrderHistory(orders, await getRates(prisma()), 'C100'),
    );
    expect(f.respond.mock.calls).toEqual([reply(expected)]);
    expect(JSON.stringify(expected)).toContain('O-77');
  });
});

describe('/crm uncontacted', () => {
  it('replies with the list the builder makes for the days asked', async () => {
    const f = fakes();
    await run(f, AM, 'uncontacted 30');
    const result = await findUncontacted(prisma(), { days: 30, now: t.clock.now(), limit: UNCONTACTED_LIST_LIMIT });
    expect(result.leads.length).toBeGreaterThan(0);
    expect(f.respond.mock.calls).toEqual([reply(buildUncontactedList(result, await labels()))]);
  });

  it('refuses a number of days out of range', async () => {
    const f = fakes();
    await run(f, AM, 'uncontacted 0');
    expect(f.respond.mock.calls[0]![0].text).toMatch(/^“0” is not a number of days from 1 to 3650\.\nUsage: /);
  });
});

describe('/crm mine', () => {
  it("replies with the viewer's leads by stage", async () => {
    const f = fakes();
    await run(f, AM, 'mine');
    expect(f.respond.mock.calls).toEqual([reply(buildMyLeads(await listLeadsOwnedBy(prisma(), AM), await labels()))]);
  });
});

describe('/crm stage', () => {
  it('moves a lead, confirms, and republishes the Homes concerned after the reply', async () => {
    const id = await seedLead(prisma(), { customerId: 'C300', name: 'Stage Co', ownerId: AM2 });
    const f = fakes();
    await run(f, AM, 'stage C300 negotiation');
    expectAckedFirst(f);
    expect((await getLeadSummary(prisma(), id)).stage).toBe('negotiation');
    expect(f.respond.mock.calls).toEqual([reply({ text: 'Moved *Stage Co* from Lead to *Negotiation*.' })]);
    expect(f.client.views.publish.mock.calls.map((c) => c[0].user_id).sort()).toEqual([AM, AM2].sort());
  });

  it('without a stage: opens the stage modal the builder makes', async () => {
    const f = fakes();
    await run(f, AM, 'stage C100');
    expect(f.client.views.open.mock.calls).toEqual([
      [
        {
          trigger_id: TRIGGER_ID,
          view: buildStageChangeModal(await getLeadSummary(prisma(), acme), { labels: await labels() }),
        },
      ],
    ]);
    expect(f.respond).not.toHaveBeenCalled();
  });

  it('churned: opens the modal preselected, and says a reason is needed', async () => {
    const f = fakes();
    await run(f, AM, 'stage C100 churned');
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildStageChangeModal(await getLeadSummary(prisma(), acme), {
        labels: await labels(),
        preselect: 'churned',
      }),
    });
    expect(f.respond.mock.calls).toEqual([
      reply({ text: 'Moving *ACME &lt;Trading&gt; &amp; Co* to Churned needs a reason: fill it in the form.' }),
    ]);
    expect((await getLeadSummary(prisma(), acme)).stage).toBe('lead');
  });

  it('refuses a manager', async () => {
    const f = fakes();
    await run(f, MANAGER, 'stage C100 contacted');
    expect(f.respond.mock.calls).toEqual([reply({ text: refusalFor(viewerOf(MANAGER, 'manager'), 'edit')! })]);
    expect((await getLeadSummary(prisma(), acme)).stage).toBe('lead');
  });
});

describe('/crm note', () => {
  it('saves the note on a quoted customer name and confirms', async () => {
    const f = fakes();
    await run(f, AM, 'note "Zenith" wants samples');
    const card = await getLeadCard(prisma(), ((await resolveLeadText(prisma(), 'C200')) as any).lead.leadId);
    expect(card.recentNotes[0]!.text).toBe('wants samples');
    expect(f.respond.mock.calls).toEqual([reply({ text: 'Note saved on *Zenith*.' })]);
    expect(f.client.views.publish).toHaveBeenCalledWith(expect.objectContaining({ user_id: AM }));
  });

  /** The note as the reply shows it: every code block's content, joined (escaped as Slack shows it). */
  const givenBackText = (message: any) =>
    (message.blocks as any[])
      .map((b) => b.text?.text as string | undefined)
      .filter((text): text is string => Boolean(text?.startsWith('```')))
      .map((text) => text.slice(4, -4))
      .join('');
  const unescaped = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const notesOn = (customerId: string) => prisma().activity.count({ where: { kind: 'note', lead: { customerId } } });

  it('an unknown customer: not saved, the note given back escaped to copy, with the usage', async () => {
    const f = fakes();
    // As Slack sends a typed `<!channel> &` (a real @channel would arrive as `<!channel>`).
    await run(f, AM, 'note Nobody Called &lt;!channel&gt; &amp; agreed `a` ```trial```');
    const note = 'Called <!channel> & agreed `a` ```trial```';
    expect(f.respond.mock.calls).toEqual([
      reply(buildNoteNotSaved('No lead matches “Nobody”.', note, '/crm note <customer> <text>')),
    ]);
    const message = f.respond.mock.calls[0]![0];
    expect(visibleText(message)).toContain('Your note was not saved');
    expect(givenBackText(message)).toBe('Called &lt;!channel&gt; &amp; agreed `a` `\u200b`\u200b`trial`\u200b`\u200b`');
    expect(unescaped(givenBackText(message)).replace(/\u200b/g, '')).toBe(note);
  });

  it('a note too long: not saved, given back whole over several blocks, cut at line breaks', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `Line ${i}: ${'x'.repeat(60)} & more`);
    const note = lines.join('\n');
    const before = await notesOn('C200');
    const f = fakes();
    await run(f, AM, `note C200 ${note}`);
    const message = f.respond.mock.calls[0]![0];
    expect(message.blocks[0].text.text).toBe(`The note is too long (${note.length} characters; at most 2900).`);
    const pieces = (message.blocks as any[])
      .filter((b) => b.text?.text?.startsWith('```'))
      .map((b) => unescaped(b.text.text.slice(4, -4)));
    expect(pieces.length).toBeGreaterThan(1);
    for (const b of message.blocks) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    expect(pieces.join('')).toBe(note);
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith('\n')).toBe(true);
    expect(await notesOn('C200')).toBe(before);
  });

  it('saving fails: the note is given back, the failure logged', async () => {
    const f = fakes();
    const error = jest.spyOn(t.deps.logger, 'error');
    const tx = jest.spyOn(prisma(), '$transaction').mockRejectedValueOnce(new Error('database is locked'));
    await run(f, AM, 'note C200 Kept & safe');
    tx.mockRestore();
    expect(f.respond.mock.calls).toEqual([
      reply(
        buildNoteNotSaved('Sorry, saving the note failed. It has been logged; try again in a moment.', 'Kept & safe'),
      ),
    ]);
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ leadId: expect.any(Number) }),
      '/crm note: saving failed',
    );
    error.mockRestore();
  });

  it('a customer matching several leads: one button per lead saves the kept note there; nothing saved yet', async () => {
    const f = fakes();
    await run(f, AM, 'note acme Wants <b>samples</b> & prices');
    const kept = await prisma().pendingNote.findFirstOrThrow({
      where: { authorId: AM },
      orderBy: { createdAt: 'desc' },
    });
    expect(kept).toMatchObject({
      text: 'Wants <b>samples</b> & prices',
      usedAt: null,
      expiresAt: new Date(t.clock.now().getTime() + 30 * 60_000),
    });
    const resolution = await resolveLeadText(prisma(), 'acme', 5);
    if (resolution.kind !== 'ambiguous') throw new Error('expected several leads');
    const expected = buildNoteLeadChoice({
      query: 'acme',
      candidates: resolution.candidates,
      total: resolution.total,
      pendingId: kept.id,
      note: kept.text,
      minutes: 30,
      usage: '/crm note <customer> <text>',
      labels: await labels(),
    });
    expect(f.respond.mock.calls).toEqual([reply(expected)]);
    const buttons = (expected.blocks as any[]).filter((b) => b.accessory).map((b) => b.accessory);
    expect(buttons.map((b) => b.action_id)).toEqual([
      ACTION_IDS.notePickLead,
      ACTION_IDS.notePickLead,
      ACTION_IDS.notePickLead,
    ]);
    expect(buttons.map((b) => b.value)).toEqual(resolution.candidates.map((c) => `${kept.id}:${c.leadId}`));
    expect(givenBackText(expected)).toBe('Wants &lt;b&gt;samples&lt;/b&gt; &amp; prices');
    expect(await prisma().activity.count({ where: { kind: 'note', text: kept.text } })).toBe(0);
  });

  it('more than five leads match: five buttons, how many more, and how to narrow it', async () => {
    for (let i = 0; i < 7; i++) await seedLead(prisma(), { customerId: `M${i}`, name: `Manyco ${i}` });
    const f = fakes();
    await run(f, AM, 'note manyco hello');
    const message = f.respond.mock.calls[0]![0];
    expect((message.blocks as any[]).filter((b) => b.accessory?.action_id === ACTION_IDS.notePickLead)).toHaveLength(5);
    expect(visibleText(message)).toContain(
      '…and 2 more. Not listed? Send the note again with the customer id: `/crm note &lt;customer&gt; &lt;text&gt;` (`/crm find manyco` shows the ids).',
    );
  });

  it('refuses a manager', async () => {
    const f = fakes();
    await run(f, MANAGER, 'note C200 hello');
    expect(f.respond.mock.calls).toEqual([reply({ text: refusalFor(viewerOf(MANAGER, 'manager'), 'edit')! })]);
  });
});

describe('/crm remind', () => {
  it('opens the follow-up modal on that lead, for the caller, tomorrow 09:00 their time', async () => {
    const f = fakes();
    await run(f, AM, 'remind C200');
    const tomorrow = formatLocalDate(localDateTimeOf(t.clock.now(), USER_TZ).day + 1);
    const lead = await getLeadSummary(prisma(), ((await resolveLeadText(prisma(), 'C200')) as any).lead.leadId);
    expect(f.client.views.open.mock.calls).toEqual([
      [
        {
          trigger_id: TRIGGER_ID,
          view: buildFollowUpModal({
            lead: { leadId: lead.leadId, name: lead.name, company: lead.company },
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
        },
      ],
    ]);
  });
});

describe('/crm digest', () => {
  it('previews the digest the builder makes, to a manager', async () => {
    const f = fakes();
    await run(f, MANAGER, 'digest');
    const settings = await getAllSettings(prisma(), t.deps.config);
    const now = t.clock.now();
    const figures = await digestFiguresFor(
      prisma(),
      settings,
      trailingDigestPeriod(settings.digest_schedule, now),
      now,
    );
    const message = buildDigestMessage(figures, {
      stageLabels: settings.stage_labels,
      timeZone: settings.digest_schedule.timeZone,
      homeUrl: await t.deps.appHomeUrl.get(f.web),
      preview: true,
    });
    // The preview comes first; the picture goes to the asker's DM after it (covered end to end in
    // test/e2e/digest-picture.test.ts), so only the first reply is the builder's message.
    expect(f.respond.mock.calls[0]).toEqual(reply({ text: message.text, blocks: message.blocks }));
  });

  it('is not for account managers', async () => {
    const f = fakes();
    await run(f, AM, 'digest');
    expect(f.respond.mock.calls).toEqual([reply({ text: 'Digest previews are for managers and admins.' })]);
  });
});

describe('/crm sync', () => {
  it('is for admins only', async () => {
    const f = fakes();
    await run(f, MANAGER, 'sync');
    expect(f.respond.mock.calls).toEqual([reply({ text: 'Only CRM admins can do that.' })]);
  });

  it('runs the sync now and reports what it did', async () => {
    const reader = new StaticProductionReader([customerRow({ customerId: 'C900', customerName: 'Fresh Imports' })]);
    const local = await openListenerDeps({ production: reader });
    try {
      const f = fakes();
      await crmCommand(local.deps)(slashCommand(f, { userId: ADMIN, text: 'sync' }));
      expect(reader.calls).toHaveLength(1);
      const texts = f.respond.mock.calls.map((c) => c[0].text);
      expect(texts[0]).toBe(':hourglass_flowing_sand: Syncing leads from production…');
      expect(texts[1]).toMatch(
        /^:white_check_mark: Sync done: 1 customers read, 1 new leads, 0 updated, in \d+\.\d s\.$/,
      );
      expect(f.client.views.publish).toHaveBeenCalledWith(expect.objectContaining({ user_id: ADMIN }));
    } finally {
      await local.cleanup();
    }
  });

  it('without production: says there is nothing to sync', async () => {
    const local = await openListenerDeps();
    try {
      const f = fakes();
      await crmCommand(local.deps)(slashCommand(f, { userId: ADMIN, text: 'sync' }));
      expect(f.respond.mock.calls).toEqual([
        reply({ text: 'Production data is not configured (METABASE_URL unset), so there is nothing to sync.' }),
      ]);
    } finally {
      await local.cleanup();
    }
  });
});
