import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import {
  LogLevel,
  type Logger as SlackLogger,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { createLogger } from '../../src/logger';
import { maskSecrets, secretsOf } from '../../src/secret-masking';

const quietSlackLogger: SlackLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger('trace', stream, { secrets }), text: () => lines.join('') };
}

const BOT_TOKEN = 'xoxb-unit-test-token-1234';

/** What an HTTP client used to attach to an error: the whole request. */
function requestLike() {
  return {
    config: { headers: { Authorization: `Bearer ${BOT_TOKEN}` }, data: 'email=jane%40acme.example' },
    request: { _header: `POST /api/views.open HTTP/1.1\r\nAuthorization: Bearer ${BOT_TOKEN}` },
    headers: { authorization: `Bearer ${BOT_TOKEN}` },
    body: { email: 'jane@acme.example' },
  };
}

describe('logging', () => {
  it('redacts tokens, secrets, keys and customers’ e-mails and phones', () => {
    const { logger, text } = capture();
    logger.info(
      {
        token: 'xoxb-secret',
        apiKey: 'mb-key',
        password: 'hunter2',
        headers: { 'x-api-key': 'mb-key-2' },
        customer: { email: 'ceo@acme.example', phone: '+971500000000', name: 'ACME' },
      },
      'hello',
    );
    const out = text();
    for (const secret of ['xoxb-secret', 'mb-key', 'hunter2', 'mb-key-2', 'ceo@acme.example', '+971500000000']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('ACME');
    expect(out).toContain('[redacted]');
  });

  it('logs a Web API request error as its name, message, code and cause, never the request it carried', () => {
    const { logger, lines } = capture();
    const network = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED',
      ...requestLike(),
    });
    const err = new WebAPIRequestError(Object.assign(new TypeError('fetch failed', { cause: network }), requestLike()));
    logger.error({ err }, 'publishing the Home tab failed');
    const line = JSON.parse(lines[0]!);
    expect(line.err).toMatchObject({
      type: 'WebAPIRequestError',
      message: 'A request error occurred: fetch failed',
      code: 'slack_webapi_request_error',
      cause: { type: 'TypeError', message: 'fetch failed', cause: { type: 'Error', code: 'ECONNREFUSED' } },
    });
    expect(line.err.stack).toMatch(/^at /);
    for (const key of ['original', 'config', 'request', 'headers', 'body']) {
      expect(JSON.stringify(line)).not.toContain(`"${key}"`);
    }
    expect(lines[0]).not.toContain(BOT_TOKEN);
    expect(lines[0]).not.toContain('jane');
  });

  it('keeps Slack’s error code and the HTTP status, drops the answer’s headers and body', () => {
    const { logger, lines } = capture();
    logger.warn(
      {
        err: new WebAPIPlatformError({
          ok: false,
          error: 'invalid_auth',
          response_metadata: { messages: ['jane@acme.example'] },
        }),
      },
      'x',
    );
    logger.warn(
      { err: new WebAPIHTTPError(502, 'Bad Gateway', { 'x-echo': BOT_TOKEN }, JSON.stringify(requestLike())) },
      'y',
    );
    expect(JSON.parse(lines[0]!).err).toEqual(
      expect.objectContaining({ type: 'WebAPIPlatformError', data: { error: 'invalid_auth' } }),
    );
    expect(JSON.parse(lines[1]!).err).toEqual(expect.objectContaining({ type: 'WebAPIHTTPError', statusCode: 502 }));
    expect(lines.join('')).not.toContain('jane');
    expect(lines.join('')).not.toContain(BOT_TOKEN);
  });

  it('masks configured secrets and any Slack token wherever they appear, escaped or not', () => {
    const password = 'pa"ss\\word-42';
    const { logger, text } = capture(
      secretsOf({ SLACK_BOT_TOKEN: BOT_TOKEN, METABASE_PASSWORD: password, SLACK_SIGNING_SECRET: 'abc' }),
    );
    logger.info(
      { note: { deep: [`key=${password}`] }, url: 'http://x/?t=xoxp-1234-5678-abcdef' },
      `token ${BOT_TOKEN} seen`,
    );
    logger.error({ err: new Error(`login failed for ${password}`) }, 'failed');
    const out = text();
    expect(out).not.toContain(BOT_TOKEN);
    expect(out).not.toContain('xoxp-1234');
    expect(out).not.toContain(JSON.stringify(password).slice(1, -1));
    expect(out).toContain('token [redacted] seen');
    expect(out.match(/\[redacted\]/g)!.length).toBeGreaterThanOrEqual(4);
    // A secret shorter than six characters would garble every line it is part of: not masked.
    expect(out).toContain('failed');
  });

  it('takes the database password out of a PostgreSQL URL', () => {
    expect(secretsOf({ DATABASE_URL: 'postgres://crm:s%40cret-pw@db:5432/crm' })).toEqual(['s@cret-pw']);
    expect(secretsOf({ DATABASE_URL: 'file:./data/crm.db' })).toEqual([]);
    expect(maskSecrets('connect to s@cret-pw', ['s@cret-pw'])).toBe('connect to [redacted]');
  });
});

describe('logging errors', () => {
  it('never logs the bot token carried by a Slack Web API request error, and keeps what helps', async () => {
    // A port nothing listens on: the request fails the way it does when Slack is unreachable.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new WebClient('xoxb-1234-secret-token', {
      slackApiUrl: `http://127.0.0.1:${port}/api/`,
      retryConfig: { retries: 0 },
      logger: quietSlackLogger,
    });
    const err = await client.auth.test().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    // The raw error does carry it (the HTTP client's request headers): this is what must not leak.
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).toMatch(/xoxb-1234-secret-token|original/);

    const { lines, logger } = capture();
    logger.error({ err }, 'auth.test failed');
    const out = lines.join('');
    expect(out).not.toContain('xoxb-1234-secret-token');
    expect(out).toContain('slack_webapi_request_error');
    // Outside jest the system error (ECONNREFUSED) is the cause's cause, kept (see above); under
    // jest fetch's error comes from another realm and the client keeps only its text.
    expect(out).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('masks a bearer credential in any text', () => {
    const { lines, logger } = capture();
    logger.warn({ detail: 'upstream said: authorization: Bearer abc.def-123' }, 'x');
    expect(lines.join('')).not.toContain('abc.def-123');
  });

  it('scrubs tokens out of messages and unexpected values', () => {
    const { lines, logger } = capture();
    logger.error({ err: new Error('failed with Authorization: Bearer xoxb-999-abc and xapp-1-XYZ') }, 'x');
    logger.error({ err: 'rejected: token xoxp-77-def' }, 'y');
    const out = lines.join('');
    for (const secret of ['xoxb-999-abc', 'xapp-1-XYZ', 'xoxp-77-def']) expect(out).not.toContain(secret);
  });
});
