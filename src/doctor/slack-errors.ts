import { ErrorCode } from '@slack/web-api';

/** What a failed Web API call tells the doctor: Slack's error code, or why Slack was not reached. */
export type SlackFailure =
  | { kind: 'platform'; error: string; needed?: string }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'http'; status: number }
  | { kind: 'other'; reason: string };

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'timed out',
  ECONNABORTED: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

export function slackFailureOf(err: unknown): SlackFailure {
  const e = err as {
    code?: unknown;
    data?: { error?: unknown; needed?: unknown };
    original?: { code?: unknown; message?: unknown };
    statusCode?: unknown;
  };
  if (e?.code === ErrorCode.PlatformError && typeof e.data?.error === 'string') {
    return {
      kind: 'platform',
      error: e.data.error,
      ...(typeof e.data.needed === 'string' ? { needed: e.data.needed } : {}),
    };
  }
  if (e?.code === ErrorCode.RequestError) {
    const code = typeof e.original?.code === 'string' ? e.original.code : undefined;
    return { kind: 'unreachable', reason: (code && NETWORK_WORDS[code]) ?? code ?? 'network error' };
  }
  if (e?.code === ErrorCode.HTTPError && typeof e.statusCode === 'number')
    return { kind: 'http', status: e.statusCode };
  if (e?.code === ErrorCode.RateLimitedError) return { kind: 'other', reason: 'rate limited by Slack' };
  return { kind: 'other', reason: err instanceof Error ? err.message : String(err) };
}

/** One line for a failure that no check has a special word for. */
export function describeSlackFailure(f: SlackFailure): string {
  switch (f.kind) {
    case 'platform':
      return `Slack answered ${f.error}${f.needed ? ` (needs ${f.needed})` : ''}`;
    case 'unreachable':
      return `could not reach Slack (${f.reason})`;
    case 'http':
      return `Slack answered HTTP ${f.status}`;
    case 'other':
      return f.reason;
  }
}

export const UNREACHABLE_FIX =
  "Check that this machine can reach Slack's Web API (https://slack.com/api/, or SLACK_API_URL when set) through any proxy or firewall, then run the doctor again.";
