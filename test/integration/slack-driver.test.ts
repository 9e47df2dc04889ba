/**
 * The driver sends what Slack sends and notices what Slack would: a late ack, an event
 * re-sent with Slack's retry headers, an answer outside Block Kit's limits, and a modal
 * closed or kept open after its submission.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { SlackDriver } from '../support/slack-driver';

/** A stand-in app: records each request's headers and body, answers with `answer(n)` after `delayMs(n)`. */
async function stubApp(
  answer: (n: number) => { status: number; body?: unknown },
  delayMs: (n: number) => number = () => 0,
) {
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const n = seen.push({ headers: req.headers, body }) - 1;
      setTimeout(() => {
        const a = answer(n);
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(a.body === undefined ? '' : JSON.stringify(a.body));
      }, delayMs(n));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(async () => {
  await slack.close();
});

describe('the Slack driver', () => {
  it('re-sends an event answered after 3 seconds with X-Slack-Retry-Num and X-Slack-Retry-Reason, and records the late ack', async () => {
    const app = await stubApp(
      () => ({ status: 200 }),
      (n) => (n === 0 ? 3_200 : 0),
    );
    try {
      const driver = new SlackDriver(app.url, 'secret', slack);
      await driver.openHome('U1');
      expect(app.seen).toHaveLength(2);
      expect(app.seen[0]!.headers['x-slack-retry-num']).toBeUndefined();
      expect(app.seen[1]!.headers).toMatchObject({ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
      expect(JSON.parse(app.seen[1]!.body).event_id).toBe(JSON.parse(app.seen[0]!.body).event_id);
      expect(driver.lateAcks().map((a) => a.what)).toEqual(['event app_home_opened']);
    } finally {
      await app.close();
    }
  });

  it('re-sends an event answered with an error as http_error', async () => {
    const app = await stubApp((n) => ({ status: n === 0 ? 500 : 200 }));
    try {
      const driver = new SlackDriver(app.url, 'secret', slack);
      await driver.openHome('U1');
      expect(app.seen[1]!.headers['x-slack-retry-reason']).toBe('http_error');
      expect(driver.lateAcks()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('sends typed text encoded, with a trigger_id and response_url the fake Slack issued', async () => {
    const app = await stubApp(() => ({ status: 200 }));
    try {
      const driver = new SlackDriver(app.url, 'secret', slack);
      await driver.crm('U1', 'find AT&T <b>');
      const form = new URLSearchParams(app.seen[0]!.body);
      expect(form.get('text')).toBe('find AT&amp;T &lt;b&gt;');
      const posted = await fetch(form.get('response_url')!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'ok' }),
      });
      expect(posted.status).toBe(200);
      const trigger = form.get('trigger_id')!;
      expect(trigger).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    } finally {
      await app.close();
    }
  });

  it('flags an answer outside Block Kit limits, and closes or keeps a submitted modal as Slack would', async () => {
    const tooLong = {
      response_action: 'update',
      view: { type: 'modal', callback_id: 'note', title: { type: 'plain_text', text: 'x'.repeat(30) }, blocks: [] },
    };
    const answers = [
      { status: 200, body: tooLong },
      { status: 200, body: { response_action: 'errors', errors: { note_block: 'Empty' } } },
      { status: 200 },
    ];
    const app = await stubApp((n) => answers[n]!);
    try {
      const driver = new SlackDriver(app.url, 'secret', slack);
      const modal = slack.assumeModal('U1', {
        type: 'modal',
        callback_id: 'note',
        title: { type: 'plain_text', text: 'Note' },
        blocks: [
          {
            type: 'input',
            block_id: 'note_block',
            label: { type: 'plain_text', text: 'Note' },
            element: { type: 'plain_text_input' },
          },
        ],
      });
      await driver.submitView('U1', { callback_id: 'note', values: {} });
      expect(driver.problems).toEqual([
        expect.stringContaining('[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'),
      ]);
      expect(JSON.parse(new URLSearchParams(app.seen[0]!.body).get('payload')!).view.id).toBe(modal.id);
      await driver.submitView('U1', { callback_id: 'note', values: {} });
      expect(slack.views.get(modal.id)!.open).toBe(true);
      await driver.submitView('U1', { callback_id: 'note', values: {} });
      expect(slack.views.get(modal.id)!.open).toBe(false);
    } finally {
      await app.close();
    }
  });
});
