import type { AppConfig } from '../../config';
import type { Logger } from '../../logger';

/** Where Slack's `response_url`s point. */
export const SLACK_HOOKS_ORIGIN = 'https://hooks.slack.com';
/** Where files.getUploadURLExternal's upload URLs point. */
export const SLACK_FILES_ORIGIN = 'https://files.slack.com';
/** Where the Web API lives when SLACK_API_URL is unset. */
const SLACK_API_ORIGIN = 'https://slack.com';

type SlackConfig = Pick<AppConfig, 'SLACK_API_URL' | 'SLACK_TIMEOUT_MS'>;
/** What a post to Slack needs: where Slack is, the time limit, and where to log a refusal. */
export interface SlackHttpDeps {
  config: SlackConfig;
  logger: Logger;
}
type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A request the app refused to send because its host is not Slack's. */
export class NotSlackUrlError extends Error {
  constructor(readonly origin: string) {
    super(`refused to send a request to ${origin}: not a Slack host`);
    this.name = 'NotSlackUrlError';
  }
}

/** The configured Web API origin (a local fake in tests), or null for Slack's own. */
function configuredOrigin(config: SlackConfig): string | null {
  return config.SLACK_API_URL ? new URL(config.SLACK_API_URL).origin : null;
}

const hrefOf = (input: string | URL | Request) => (input instanceof Request ? input.url : String(input));

function originOf(input: string | URL | Request): string {
  const href = hrefOf(input);
  try {
    return new URL(href).origin;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * The check every request to Slack's Web API passes (Bolt's, through slackFetch, and Home
 * views sent as JSON, slack-json-post.ts): throws NotSlackUrlError, logging the origin only,
 * unless `url` is on the Web API's origin (the configured one in tests) or Slack's hooks host.
 */
export function slackOriginCheck(config: SlackConfig, logger: Logger): (url: string | URL | Request) => void {
  const allowed = new Set([configuredOrigin(config) ?? SLACK_API_ORIGIN, SLACK_HOOKS_ORIGIN]);
  return (url) => {
    const origin = originOf(url);
    if (allowed.has(origin)) return;
    logger.warn({ origin }, 'refused a request to a host that is not Slack');
    throw new NotSlackUrlError(origin);
  };
}

/**
 * `fetch` for everything Bolt sends (Web API calls and `respond()`): only where
 * slackOriginCheck allows, and never longer than SLACK_TIMEOUT_MS when the caller set
 * no limit of its own (the Web API client sets one per attempt).
 */
export function slackFetch(config: SlackConfig, logger: Logger): FetchFunction {
  const check = slackOriginCheck(config, logger);
  return (input, init) => {
    try {
      check(input);
    } catch (err) {
      return Promise.reject(err);
    }
    return fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(config.SLACK_TIMEOUT_MS) });
  };
}

/**
 * Posts a message to a `response_url` (valid 30 minutes, 5 uses), which must be on Slack's
 * hooks host (or, for tests, the configured Web API's origin). The URL itself is a
 * credential for those 30 minutes, so only its origin is ever logged.
 */
export async function postToResponseUrl(
  deps: SlackHttpDeps,
  url: string,
  body: Record<string, unknown>,
): Promise<void> {
  requireSlackOrigin(deps, url, SLACK_HOOKS_ORIGIN, 'a response_url');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(deps.config.SLACK_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
}

/**
 * Throws NotSlackUrlError (logging the origin only: such URLs are credentials while they
 * last) unless `url` is on `slackOrigin` or, for tests, the configured Web API's origin.
 */
export function requireSlackOrigin(deps: SlackHttpDeps, url: string, slackOrigin: string, what: string): void {
  const origin = originOf(url);
  if (origin === slackOrigin || origin === configuredOrigin(deps.config)) return;
  deps.logger.warn({ origin }, `refused to send to ${what} that is not on Slack`);
  throw new NotSlackUrlError(origin);
}
