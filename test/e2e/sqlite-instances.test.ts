import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { LEAD_BLOCKS } from '../../src/slack/views/lead-card';
import { type TestDatabaseUrl, tempSqliteUrl } from '../support/databases';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { startTestApp, type TestApp } from '../support/harness';
import { AM, AM2, addRosterUsers, ROSTER_ENV, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

/**
 * Two app instances on one SQLite file, as when two processes share a volume: writes that
 * arrive at the same moment on both must all land (or be refused as a conflict the user can
 * read), never fail with "database is locked".
 */
describe('two instances on one SQLite file', () => {
  let target: TestDatabaseUrl;
  let slack: FakeSlack;
  let a: TestApp;
  let b: TestApp;
  const leadIds: number[] = [];

  beforeAll(async () => {
    target = tempSqliteUrl();
    slack = await startFakeSlack();
    a = await startTestApp({ env: ROSTER_ENV, databaseUrl: target.url, slack });
    b = await startTestApp({ env: ROSTER_ENV, databaseUrl: target.url, slack });
    addRosterUsers(a);
    for (let i = 0; i < 4; i++)
      leadIds.push(await seedLead(a.deps.db.prisma, { customerId: `S-${i}`, name: `Shared Customer ${i}` }));
  }, 30_000);
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await slack.close();
    await target.cleanup();
  });

  it('40 /crm note commands and 16 stage saves of the same leads at once, half to each instance: each lands or is a clear conflict', async () => {
    const start = await a.deps.db.prisma.lead.findMany({ where: { id: { in: leadIds } } });
    const before = slack.responses.length;
    const stages = ['contacted', 'negotiation', 'trial_order', 'active_account'];
    const notes = Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? b : a).driver.crm(i % 4 < 2 ? AM : AM2, `note S-${i % 4} parallel note ${i}`),
    );
    const saves = start.flatMap((lead, n) =>
      [a, b, a, b].map((app, k) =>
        app.driver.submitView(k % 2 ? AM2 : AM, {
          callback_id: 'stage_change',
          private_metadata: JSON.stringify({ leadId: lead.id, version: lead.version }),
          values: {
            [LEAD_BLOCKS.stage]: {
              [ACTION_IDS.stageSelect]: { type: 'static_select', selected_option: { value: stages[(n + k) % 4] } },
            },
          },
        }),
      ),
    );
    const [noteAnswers, saveAnswers] = await Promise.all([Promise.all(notes), Promise.all(saves)]);
    expect([...noteAnswers, ...saveAnswers].map((r) => r.status)).toEqual(Array(56).fill(200));

    const replies = (await slack.waitForResponse(before + 40)).slice(before).map((r) => visibleText(r.body));
    expect(replies.filter((r) => /went wrong/i.test(r))).toEqual([]);
    expect(replies.filter((r) => r.includes('Note saved'))).toHaveLength(40);
    expect(
      await a.deps.db.prisma.activity.count({ where: { kind: 'note', text: { startsWith: 'parallel note' } } }),
    ).toBe(40);

    const errors = saveAnswers.map((r) => JSON.stringify(r.json?.errors ?? {}));
    expect(errors.filter((e) => /went wrong|saving failed/i.test(e))).toEqual([]);
    const landed = saveAnswers.filter((r) => r.json?.response_action === undefined).length;
    // A conflict comes back as the form, still filled in, saying what changed meanwhile.
    const conflicts = saveAnswers.filter(
      (r) => r.json?.response_action === 'update' && visibleText(r.json.view).includes('while you had this form open'),
    ).length;
    expect(landed + conflicts).toBe(16);
    // Every lead's version moved by exactly the notes and stage saves that landed on it.
    const after = await a.deps.db.prisma.lead.findMany({ where: { id: { in: leadIds } } });
    const moved = after.reduce((sum, l) => sum + l.version, 0) - start.reduce((sum, l) => sum + l.version, 0);
    expect(moved).toBe(40 + landed);
  }, 60_000);
});
