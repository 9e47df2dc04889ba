import { startTestApp, type TestApp } from '../support/harness';

describe('the app over HTTP with signed requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.reset());

  it('publishes a Home view for a signed app_home_opened', async () => {
    const res = await t.driver.openHome('U0FOUND1');
    expect(res.status).toBe(200);
    const [call] = await t.slack.waitForCalls('views.publish');
    expect(call!.args.user_id).toBe('U0FOUND1');
    expect(call!.args.view.type).toBe('home');
    expect(call!.authorization).toBe('Bearer xoxb-test-token');
  });

  it('refuses a bad signature with 401 and calls no Web API method', async () => {
    const res = await t.driver.openHome('U0FOUND1', { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(t.slack.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('refuses a request signed more than five minutes ago with 401', async () => {
    const res = await t.driver.openHome('U0FOUND1', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(t.slack.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('answers /healthz with the database state and no Metabase configured', async () => {
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({
      ok: true,
      database: { ok: true, provider: 'sqlite' },
      metabase: { configured: false },
    });
    expect(typeof body.version).toBe('string');
  });
});

describe('graceful stop', () => {
  it('finishes listener work that continues after the ack before it resolves', async () => {
    const t = await startTestApp();
    try {
      let finished = false;
      t.server.built.app.command('/slow', async ({ ack, client, command }) => {
        await ack();
        await new Promise((r) => setTimeout(r, 400));
        await client.chat.postMessage({ channel: command.user_id, text: 'done after ack' });
        finished = true;
      });
      const res = await t.driver.command('U0SLOW001', '/slow', '');
      expect(res.status).toBe(200);
      expect(finished).toBe(false);
      await t.stopApp();
      expect(finished).toBe(true);
      expect(t.slack.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(['done after ack']);
      await expect(fetch(`${t.baseUrl}/healthz`)).rejects.toThrow();
    } finally {
      await t.stop();
    }
  });
});
