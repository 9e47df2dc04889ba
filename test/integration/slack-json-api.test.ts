/**
 * Home views as the app sends them (SlackJsonApi on SlackJsonPoster's pool), against a local
 * server that answers as each test needs: Slack's origin only, a time limit per attempt,
 * retries, and no connection left behind.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { NotSlackUrlError } from '../../src/slack/runtime/slack-http';
import { type SlackApiCallError, SlackJsonApi } from '../../src/slack/runtime/slack-json-api';
import { SlackJsonPoster, SlackTimeoutError } from '../../src/slack/runtime/slack-json-post';
import { publishAsJson } from '../../src/slack/web-api/views-publish';

const TOKEN = 'xoxb-json-api-test-token-5678';
const NO_WAIT_RETRY = { retries: 2, factor: 2, minTimeout: 1, maxTimeout: 1 };

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A local "Slack": each request is handed to the next handler queued (the last one repeats). */
async function startServer(...handlers: Handler[]) {
  const requests: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, body });
      const handler = handlers.length > 1 ? handlers.shift()! : handlers[0]!;
      handler(req, res, body);
    });
  });
  // Kept open for as long as the client wants: only the client closing them ends them.
  server.keepAliveTimeout = 0;
  server.on('connection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    sockets,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const published =
  (hash: string): Handler =>
  (_req, res, body) => {
    const args = JSON.parse(body) as { view: Record<string, unknown> };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, view: { ...args.view, id: 'V1', hash, state: { values: {} } } }));
  };

function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger('trace', stream) };
}

function apiFor(baseUrl: string, options: { timeoutMs?: number; apiUrl?: string } = {}) {
  const { lines, logger } = captureLog();
  const poster = new SlackJsonPoster(
    { SLACK_API_URL: `${baseUrl}/api/`, SLACK_TIMEOUT_MS: options.timeoutMs ?? 10_000 },
    logger,
  );
  const api = new SlackJsonApi({
    apiUrl: options.apiUrl ?? `${baseUrl}/api/`,
    token: TOKEN,
    post: poster.post,
    retry: NO_WAIT_RETRY,
    logger,
  });
  return { api, poster, lines };
}

const VIEW = '{"type":"home","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"hi \\"there\\""}}]}';

