import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { MAX_REQUEST_BODY_BYTES } from '../../src/slack/app';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp, waitForSettled } from '../support/harness';
import { seedLead } from '../support/seed-leads';
import { SlackDriver, type SlackSide } from '../support/slack-driver';

/** Bounded I/O at the Slack edge: request bodies, Web API and response_url time limits, response_url hosts. */
describe('Slack I/O limits', () => {
  const AM = 'U0AMANAGE1';
  let t: TestApp;
  let leadId: number;
  const lines: string[] = [];
  /** Another local server: "a host that is not Slack". Records whatever reaches it. */
  let elsewhere: Server;
  const reachedElsewhere: string[] = [];
  let elsewhereUrl = '';

  beforeAll(async () => {
    t = await startTestApp({
      env: { CRM_ACCOUNT_MANAGERS: AM, SLACK_TIMEOUT_MS: '300', LOG_LEVEL: 'info' },
      logStream: new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    });
    t.slack.addUser({ id: AM });
    leadId = await seedLead(t.deps.db.prisma, { customerId: 'IO-1', name: 'IO Customer', ownerId: AM });
    elsewhere = createServer((req, res) => {
      reachedElsewhere.push(`${req.method} ${req.url}`);
      res.end('ok');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.stop();
    elsewhere.closeAllConnections();
    await new Promise((resolve) => elsewhere.close(resolve));
  });
  beforeEach(() => {
    t.slack.reset();
    lines.length = 0;
  });

  const settle = () => waitForSettled(t);
  const logged = (msg: string) => lines.map((l) => JSON.parse(l)).filter((l) => l.msg === msg);

  /** Sends a request body as a stream and never ends it; resolves with the app's answer. */
  function streamWithoutEnd(contentLength?: number): Promise<{ status: number; sent: number }> {
    return new Promise((resolve, reject) => {
      let sent = 0;
      const req = request(`${t.baseUrl}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(contentLength !== undefined ? { 'content-length': String(contentLength) } : {}),
        },
      });
      req.on('response', (res: IncomingMessage) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      });
      req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        // Up to twice the limit, then hold the request open: the app must answer without the rest.
        while (sent < 2 * MAX_REQUEST_BODY_BYTES && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      pump();
    });
  }

  it('refuses a body over 1 MB with 413 from its declared length, before reading it', async () => {
    const answer = await streamWithoutEnd(2 * MAX_REQUEST_BODY_BYTES);
    expect(answer.status).toBe(413);
  });

  it('refuses a streamed body with 413 as soon as it passes 1 MB, without waiting for its end', async () => {
    const answer = await streamWithoutEnd();
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeLessThanOrEqual(2 * MAX_REQUEST_BODY_BYTES);
  });

  it('still serves a signed request just under 1 MB', async () => {
    const res = await t.driver.crm(AM, `find ${'x'.repeat(MAX_REQUEST_BODY_BYTES - 2_000)}`);
    expect(res.status).toBe(200);
    const [reply] = await t.slack.waitForResponse(1);
    // Read whole, and answered: the search text is refused in words, before any query.
    expect(reply!.body.text).toMatch(/^Search text can be at most \d+ characters/);
  });

  it('gives up a Web API call that does not answer within SLACK_TIMEOUT_MS, retries it a bounded number of times, and goes on', async () => {
    t.slack.hang('views.open', 100);
    await t.driver.blockAction(
      AM,
      { type: 'overflow', action_id: ACTION_IDS.leadOverflow, selected_option: { value: `contact:${leadId}` } },
      { type: 'view', view_id: 'VHOME' },
    );
    await settle();
    // The first try and the client's five retries, each cut off at the time limit.
    const contactModalTries = t.slack.callsTo('views.open').filter((c) => c.args.view?.callback_id === 'lead_contact');
    expect(contactModalTries).toHaveLength(6);
    expect(JSON.stringify(logged('lead action failed'))).toContain('TimeoutError');
  });

  it('gives up a response_url post (respond() and our own) that does not answer within SLACK_TIMEOUT_MS', async () => {
    t.slack.hangResponses(4);
    await t.driver.crm(AM, 'help');
    await t.driver.blockAction(
      AM,
      { action_id: ACTION_IDS.leadHistoryPage, value: `${leadId}:1` },
      { type: 'message', is_ephemeral: true },
    );
    await settle();
    expect(JSON.stringify(logged('/crm failed'))).toContain('TimeoutError');
    expect(JSON.stringify(logged('lead history failed'))).toContain('TimeoutError');
  });

  it('posts to a response_url only on Slack’s hooks host (here: the configured fake), refusing and logging others', async () => {
    // Slack's side as usual, except that its response_urls point elsewhere.
    const elsewhere: SlackSide = {
      issueTrigger: t.slack.issueTrigger.bind(t.slack),
      openModalOf: t.slack.openModalOf.bind(t.slack),
      assumeModal: t.slack.assumeModal.bind(t.slack),
      afterSubmission: t.slack.afterSubmission.bind(t.slack),
      responseUrl: () => `${elsewhereUrl}/actions/T1/1/abc`,
    };
    const driver = new SlackDriver(t.baseUrl, TEST_SIGNING_SECRET, elsewhere);
    await driver.crm(AM, 'help');
    await driver.blockAction(
      AM,
      { action_id: ACTION_IDS.leadHistoryPage, value: `${leadId}:1` },
      { type: 'message', is_ephemeral: true },
    );
    await settle();
    expect(reachedElsewhere).toEqual([]);
    const refusals = lines.map((l) => JSON.parse(l)).filter((l) => /refused .*not (on )?Slack/.test(l.msg));
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.every((l) => l.origin === elsewhereUrl)).toBe(true);
    // The URL is a credential while it is valid: only its origin is logged.
    expect(lines.join('')).not.toContain('/actions/T1/1/abc');

    // The same requests with Slack's (here: the fake's) response_url are answered.
    await t.driver.crm(AM, 'help');
    await t.slack.waitForResponse(1);
  });
});
