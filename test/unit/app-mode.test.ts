import { loadConfig } from '../../src/config';
import { buildApp } from '../../src/slack/app';
import { createLogger } from '../../src/logger';
import { systemClock } from '../../src/clock';
import type { AppDeps } from '../../src/deps';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack';

describe('connection mode', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack.close();
  });

  beforeEach(() => slack.reset());

  function depsWith(env: Record<string, string>): AppDeps {
    // buildApp only wires listeners; nothing touches the database until a request arrives.
    return { config: loadConfig({ SLACK_API_URL: slack.apiUrl, ...env }), db: {} as AppDeps['db'], production: null, clock: systemClock, logger: createLogger('silent'), instanceId: 'test' };
  }

  it('serves HTTP (POST /slack/events) when no app token is set', async () => {
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }));
    expect(built.mode).toBe('http');
    expect(built.receiver).not.toBeNull();
  });

  it('uses Socket Mode, with no HTTP receiver of ours, when SLACK_APP_TOKEN is set', async () => {
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-abc' }));
    expect(built.mode).toBe('socket');
    expect(built.receiver).toBeNull();
  });

  it.each([
    ['HTTP', { SLACK_SIGNING_SECRET: 's' }],
    ['Socket', { SLACK_APP_TOKEN: 'xapp-1-abc' }],
  ])('%s mode: building the app asks Slack nothing, so Slack down or refusing at start stops nothing; jobs get a client with the bot token', async (_mode, env) => {
    slack.failWith('auth.test', 'invalid_auth', 10);
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', ...env }));
    await new Promise((r) => setTimeout(r, 100));
    expect(slack.callsTo('auth.test')).toHaveLength(0);
    expect(built.app.client.token).toBe('xoxb-1');
  });
});
