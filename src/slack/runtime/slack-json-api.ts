import type { Logger } from '../../logger';
import { NotSlackUrlError } from './slack-http';
import type { SlackPost, SlackPostAnswer } from './slack-json-post';

/** Web API calls: five retries, 0.2, 0.4, 0.8, 1.6 and 3.2 s apart (429s wait for Retry-After). */
export const WEB_API_RETRY = { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 5000 };

export type RetryPolicy = typeof WEB_API_RETRY;

export interface SlackJsonApiOptions {
  /** The Web API's base URL, ending in `/` (https://slack.com/api/, or a fake's in tests). */
  apiUrl: string;
  token: string;
  /** Slack's hosts only, with a time limit per attempt (SlackJsonPoster). */
  post: SlackPost;
  retry: RetryPolicy;
  logger: Logger;
}

/**
 * Reads a successful answer's text cheaply: the fields a caller needs, or null whenever it
 * is not certain the answer says `ok: true` (then the whole text is parsed).
 */
export type BriefAnswerReader = (text: string) => Record<string, unknown> | null;

/** A failed call, shaped as @slack/web-api's errors are (`code`; `data.error` for Slack's refusals). */
export class SlackApiCallError extends Error {
  constructor(
    readonly code: 'slack_webapi_platform_error' | 'slack_webapi_http_error' | 'slack_webapi_request_error',
    message: string,
    readonly data?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SlackApiCallError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After in seconds, or null when absent or not a number. */
function retryAfterSeconds(header: string | undefined): number | null {
  const seconds = header === undefined ? Number.NaN : Number.parseInt(header, 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/**
 * Web API calls whose arguments the caller has already serialised to JSON, for a body that
 * is mostly a view: the Web API client would form-encode it (escaping every character of the
 * view's JSON text) and copy it for debug lines. Slack takes JSON bodies on its write methods,
 * views.publish among them, with the token in an `Authorization: Bearer` header
 * (https://docs.slack.dev/apis/web-api/#posting_json).
 *
 * Retries as the Web API client is configured to (app.ts): an HTTP 429 waits for its
 * Retry-After, a failed request or an HTTP error waits the policy's backoff, both within
 * `retry.retries`; Slack's refusals (`ok: false`) are thrown at once, `data.error` naming them.
 * A request to a host that is not Slack's is refused at once (NotSlackUrlError as the cause).
 */
export class SlackJsonApi {
  readonly #headers: Record<string, string>;

  constructor(private readonly options: SlackJsonApiOptions) {
    this.#headers = {
      authorization: `Bearer ${options.token}`,
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
    };
  }

  /**
   * Calls `method` with `json` as its body; resolves with Slack's answer, or with what
   * `brief` read of it when `brief` was certain the answer is a success.
   */
  async call(method: string, json: string, brief?: BriefAnswerReader): Promise<Record<string, unknown>> {
    const { apiUrl, retry, logger } = this.options;
    const url = `${apiUrl}${method}`;
    for (let attempt = 0; ; attempt += 1) {
      const last = attempt >= retry.retries;
      const backoff = Math.min(retry.minTimeout * retry.factor ** attempt, retry.maxTimeout);
      let answer: SlackPostAnswer;
      try {
        answer = await this.options.post(url, this.#headers, json);
      } catch (err) {
        if (last || err instanceof NotSlackUrlError)
          throw new SlackApiCallError('slack_webapi_request_error', `${method}: request failed`, undefined, {
            cause: err,
          });
        logger.warn({ err, method }, 'Slack request failed; retrying');
        await sleep(backoff);
        continue;
      }
      if (answer.status === 429) {
        const wait = retryAfterSeconds(answer.retryAfter);
        if (wait === null || last)
          throw new SlackApiCallError('slack_webapi_platform_error', `${method}: rate limited`, {
            ok: false,
            error: 'ratelimited',
          });
        logger.info({ method, retryAfterSeconds: wait }, 'Slack rate-limited a call; waiting as it asked');
        await sleep(wait * 1000);
        continue;
      }
      if (answer.status !== 200) {
        if (last) throw new SlackApiCallError('slack_webapi_http_error', `${method}: HTTP ${answer.status}`);
        logger.warn({ method, status: answer.status }, 'Slack answered an HTTP error; retrying');
        await sleep(backoff);
        continue;
      }
      const read = brief?.(answer.text);
      if (read) return read;
      const result = JSON.parse(answer.text) as Record<string, unknown>;
      if (result.ok !== true)
        throw new SlackApiCallError('slack_webapi_platform_error', `${method}: ${String(result.error)}`, result);
      return result;
    }
  }
}
