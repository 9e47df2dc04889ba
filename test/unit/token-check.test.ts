import { createLogger } from '../../src/logger';
import { SlackTokenCheck, tokenCheckFailure } from '../../src/slack/runtime/token-check';

/** An auth.test that fails with `errors` in turn, then answers. */
function authTest(errors: unknown[]) {
  const calls: number[] = [];
  return {
    calls,
    auth: {
      test: async () => {
        calls.push(Date.now());
        const err = errors.shift();
        if (err) throw err;
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
      },
    },
  };
}

const refused = Object.assign(new Error('A request error occurred: connect ECONNREFUSED'), {
  code: 'slack_webapi_request_error',
  original: { code: 'ECONNREFUSED' },
});
const invalidAuth = Object.assign(new Error('An API error occurred: invalid_auth'), {
  code: 'slack_webapi_platform_error',
  data: { ok: false, error: 'invalid_auth' },
});

describe('the start-up token check', () => {
  it('retries with growing delays until Slack accepts the token, and reports each state', async () => {
    const client = authTest([refused, refused, invalidAuth]);
    const check = new SlackTokenCheck(client as any, createLogger('silent'), { firstDelayMs: 20, maxDelayMs: 50 });
    check.start();
    await check.settled();
    expect(check.status()).toMatchObject({ ok: false, attempts: 1, error: 'ECONNREFUSED' });
    expect(check.identity()).toEqual({});
    for (let i = 0; i < 100 && !check.status().ok; i++) await new Promise((r) => setTimeout(r, 10));
    expect(check.status()).toMatchObject({ ok: true, attempts: 4 });
    expect(check.identity()).toEqual({ botId: 'BBOT', botUserId: 'UBOT', teamId: 'T1' });
    const gaps = client.calls.slice(1).map((t, i) => t - client.calls[i]!);
    // 20, 40, then capped at 50 ms (a timer never fires early).
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(48);
    check.stop();
  });

  it('stops retrying when stopped', async () => {
    const client = authTest([refused, refused, refused]);
    const check = new SlackTokenCheck(client as any, createLogger('silent'), { firstDelayMs: 20, maxDelayMs: 20 });
    check.start();
    await check.settled();
    check.stop();
    await new Promise((r) => setTimeout(r, 80));
    expect(client.calls).toHaveLength(1);
  });

  it('names a failure by its code, never by a credential', () => {
    expect(tokenCheckFailure(invalidAuth)).toBe('invalid_auth');
    expect(tokenCheckFailure(refused)).toBe('ECONNREFUSED');
    expect(tokenCheckFailure(Object.assign(new Error('x'), { code: 'slack_webapi_http_error', statusCode: 503 }))).toBe(
      'HTTP 503',
    );
  });
});