describe('Home views sent as JSON', () => {
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let poster: SlackJsonPoster | null = null;
  afterEach(async () => {
    await poster?.close();
    await server?.stop();
    poster = null;
    server = null;
  });

  it('posts the view as a JSON body with the bearer token, and answers the published hash', async () => {
    server = await startServer(published('1712.abc'));
    const made = apiFor(server.url);
    poster = made.poster;
    const hash = await publishAsJson(made.api)(null as never, { userId: 'U1', viewJson: VIEW, hash: '1711.old' });
    expect(hash).toBe('1712.abc');
    const [request] = server.requests;
    expect(request!.url).toBe('/api/views.publish');
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request!.body)).toEqual({ user_id: 'U1', hash: '1711.old', view: JSON.parse(VIEW) });
  });

  it('reuses kept-alive connections for calls one after another', async () => {
    server = await startServer(published('1712.abc'));
    const made = apiFor(server.url);
    poster = made.poster;
    for (let i = 0; i < 5; i += 1) await made.api.call('views.publish', `{"user_id":"U1","view":${VIEW}}`);
    expect(server.requests).toHaveLength(5);
    // undici may open a second connection while the first is handed back to its pool.
    expect(server.sockets.length).toBeLessThanOrEqual(2);
  });

  it('throws Slack’s refusal at once, its error in data.error', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":false,"error":"hash_conflict"}');
    });
    const made = apiFor(server.url);
    poster = made.poster;
    const call = made.api.call('views.publish', '{}');
    await expect(call).rejects.toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'hash_conflict' } });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a host that is not Slack’s at once, logging its origin only', async () => {
    server = await startServer(published('x'));
    const made = apiFor(server.url, { apiUrl: 'https://slack.com.evil.example/api/' });
    poster = made.poster;
    const call = made.api.call('views.publish', `{"user_id":"U1","view":${VIEW}}`);
    await expect(call).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
    await expect(call.catch((err: SlackApiCallError) => err.cause)).resolves.toBeInstanceOf(NotSlackUrlError);
    expect(server.requests).toHaveLength(0);
    const refusals = made.lines.filter((l) => l.includes('not Slack'));
    expect(refusals).toHaveLength(1);
    expect(JSON.parse(refusals[0]!)).toMatchObject({ origin: 'https://slack.com.evil.example' });
    expect(made.lines.join('')).not.toContain('/api/views.publish');
    expect(made.lines.join('')).not.toContain(TOKEN);
  });

  it('gives up an attempt that gets no answer within SLACK_TIMEOUT_MS, and tries again', async () => {
    // Never answers: neither headers nor body.
    server = await startServer(() => undefined);
    const made = apiFor(server.url, { timeoutMs: 100 });
    poster = made.poster;
    const call = made.api.call('views.publish', '{}');
    await expect(call).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
    await expect(call.catch((err: SlackApiCallError) => err.cause)).resolves.toBeInstanceOf(SlackTimeoutError);
    const retried = made.lines.filter((l) => l.includes('Slack request failed; retrying'));
    expect(retried).toHaveLength(NO_WAIT_RETRY.retries);
    for (const line of retried) expect(line).toContain('SlackTimeoutError');
    expect(made.lines.join('')).not.toContain(TOKEN);
  });

  it('bounds the whole attempt, a body that stops half-way included', async () => {
    let headersSent = false;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"ok":true,"view":{"blocks":[');
      headersSent = true;
    });
    const made = apiFor(server.url, { timeoutMs: 1000 });
    poster = made.poster;
    await expect(poster.post(`${server.url}/api/views.publish`, {}, '{}')).rejects.toBeInstanceOf(SlackTimeoutError);
    expect(headersSent).toBe(true);
  });

  it('tries a call whose connection dropped again, then publishes', async () => {
    server = await startServer((req) => req.socket.destroy(), published('1712.abc'));
    const made = apiFor(server.url);
    poster = made.poster;
    const res = await made.api.call('views.publish', `{"user_id":"U1","view":${VIEW}}`);
    expect(res).toMatchObject({ ok: true, view: { hash: '1712.abc' } });
    expect(server.requests).toHaveLength(2);
    expect(made.lines.filter((l) => l.includes('Slack request failed; retrying'))).toHaveLength(1);
  });

  it('tries HTTP errors again, reading each error’s body so its connection is free', async () => {
    const big = 'x'.repeat(64 * 1024);
    server = await startServer(
      (_req, res) => res.writeHead(500).end(big),
      (_req, res) => res.writeHead(503).end(big),
      published('1712.abc'),
    );
    const made = apiFor(server.url);
    poster = made.poster;
    await expect(made.api.call('views.publish', `{"user_id":"U1","view":${VIEW}}`)).resolves.toMatchObject({
      ok: true,
    });
    expect(server.requests).toHaveLength(3);
    // Each error's body was read to its end, so its connection could serve a later attempt.
    expect(server.sockets.length).toBeLessThan(3);
  });

  it('waits for a 429’s Retry-After, then publishes', async () => {
    server = await startServer(
      (_req, res) => res.writeHead(429, { 'retry-after': '0' }).end('{"ok":false}'),
      published('h'),
    );
    const made = apiFor(server.url);
    poster = made.poster;
    await expect(made.api.call('views.publish', `{"user_id":"U1","view":${VIEW}}`)).resolves.toMatchObject({
      ok: true,
    });
    expect(made.lines.filter((l) => l.includes('rate-limited'))).toHaveLength(1);
  });

  it('does not follow a redirect', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/elsewhere') return published('h')(req, res, '{"view":{}}');
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
    const made = apiFor(server.url);
    poster = made.poster;
    await expect(made.api.call('views.publish', '{}')).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
    expect(server.requests.map((r) => r.url)).toEqual(Array(NO_WAIT_RETRY.retries + 1).fill('/api/views.publish'));
  });

  it('closes its kept-alive connections when closed', async () => {
    server = await startServer(published('h'));
    const made = apiFor(server.url);
    await made.api.call('views.publish', `{"user_id":"U1","view":${VIEW}}`);
    const [socket] = server.sockets;
    const closed = once(socket!, 'close');
    // The server keeps connections open forever: only the pool closing it ends this one.
    await made.poster.close();
    await closed;
    await expect(made.api.call('views.publish', '{}')).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
  });
});
