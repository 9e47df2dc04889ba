import { Agent, request } from 'undici';
import type { AppConfig } from '../../config';
import type { Logger } from '../../logger';
import { slackOriginCheck } from './slack-http';

type SlackConfig = Pick<AppConfig, 'SLACK_API_URL' | 'SLACK_TIMEOUT_MS'>;

/** One attempt's answer: its status, Retry-After, and its body's text (read only for a 200). */
export interface SlackPostAnswer {
  status: number;
  retryAfter: string | undefined;
  /** The body as text for an HTTP 200; empty otherwise (the body was read and dropped). */
  text: string;
}

/** Sends one POST; rejects when it fails (refused host, dropped connection, time limit, redirect). */
export type SlackPost = (url: string, headers: Record<string, string>, body: string) => Promise<SlackPostAnswer>;

/** An attempt that had no complete answer within SLACK_TIMEOUT_MS. */
export class SlackTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer from Slack within ${timeoutMs} ms`);
    this.name = 'SlackTimeoutError';
  }
}

/**
 * Connections kept for a crowd of Home opens publishing at once (each publish holds one
 * for its round trip: no pipelining, which would queue a publish behind a slower one).
 */
const MAX_CONNECTIONS = 64;
/** How long an idle connection is kept (Slack's Keep-Alive hint, when it sends one, wins). */
const KEEP_ALIVE_MS = 30_000;

/**
 * POSTs to Slack's Web API through undici's `request()` on a keep-alive pool of its own,
 * for Home views (slack-json-api.ts): global `fetch` costs a publish about 2.6 ms of main
 * thread (web streams, Request and Response objects, a timer signal per call), and a crowd of
 * Home opens publishes dozens at once on one thread.
 *
 * Only where slackOriginCheck allows (the refusal logs the origin only). Each attempt is
 * bounded as a whole (connect, send, headers, body) by SLACK_TIMEOUT_MS with one timer, not
 * undici's per-phase timeouts, whose sum could exceed it. Redirects are not followed (undici's
 * `request()` follows none): a 3xx fails the attempt, as `redirect: 'error'` did with fetch.
 * Every body is read or dumped, so no answer holds its connection. `close()` frees the pool.
 */
export class SlackJsonPoster {
  readonly #agent: Agent;
  readonly #check: (url: string) => void;
  readonly #timeoutMs: number;

  constructor(config: SlackConfig, logger: Logger) {
    this.#check = slackOriginCheck(config, logger);
    this.#timeoutMs = config.SLACK_TIMEOUT_MS;
    this.#agent = new Agent({
      connections: MAX_CONNECTIONS,
      pipelining: 1,
      keepAliveTimeout: KEEP_ALIVE_MS,
      connect: { timeout: config.SLACK_TIMEOUT_MS },
    });
  }

  readonly post: SlackPost = async (url, headers, body) => {
    this.#check(url);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new SlackTimeoutError(this.#timeoutMs)), this.#timeoutMs);
    try {
      const res = await request(url, {
        dispatcher: this.#agent,
        method: 'POST',
        headers,
        body,
        signal: controller.signal,
      });
      const retryAfter = res.headers['retry-after'];
      const answer = {
        status: res.statusCode,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        text: res.statusCode === 200 ? await res.body.text() : '',
      };
      if (res.statusCode !== 200) await res.body.dump();
      if (res.statusCode >= 300 && res.statusCode < 400)
        throw new Error(`Slack answered a redirect (HTTP ${res.statusCode}), which is not followed`);
      return answer;
    } finally {
      clearTimeout(timer);
    }
  };

  /** Closes the pool: idle connections at once, busy ones once their answer is in. */
  close(): Promise<void> {
    return this.#agent.close();
  }
}
