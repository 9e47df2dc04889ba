import { WebSocket } from 'ws';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { FAKE_APP_TOKEN, type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode';

/** A bare WebSocket client standing in for the app: the fake's checks must catch its mistakes. */
async function openUrl(slack: FakeSlack, token: string | null): Promise<any> {
  const res = await fetch(`${slack.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: token ? '' : 'token=xoxb-in-the-body',
  });
  return res.json();
}

function connect(url: string): Promise<{ ws: WebSocket; messages: any[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: any[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out');
}

describe('the fake Socket Mode server', () => {
  let slack: FakeSlack;
  let socket: FakeSocketMode;
  beforeEach(async () => {
    slack = await startFakeSlack();
    socket = await startFakeSocketMode(slack);
  });
  afterEach(async () => {
    await socket.close();
    await slack.close();
  });

  it('answers apps.connections.open only for the app-level token in the Authorization header', async () => {
    expect(await openUrl(slack, 'xapp-1-someone-else')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await openUrl(slack, 'xoxb-a-bot-token')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await openUrl(slack, null)).toEqual({ ok: false, error: 'not_authed' });
    const open = await openUrl(slack, FAKE_APP_TOKEN);
    expect(open).toEqual({
      ok: true,
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=A0FAKE$/),
    });
  });

  it('says hello, takes a ticket once, and records acks with their payload', async () => {
    const { url } = await openUrl(slack, FAKE_APP_TOKEN);
    const app = await connect(url);
    const hello = await until(() => app.messages[0]);
    expect(hello).toMatchObject({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FAKE' } });
    await expect(connect(url)).rejects.toThrow('HTTP 401');

    const acked = socket.send('interactive', { type: 'view_submission', view: { callback_id: 'x' } });
    const envelope = await until(() => app.messages.find((m) => m.type === 'interactive'));
    expect(envelope).toMatchObject({
      accepts_response_payload: true,
      retry_attempt: 0,
      retry_reason: '',
      payload: { type: 'view_submission' },
    });
    app.ws.send(
      JSON.stringify({
        envelope_id: envelope.envelope_id,
        payload: { response_action: 'errors', errors: { b: 'no' } },
      }),
    );
    expect(await acked).toMatchObject({
      envelope_id: envelope.envelope_id,
      type: 'interactive',
      payload: { response_action: 'errors', errors: { b: 'no' } },
      connection: 1,
    });
    expect(socket.protocolErrors).toEqual([expect.stringContaining('unknown or used ticket')]);
    app.ws.close();
  });

  it('collects protocol mistakes: unknown or repeated acks, a payload where none is accepted, unreadable messages', async () => {
    const app = await connect((await openUrl(slack, FAKE_APP_TOKEN)).url);
    const event = socket.enqueue('events_api', { type: 'event_callback', event: { type: 'app_home_opened' } });
    await until(() => app.messages.find((m) => m.type === 'events_api'));
    expect(event.accepts_response_payload).toBe(false);
    app.ws.send(JSON.stringify({ envelope_id: event.envelope_id, payload: { text: 'not allowed' } }));
    app.ws.send(JSON.stringify({ envelope_id: event.envelope_id }));
    app.ws.send(JSON.stringify({ envelope_id: 'never-sent' }));
    app.ws.send('not json');
    await until(() => (socket.protocolErrors.length === 4 ? true : undefined));
    expect(socket.protocolErrors).toEqual([
      expect.stringContaining('which accepts none'),
      expect.stringContaining('second ack'),
      expect.stringContaining('never sent: never-sent'),
      expect.stringContaining('unreadable message'),
    ]);
    app.ws.close();
  });

  it('re-sends an unacknowledged event on the next connection; a click is not re-sent and its wait fails', async () => {
    const first = await connect((await openUrl(slack, FAKE_APP_TOKEN)).url);
    const event = socket.enqueue('events_api', { type: 'event_callback', event: { type: 'app_home_opened' } });
    const click = socket.send('interactive', { type: 'block_actions' });
    await until(() => (first.messages.length === 3 ? true : undefined));
    socket.drop();
    await expect(click).rejects.toThrow('its connection closed before the ack');
    await socket.waitForNoConnection();

    const second = await connect((await openUrl(slack, FAKE_APP_TOKEN)).url);
    const again = await until(() => second.messages.find((m) => m.type === 'events_api'));
    expect(again).toMatchObject({ envelope_id: event.envelope_id, retry_attempt: 1, retry_reason: 'timeout' });
    expect(second.messages.some((m) => m.type === 'interactive')).toBe(false);
    expect(socket.connections[0]).toMatchObject({ closedBy: 'dropped' });
    second.ws.close();
  });

  it('asks the app to reconnect, and closes the connection itself if the app does not', async () => {
    const app = await connect((await openUrl(slack, FAKE_APP_TOKEN)).url);
    socket.requestReconnect('warning', 50);
    const disconnect = await until(() => app.messages.find((m) => m.type === 'disconnect'));
    expect(disconnect).toMatchObject({ type: 'disconnect', reason: 'warning' });
    // Nothing new goes to a connection Slack asked the app to leave.
    socket.enqueue('events_api', { type: 'event_callback', event: { type: 'app_home_opened' } });
    await socket.waitForNoConnection();
    expect(socket.connections[0]).toMatchObject({ disconnectSent: 'warning', closedBy: 'slack' });
    expect(app.messages.filter((m) => m.type === 'events_api')).toEqual([]);
  });
});
