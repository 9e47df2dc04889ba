/**
 * The error code of a failed Slack Web API call (`channel_not_found`, `ratelimited`…), from
 * the `data.error` that @slack/web-api attaches to a platform error; null for anything else.
 */
export function slackErrorCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const data = (err as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return null;
  const code = (data as { error?: unknown }).error;
  return typeof code === 'string' && code ? code : null;
}
