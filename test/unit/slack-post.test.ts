import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebAPIRequestError, WebClient } from '@slack/web-api';
import { postFailure, postingClient, postOnce } from '../../src/jobs/slack-post';

/**
 * The sending jobs' post, against real sockets: with the Web API client's fetch, what a
 * failure says about whether the message can have reached Slack decides between resending
 * and looking it up first (exactly once).
 */
describe('postOnce: what a failed post may have done', () => {
  let server: Server;
  let url: string;
  const held: Array<() => void> = [];
  beforeAll(async () => {
    // Takes the request and never answers (until the end of the file).
    server = createServer((_req, res) => held.push(() => res.end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(async () => {
    for (const release of held) release();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a refused connection: certainly not posted', () => {
    // As the client builds it outside jest: fetch's TypeError, the system error as its cause.
    // (Under jest, fetch's errors come from another realm and the client drops their cause.)
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:39999'), { code: 'ECONNREFUSED' });
    const err = new WebAPIRequestError(new TypeError('fetch failed', { cause: refused }));
    expect(postFailure(err)).toEqual({ kind: 'refused', error: 'ECONNREFUSED' });
    expect(
      postFailure(
        new WebAPIRequestError(
          new TypeError('fetch failed', {
            cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
          }),
        ),
      ),
    ).toEqual({
      kind: 'unknown',
      error: 'request_error',
    });
  });

  it('no answer in time: it may have been posted', async () => {
    const client = postingClient(new WebClient('xoxb-test', { slackApiUrl: url }), 300);
    expect(await postOnce(client, { channel: 'C1', text: 'hi' })).toEqual({ kind: 'unknown', error: 'timeout' });
  });
});
