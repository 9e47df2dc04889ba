import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';

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
