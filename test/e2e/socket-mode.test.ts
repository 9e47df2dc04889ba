import { startTestApp, type TestApp } from '../support/harness';
import { trackWait } from '../support/pending-waits';

const ADMIN = 'U0ADMIN01';
const ENV = { CRM_ADMINS: ADMIN };

async function slackHealth(t: TestApp): Promise<Record<string, any>> {
  const res = await fetch(`${t.baseUrl}/healthz`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Record<string, any>).slack;
}

/**
 * Asks /healthz until the socket is in `connection` (the app notices a close on its own
 * schedule). No deadline of its own: jest's test timeout bounds it.
 */
async function waitForSocketHealth(t: TestApp, connection: string): Promise<Record<string, any>> {
  let last: Record<string, any> | undefined;
  let abandoned = false;
  const untrack = trackWait({
    describe: () => `/healthz to say ${connection}; it says ${JSON.stringify(last)}`,
    abandon: () => {
      abandoned = true;
    },
  });
  try {
    for (;;) {
      last = await slackHealth(t);
      if (last.connection === connection) return last;
      if (abandoned) throw new Error(`the test ended while waiting for /healthz to say ${connection}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    untrack();
  }
}

function homePublishesFor(t: TestApp, userId: string) {
  return t.slack.callsTo('views.publish').filter((c) => c.args.user_id === userId);
}

/** Each test has an app of its own: the socket client waits about 5 seconds before it reconnects, and these waits overlap. */
async function withSocketApp(test: (t: TestApp) => Promise<void>): Promise<void> {
  const t = await startTestApp({ transport: 'socket', env: ENV });
  try {
    await test(t);
  } finally {
    await t.stop();
  }
}

describe('Socket Mode: reconnection', () => {
  it.concurrent('moves to a new connection when Slack asks (refresh_requested), says so on /healthz, and keeps serving', () =>
    withSocketApp(async (t) => {
      const socket = t.socket!;
      const before = socket.helloCount;
      socket.requestReconnect('refresh_requested', 10_000);
      await socket.waitForNoConnection();
      expect(await waitForSocketHealth(t, 'reconnecting')).toEqual({
        mode: 'socket',
        connection: 'reconnecting',
        since: expect.any(String),
        token: expect.any(Object),
      });
      await socket.waitForConnections(before + 1);
      await waitForSocketHealth(t, 'connected');
      // The app closed the old connection itself, normally, as soon as Slack asked.
      expect(socket.connections[before - 1]).toMatchObject({
        disconnectSent: 'refresh_requested',
        closedBy: 'app',
        closeCode: 1000,
      });

      const res = await t.driver.openHome(ADMIN);
      expect(socket.ackFor(res.envelopeId!)!.connection).toBe(before + 1);
      await t.slack.waitFor(() => homePublishesFor(t, ADMIN).length > 0, 'a Home publish');
    }));

  it.concurrent('does the same on a disconnect warning, and answers a command on the new connection', () =>
    withSocketApp(async (t) => {
      const socket = t.socket!;
      const before = socket.helloCount;
      socket.requestReconnect('warning', 10_000);
      await socket.waitForConnections(before + 1);
      expect(socket.connections[before - 1]).toMatchObject({ disconnectSent: 'warning', closedBy: 'app' });
      const answered = t.slack.responses.length;
      const res = await t.driver.crm(ADMIN, 'help');
      expect(socket.ackFor(res.envelopeId!)!.connection).toBe(before + 1);
      const answers = await t.slack.waitForResponse(answered + 1);
      expect(JSON.stringify(answers[answered]!.body)).toContain('/crm find');
    }));

  it.concurrent('reconnects after the connection drops, and serves the event Slack held during the gap', () =>
    withSocketApp(async (t) => {
      const socket = t.socket!;
      const before = socket.helloCount;
      const published = homePublishesFor(t, ADMIN).length;
      socket.drop();
      await socket.waitForNoConnection();
      await waitForSocketHealth(t, 'reconnecting');
      // Sent while the app has no connection: Slack keeps it for the next one.
      const res = await t.driver.openHome(ADMIN);
      expect(socket.connections[before - 1]!.closedBy).toBe('dropped');
      expect(socket.deliveriesOf(res.envelopeId!).map((d) => d.connection)).toEqual([before + 1]);
      await t.slack.waitFor(() => homePublishesFor(t, ADMIN).length > published, 'the Home publish for the held event');
      await waitForSocketHealth(t, 'connected');
    }));

  it.concurrent('keeps asking for a connection through a Slack outage longer than the Web API retries, then reconnects', () =>
    withSocketApp(async (t) => {
      const socket = t.socket!;
      const before = socket.helloCount;
      const opens = t.slack.callsTo('apps.connections.open').length;
      // Six attempts is where a bounded retry of apps.connections.open gives up for good.
      t.slack.serverError('apps.connections.open', 6);
      socket.drop();
      await socket.waitForConnections(before + 1);
      expect(t.slack.callsTo('apps.connections.open').length - opens).toBe(7);
      const res = await t.driver.crm(ADMIN, 'help');
      expect(res.status).toBe(200);
      await waitForSocketHealth(t, 'connected');
    }));
});

describe('Socket Mode: graceful stop', () => {
  it('stops taking envelopes, lets work in flight send its ack, closes the socket; Slack re-sends what was left to the next start', async () => {
    const t = await startTestApp({ transport: 'socket', env: ENV });
    let next: TestApp | undefined;
    try {
      const socket = t.socket!;
      let started = false;
      let release!: () => void;
      t.server.built.app.command('/slow', async ({ ack }) => {
        started = true;
        await new Promise<void>((resolve) => (release = resolve));
        await ack({ text: 'finished' });
      });
      const slow = t.driver.command(ADMIN, '/slow', '');
      slow.catch(() => undefined); // awaited below; a failure must fail the test, not the worker
      await socket.waitFor(() => (started ? true : undefined), 'the slow command to start');

      const stopping = t.stopApp();
      // Arrives while the app stops: delivered, but not taken.
      const homeOpened = t.driver.openHome(ADMIN);
      homeOpened.catch(() => undefined);
      await socket.waitFor(
        () =>
          socket.deliveries.length && socket.deliveries[socket.deliveries.length - 1]!.envelope.type === 'events_api'
            ? true
            : undefined,
        'the event delivery',
      );
      release();
      await stopping;

      expect((await slow).json).toEqual({ text: 'finished' });
      // The fake records the close when its side of the socket ends, which can follow the app's own close.
      const connection = await socket.waitFor(
        () => (socket.connections[0]?.closedAt ? socket.connections[0] : undefined),
        'the socket to close',
      );
      expect(connection).toMatchObject({ closedBy: 'app', closeCode: 1000 });
      expect(connection!.closedAt!).toBeGreaterThanOrEqual(socket.acks.find((a) => a.type === 'slash_commands')!.at);
      expect(socket.unacked().map((e) => e.type)).toEqual(['events_api']);
      expect(homePublishesFor(t, ADMIN)).toEqual([]);
      await expect(fetch(`${t.baseUrl}/healthz`)).rejects.toThrow();

      // The next start gets the event again (a retry) and serves it.
      next = await startTestApp({ transport: 'socket', env: ENV, slack: t.slack, socket, databaseUrl: t.databaseUrl });
      const res = await homeOpened;
      expect(socket.deliveriesOf(res.envelopeId!).map((d) => [d.connection, d.envelope.retry_attempt])).toEqual([
        [1, 0],
        [2, 1],
      ]);
      await next.slack.waitFor(() => homePublishesFor(next!, ADMIN).length > 0, 'the Home publish');
    } finally {
      await next?.stop();
      await t.stop();
    }
  });
});
