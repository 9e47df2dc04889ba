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

  // Bolt verifies the token with auth.test as soon as the App is built: answer it locally.
  function depsWith(env: Record<string, string>): AppDeps {
    // buildApp only wires listeners; nothing touches the database until a request arrives.
    return { config: loadConfig({ SLACK_API_URL: slack.apiUrl, ...env }), db: {} as AppDeps['db'], production: null, clock: systemClock, logger: createLogger('silent'), instanceId: 'test' };
  }

  it('serves HTTP (POST /slack/events) when no app token is set', async () => {
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }));
    expect(built.mode).toBe('http');
    expect(built.receiver).not.toBeNull();
    await slack.waitForCalls('auth.test', 1);
  });

  it('uses Socket Mode, with no HTTP receiver of ours, when SLACK_APP_TOKEN is set', async () => {
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-abc' }));
    expect(built.mode).toBe('socket');
    expect(built.receiver).toBeNull();
    await slack.waitForCalls('auth.test', 2);
  });
});
