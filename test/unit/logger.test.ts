import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { LogLevel, WebClient, type Logger as SlackLogger } from '@slack/web-api';
import { createLogger } from '../../src/logger';

const quietSlackLogger: SlackLogger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('logging', () => {
  it('redacts tokens, secrets, keys and customers’ e-mails and phones', () => {
    const { lines, logger } = capture();
    logger.info({
      token: 'xoxb-secret',
      apiKey: 'mb-key',
      password: 'hunter2',
      headers: { 'x-api-key': 'mb-key-2' },
      customer: { email: 'ceo@acme.example', phone: '+971500000000', name: 'ACME' },
    }, 'hello');
    const out = lines.join('');
    for (const secret of ['xoxb-secret', 'mb-key', 'hunter2', 'mb-key-2', 'ceo@acme.example', '+971500000000']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('ACME');
    expect(out).toContain('[redacted]');
  });
});

describe('logging errors', () => {
  it('never logs the bot token carried by a Slack Web API request error, and keeps what helps', async () => {
    // A port nothing listens on: the request fails the way it does when Slack is unreachable.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new WebClient('xoxb-1234-secret-token', { slackApiUrl: `http://127.0.0.1:${port}/api/`, retryConfig: { retries: 0 }, logger: quietSlackLogger });
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
    expect(out).toContain('ECONNREFUSED');
  });

  it('scrubs tokens out of messages and unexpected values', () => {
    const { lines, logger } = capture();
    logger.error({ err: new Error('failed with Authorization: Bearer xoxb-999-abc and xapp-1-XYZ') }, 'x');
    logger.error({ err: 'rejected: token xoxp-77-def' }, 'y');
    const out = lines.join('');
    for (const secret of ['xoxb-999-abc', 'xapp-1-XYZ', 'xoxp-77-def']) expect(out).not.toContain(secret);
  });
});
