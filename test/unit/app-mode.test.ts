import { loadConfig } from '../../src/config';
import { buildApp } from '../../src/slack/app';
import { createLogger } from '../../src/logger';
import { systemClock } from '../../src/clock';
import type { AppDeps } from '../../src/deps';

function depsWith(env: Record<string, string>): AppDeps {
  // buildApp only wires listeners; nothing touches the database until a request arrives.
  return { config: loadConfig(env), db: {} as AppDeps['db'], production: null, clock: systemClock, logger: createLogger('silent'), instanceId: 'test' };
}

describe('connection mode', () => {
  it('serves HTTP (POST /slack/events) when no app token is set', () => {
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }));
    expect(built.mode).toBe('http');
    expect(built.receiver).not.toBeNull();
  });

  it('uses Socket Mode, with no HTTP receiver of ours, when SLACK_APP_TOKEN is set', () => {
    const built = buildApp(depsWith({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-abc' }));
    expect(built.mode).toBe('socket');
    expect(built.receiver).toBeNull();
  });
});
