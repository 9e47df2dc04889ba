import type { WebClient } from '@slack/web-api';
import { createLogger } from '../../src/logger';
import { NotSlackUrlError, postToResponseUrl, slackFetch } from '../../src/slack/runtime/slack-http';
import { shareFile } from '../../src/slack/web-api/files';

/** Where the app may send HTTP requests for Slack, with Slack's real hosts (no SLACK_API_URL). */
describe('outbound requests to Slack', () => {
  const production = { SLACK_API_URL: undefined, SLACK_TIMEOUT_MS: 10_000 };
  const deps = { config: production, logger: createLogger('silent') };
  let fetchSpy: jest.SpyInstance;
  beforeEach(() => {
    fetchSpy = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('ok', { status: 200 }));
  });
  afterEach(() => fetchSpy.mockRestore());

  it('posts a response_url on hooks.slack.com, with a time limit', async () => {
    await postToResponseUrl(deps, 'https://hooks.slack.com/actions/T1/123/abc', { text: 'hi' });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe('https://hooks.slack.com/actions/T1/123/abc');
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(JSON.parse(init.body)).toEqual({ text: 'hi' });
  });

  it.each([
    'https://hooks.slack.com.evil.example/actions/1',
    'http://hooks.slack.com/actions/1',
    'https://slack.com/api/chat.postMessage',
    'https://evil.example/hooks.slack.com/',
    'not a url',
  ])('refuses a response_url at %s without sending anything', async (url) => {
    await expect(postToResponseUrl(deps, url, { text: 'hi' })).rejects.toBeInstanceOf(NotSlackUrlError);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('lets Bolt reach the Web API and the hooks host only, adding a time limit when the caller set none', async () => {
    const boltFetch = slackFetch(production, createLogger('silent'));
    await boltFetch('https://slack.com/api/views.open', { method: 'POST', body: 'x' });
    await boltFetch('https://hooks.slack.com/commands/T1/1/abc', { method: 'POST', body: 'x' });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    for (const [, init] of fetchSpy.mock.calls) expect(init.signal).toBeInstanceOf(AbortSignal);
    await expect(boltFetch('https://files.example/upload', { method: 'POST' })).rejects.toBeInstanceOf(
      NotSlackUrlError,
    );
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('keeps the Web API client’s own per-attempt signal', async () => {
    const signal = new AbortController().signal;
    await slackFetch(production, createLogger('silent'))('https://slack.com/api/auth.test', { signal });
    expect(fetchSpy.mock.calls[0]![1].signal).toBe(signal);
  });
});

describe('file uploads', () => {
  it('sends no byte to an upload URL that is not on Slack', async () => {
    const deps = { config: { SLACK_API_URL: undefined, SLACK_TIMEOUT_MS: 10_000 }, logger: createLogger('silent') };
    const client = {
      apiCall: jest.fn(async () => ({ ok: true, upload_url: 'https://files.example/upload/v1/abc', file_id: 'F1' })),
      files: { completeUploadExternal: jest.fn() },
    };
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    try {
      const share = shareFile(deps, client as unknown as WebClient, {
        channelId: 'D0123456789',
        filename: 'a.csv',
        title: 'a',
        bytes: Buffer.from('x'),
      });
      await expect(share).rejects.toMatchObject({ step: 'upload', code: 'not_a_slack_host' });
      expect(client.files.completeUploadExternal).not.toHaveBeenCalled();
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
