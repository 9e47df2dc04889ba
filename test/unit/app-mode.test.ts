import { systemClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { AppDeps } from '../../src/deps';
import { createLogger } from '../../src/logger';
import { buildApp } from '../../src/slack/app';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';

describe('connection mode', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack.close();
  });

  function depsWith(env: Record<string, string>): AppDeps {
    // buildApp only wires listeners; nothing touches the database until a request arrives.
    return {
      config: loadConfig({ SLACK_API_URL: slack.apiUrl, ...env }),
      db: {} as AppDeps['db'],
      production: null,
      clock: systemClock,
      logger: createLogger('silent'),
      instanceId: 'test',
    };
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
    expect(built.socket).not.toBeNull();
  });

  it('calls Slack for nothing while building: the token is checked by the server, with retries', async () => {
    slack.reset();
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.calls).toEqual([]);
    built.tokenCheck.start();
    await built.tokenCheck.settled();
    built.tokenCheck.stop();
    expect(built.tokenCheck.status()).toMatchObject({ ok: true, attempts: 1 });
    expect(built.tokenCheck.identity()).toEqual({ botId: 'BFAKE', botUserId: 'UBOT0001', teamId: 'T0FAKE' });
  });
});
