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

  // The token is checked (auth.test) when the server initialises the app: answer it locally.
  function depsWith(env: Record<string, string>): AppDeps {
    // buildApp only wires listeners; nothing touches the database until a request arrives.
    return { config: loadConfig({ SLACK_API_URL: slack.apiUrl, ...env }), db: {} as AppDeps['db'], production: null, clock: systemClock, logger: createLogger('silent'), instanceId: 'test' };
  }

  it('serves HTTP (POST /slack/events) when no app token is set', async () => {
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }));
    expect(built.mode).toBe('http');
    expect(built.receiver).not.toBeNull();
    expect(slack.callsTo('auth.test')).toHaveLength(0);
    await built.app.init();
    expect(slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('uses Socket Mode, with no HTTP receiver of ours, when SLACK_APP_TOKEN is set', async () => {
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-abc' }));
    expect(built.mode).toBe('socket');
    expect(built.receiver).toBeNull();
    await built.app.init();
    expect(slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('a refused token fails initialisation, so the start fails with Slack’s reason', async () => {
    slack.failWith('auth.test', 'invalid_auth');
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }));
    await expect(built.app.init()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });
});
