/**
 * Each signed request is acted on once: a timestamp more than five minutes ahead is refused
 * (Bolt itself refuses only the past), the same signed request sent again, to this instance
 * or another one on the same database, is acknowledged and does nothing, while Slack's own
 * retries (signed anew, with X-Slack-Retry-Num) act as before. Socket Mode: each envelope_id once.
 */
import { startTestApp, type TestApp } from '../support/harness';
import { AM, addRosterUsers, ROSTER_ENV } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';
import { type SlackDriver, slackText } from '../support/slack-driver';

const FORM = 'application/x-www-form-urlencoded';
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Long enough for a request the app did take to show its effect (the note and its reply). */
const settle = () => new Promise((r) => setTimeout(r, 500));

/** The fields Slack sends for `/crm note <text>` typed by AM. */
function noteCommand(t: TestApp, typed: string): Record<string, string> {
  return {
    token: 'legacy-token',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: AM,
    user_name: AM.toLowerCase(),
    command: '/crm',
    text: slackText(`note C-REPLAY ${typed}`),
    api_app_id: 'AFAKE',
    is_enterprise_install: 'false',
    response_url: t.slack.responseUrl(),
    trigger_id: t.slack.issueTrigger(AM),
  };
}

async function notesSaying(t: TestApp, text: string): Promise<number> {
  return t.deps.db.prisma.activity.count({ where: { kind: 'note', text } });
}

async function start(transport: 'http' | 'socket'): Promise<TestApp> {
  const t = await startTestApp({ env: ROSTER_ENV, transport });
  addRosterUsers(t);
  await seedLead(t.deps.db.prisma, { customerId: 'C-REPLAY', name: 'Replay Target', ownerId: AM });
  return t;
}

describe('signed requests over HTTP', () => {
  let t: TestApp;
  let http: SlackDriver;
  beforeAll(async () => {
    t = await start('http');
    http = t.driver as SlackDriver;
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());

  it('refuses a correctly signed request stamped a year ahead with 401, and acts on nothing', async () => {
    const body = new URLSearchParams(noteCommand(t, 'from the future')).toString();
    const res = await http.post(body, FORM, { timestamp: nowSeconds() + 365 * 24 * 3600 });
    expect(res.status).toBe(401);
    await settle();
    expect(await notesSaying(t, 'from the future')).toBe(0);
    expect(t.slack.responses).toHaveLength(0);
  });

  it('refuses one stamped six minutes ahead, and takes one stamped a minute ahead (a clock a little fast)', async () => {
    const ahead6 = new URLSearchParams(noteCommand(t, 'six minutes ahead')).toString();
    expect((await http.post(ahead6, FORM, { timestamp: nowSeconds() + 6 * 60 })).status).toBe(401);
    const ahead1 = new URLSearchParams(noteCommand(t, 'one minute ahead')).toString();
    expect((await http.post(ahead1, FORM, { timestamp: nowSeconds() + 60 })).status).toBe(200);
    await t.slack.waitForResponse(1);
    expect(await notesSaying(t, 'six minutes ahead')).toBe(0);
    expect(await notesSaying(t, 'one minute ahead')).toBe(1);
  });

  it('acts on the same signed request once: a second copy is acknowledged and saves no second note', async () => {
    const body = new URLSearchParams(noteCommand(t, 'said once')).toString();
    const timestamp = nowSeconds();
    expect((await http.post(body, FORM, { timestamp })).status).toBe(200);
    await t.slack.waitForResponse(1);
    const again = await http.post(body, FORM, { timestamp });
    expect(again.status).toBe(200);
    await settle();
    expect(await notesSaying(t, 'said once')).toBe(1);
    expect(t.slack.responses).toHaveLength(1);
  });

  it("still acts on Slack's retry of an event, which Slack signs anew and marks with X-Slack-Retry-Num", async () => {
    const event = JSON.stringify({
      token: 'legacy-token',
      team_id: 'T0FAKE',
      api_app_id: 'AFAKE',
      event: { type: 'app_home_opened', user: AM, channel: `D${AM}`, tab: 'home', event_ts: `${Date.now() / 1000}` },
      type: 'event_callback',
      event_id: 'EvRETRY1',
      event_time: nowSeconds(),
      authorizations: [{ team_id: 'T0FAKE', user_id: 'UBOT0001', is_bot: true }],
    });
    const first = nowSeconds() - 2;
    expect((await http.post(event, 'application/json', { timestamp: first })).status).toBe(200);
    await t.slack.waitForCalls('views.publish', 1);
    const retry = await http.post(event, 'application/json', { timestamp: first + 1 }, 'retry', {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(retry.status).toBe(200);
    await t.slack.waitForCalls('views.publish', 2);
    // The very same request (same timestamp and signature) a third time does nothing.
    expect((await http.post(event, 'application/json', { timestamp: first })).status).toBe(200);
    await settle();
    expect(t.slack.callsTo('views.publish')).toHaveLength(2);
  });

  it('refuses a copy sent to another instance on the same database', async () => {
    const other = await startTestApp({ env: ROSTER_ENV, databaseUrl: t.databaseUrl, slack: t.slack });
    try {
      const body = new URLSearchParams(noteCommand(t, 'one instance only')).toString();
      const timestamp = nowSeconds();
      expect((await http.post(body, FORM, { timestamp })).status).toBe(200);
      await t.slack.waitForResponse(1);
      expect((await (other.driver as SlackDriver).post(body, FORM, { timestamp })).status).toBe(200);
      await settle();
      expect(await notesSaying(t, 'one instance only')).toBe(1);
      expect(t.slack.responses).toHaveLength(1);
    } finally {
      await other.stopApp();
    }
  });
});

describe('Socket Mode envelopes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await start('socket');
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());

  it('acts on an envelope Slack sends again with the same envelope_id once, and acknowledges it again', async () => {
    const ack = await t.socket!.send('slash_commands', noteCommand(t, 'one envelope'));
    await t.slack.waitForResponse(1);
    const again = await t.socket!.resend(ack.envelope_id);
    expect(again.envelope_id).toBe(ack.envelope_id);
    await settle();
    expect(await notesSaying(t, 'one envelope')).toBe(1);
    expect(t.slack.responses).toHaveLength(1);
  });

  it('acts on a new envelope, even with the same payload', async () => {
    const fields = noteCommand(t, 'two envelopes');
    await t.socket!.send('slash_commands', fields);
    await t.slack.waitForResponse(1);
    await t.socket!.send('slash_commands', fields);
    await t.slack.waitForResponse(2);
    expect(await notesSaying(t, 'two envelopes')).toBe(2);
  });
});
