import { type ChatPostMessageArguments, ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { slackErrorCode } from '../common/slack-error-code';

/**
 * Posting for the sending jobs, where a message must reach Slack exactly once.
 *
 * @slack/web-api retries a call on its own (after a 429, a 5xx or a network error) and
 * cannot tell whether a post it retries was already accepted, so posts go through a client
 * of their own with retries off and 429s handed back; each caller then decides, knowing
 * whether the earlier attempt can have reached Slack.
 */

/** What became of one post, as far as the app can know. */
export type PostResult =
  | { kind: 'posted'; channel: string; ts: string }
  /** Slack answered and refused it (`ok: false`): nothing was posted. */
  | { kind: 'refused'; error: string }
  /** HTTP 429: nothing was posted; Slack asks to wait this long. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** No usable answer (timeout, connection reset after the request went out, 5xx): it may have been posted. */
  | { kind: 'unknown'; error: string };

/** Long enough for a slow Slack, short enough that a hung socket does not hold a claim for long. */
export const POST_TIMEOUT_MS = 30_000;

/** A client like `client` (same token and API URL) that never retries and hands 429s back. */
export function postingClient(client: WebClient, timeoutMs = POST_TIMEOUT_MS): WebClient {
  return new WebClient(client.token, {
    slackApiUrl: client.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logLevel: LogLevel.ERROR,
  });
}

/** Errors raised before any byte of the request left: the post certainly did not happen. */
const NOT_SENT = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ERR_INVALID_URL|ERR_INVALID_CHAR)\b/;

/**
 * A request error's words and codes down its `cause` chain: the Web API client's fetch
 * reports "fetch failed" and puts the system error (ECONNREFUSED, ECONNRESET) in its causes.
 */
function requestErrorText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth += 1) {
    const { name, message, code, cause } = e as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
    for (const part of [name, message, code]) if (typeof part === 'string') parts.push(part);
    e = cause;
  }
  return parts.join(' ');
}

/** Classifies a Web API failure (see PostResult). */
export function postFailure(err: unknown): Exclude<PostResult, { kind: 'posted' }> {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number };
  if (e.code === ErrorCode.PlatformError) return { kind: 'refused', error: slackErrorCode(err) ?? 'unknown_error' };
  if (e.code === ErrorCode.RateLimitedError)
    return { kind: 'rate_limited', retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 };
  if (e.code === ErrorCode.HTTPError) return { kind: 'unknown', error: `http_${e.statusCode ?? 'error'}` };
  const message = requestErrorText(err);
  const code = NOT_SENT.exec(message)?.[1];
  if (code) return { kind: 'refused', error: code };
  return {
    kind: 'unknown',
    error: /timeout/i.test(message) ? 'timeout' : (/ECONNRESET|socket hang up/i.exec(message)?.[0] ?? 'request_error'),
  };
}

/** One attempt at chat.postMessage on a posting client. */
export async function postOnce(client: WebClient, args: ChatPostMessageArguments): Promise<PostResult> {
  try {
    const res = await client.chat.postMessage(args);
    return { kind: 'posted', channel: String(res.channel ?? args.channel), ts: String(res.ts ?? '') };
  } catch (err) {
    return postFailure(err);
  }
}

/** Our message metadata: one event type per kind of message, and a payload naming what it stands for. */
export interface PostMetadata {
  event_type: string;
  event_payload: Record<string, string | number>;
}

/** Clock skew allowed between our clock and Slack's message timestamps. */
const SKEW_MS = 5 * 60_000;
/** Pages of history read at most (200 messages each): a DM or digest channel is never that busy in one window. */
const MAX_PAGES = 5;

/**
 * Looks in `channel` for a message we posted with this metadata since `since`, newest first.
 * conversations.history with include_all_metadata returns each message's metadata; it needs
 * the channel type's history scope (im:history for a DM, channels:history / groups:history).
 * Throws when Slack cannot be asked; null when the message is not there.
 */
export async function findPostedMessage(
  client: WebClient,
  channel: string,
  since: Date,
  metadata: PostMetadata,
): Promise<{ channel: string; ts: string } | null> {
  const oldest = ((since.getTime() - SKEW_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const res = await client.conversations.history({
      channel,
      oldest,
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const m of res.messages ?? []) {
      const md = (m as { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }).metadata;
      if (md?.event_type !== metadata.event_type || !md.event_payload) continue;
      const payload = md.event_payload;
      if (Object.entries(metadata.event_payload).every(([k, v]) => String(payload[k]) === String(v)))
        return { channel, ts: String(m.ts) };
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) break;
  }
  return null;
}
