/**
 * The fake Slack must refuse what Slack refuses, or e2e tests built on it prove nothing.
 * Driven through @slack/web-api (the client the app uses), so the answers are read exactly
 * as the app reads them.
 */
import { type Logger, LogLevel, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { slackText } from '../support/slack-driver';

// The client logs every refusal; these tests provoke them on purpose.
const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

let slack: FakeSlack;
let client: WebClient;

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const modal = (title = 'Title', blocks: any[] = [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }]) => ({
  type: 'modal' as const,
  title: plain(title),
  blocks,
});
const home = (blocks: any[] = [{ type: 'section', text: { type: 'mrkdwn', text: 'home' } }]) => ({
  type: 'home' as const,
  blocks,
});

async function slackError(call: Promise<unknown>): Promise<WebAPIPlatformError['data']> {
  try {
    await call;
  } catch (err) {
    return (err as WebAPIPlatformError).data;
  }
  throw new Error('Slack accepted the call');
}

beforeEach(async () => {
  slack = await startFakeSlack();
  client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
});
afterEach(async () => {
  await slack.close();
});

describe('fake Slack', () => {
  it('refuses a view outside Block Kit limits with invalid_arguments and Slack-formatted messages', async () => {
    const data = await slackError(
      client.views.publish({ user_id: 'U1', view: home([{ type: 'header', text: plain('x'.repeat(151)) }]) }),
    );
    expect(data).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] must be less than 151 characters [json-pointer:/view/blocks/0/text/text]'],
      },
    });
    expect(slack.takeViolations()).toEqual([
      expect.objectContaining({ method: 'views.publish', error: 'invalid_arguments' }),
    ]);
  });

  it('refuses a message with 51 blocks with invalid_blocks', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const data = await slackError(client.chat.postMessage({ channel: 'C1', text: 'x', blocks }));
    expect(data).toMatchObject({
      error: 'invalid_blocks',
      response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] },
    });
  });

  it('answers unknown_method for a method it does not implement', async () => {
    expect(await slackError(client.apiCall('pins.add', { channel: 'C1' }))).toMatchObject({ error: 'unknown_method' });
    expect(slack.takeViolations().map((v) => v.error)).toEqual(['unknown_method']);
  });

  it('lets a trigger_id open one modal, within 3 seconds, and only one it issued', async () => {
    const trigger = slack.issueTrigger('U1');
    const opened = await client.views.open({ trigger_id: trigger, view: modal() });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view?.hash).toBeTruthy();
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal() }))).toMatchObject({
      error: 'exchanged_trigger_id',
    });

    const late = slack.issueTrigger('U1');
    slack.advance(3_001);
    expect(await slackError(client.views.open({ trigger_id: late, view: modal() }))).toMatchObject({
      error: 'expired_trigger_id',
    });
    expect(await slackError(client.views.open({ trigger_id: '123.456.abc', view: modal() }))).toMatchObject({
      error: 'invalid_trigger_id',
    });
    expect(slack.takeViolations().map((v) => v.error)).toEqual([
      'exchanged_trigger_id',
      'expired_trigger_id',
      'invalid_trigger_id',
    ]);
  });

  it('gives every view a fresh hash and answers hash_conflict to a stale one', async () => {
    const first = await client.views.publish({ user_id: 'U1', view: home() });
    const second = await client.views.publish({ user_id: 'U1', view: home(), hash: first.view!.hash! });
    expect(second.view!.hash).not.toBe(first.view!.hash);
    expect(
      await slackError(client.views.publish({ user_id: 'U1', view: home(), hash: first.view!.hash! })),
    ).toMatchObject({ error: 'hash_conflict' });

    const opened = await client.views.open({ trigger_id: slack.issueTrigger('U1'), view: modal('Loading') });
    const updated = await client.views.update({
      view_id: opened.view!.id!,
      hash: opened.view!.hash!,
      view: modal('Done'),
    });
    expect(
      await slackError(
        client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view: modal('Again') }),
      ),
    ).toMatchObject({ error: 'hash_conflict' });
    expect(updated.view!.hash).not.toBe(opened.view!.hash);
    // A race, not a mistake: hash conflicts are not violations.
    expect(slack.takeViolations()).toEqual([]);
    expect(slack.hashConflicts).toHaveLength(2);
  });

  it('answers not_found when updating a modal that was closed', async () => {
    const opened = await client.views.open({
      trigger_id: slack.issueTrigger('U1'),
      view: { ...modal(), callback_id: 'cb' },
    });
    slack.afterSubmission(opened.view!.id!, undefined);
    expect(await slackError(client.views.update({ view_id: opened.view!.id!, view: modal() }))).toMatchObject({
      error: 'not_found',
    });
  });

  it('takes 5 posts to a response_url within 30 minutes, then answers HTTP 404', async () => {
    const url = slack.responseUrl();
    const post = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hi' }),
      });
    for (let i = 0; i < 5; i++) expect((await post()).status).toBe(200);
    const sixth = await post();
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toMatchObject({ error: 'used_url' });

    const old = slack.responseUrl();
    slack.advance(30 * 60_000 + 1);
    const late = await fetch(old, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(late.status).toBe(404);
    expect(slack.responses).toHaveLength(5);
    expect(slack.takeViolations().map((v) => v.error)).toEqual(['used_url', 'expired_url']);
  });

  it('refuses chat.update of a message it never posted', async () => {
    const posted = await client.chat.postMessage({ channel: 'U1', text: 'hi' });
    await client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'edited' });
    expect(await slackError(client.chat.update({ channel: 'U1', ts: posted.ts!, text: 'edited' }))).toMatchObject({
      error: 'message_not_found',
    });
  });

  it('can be slow: answers after the delay it is given', async () => {
    slack.slowDown('users.info', 300, 1);
    slack.addUser({ id: 'U1' });
    const started = Date.now();
    await client.users.info({ user: 'U1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('text as Slack sends it', () => {
  it('escapes &, < and > and keeps mentions, channels, links and dates in Slack markup', () => {
    expect(slackText('AT&T <b>')).toBe('AT&amp;T &lt;b&gt;');
    expect(
      slackText('ask <@U123> and <@U456|ana> in <#C1|sales>, see <https://x.example/a?b=1&c=2|Q&A deck> & <!here>'),
    ).toBe(
      'ask <@U123> and <@U456|ana> in <#C1|sales>, see <https://x.example/a?b=1&amp;c=2|Q&amp;A deck> &amp; <!here>',
    );
    expect(slackText('1 < 2 > 0')).toBe('1 &lt; 2 &gt; 0');
  });
});
