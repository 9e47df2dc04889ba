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

/**
 * What failed under a Web API request error: the system error's code (`ECONNREFUSED`,
 * `ENOTFOUND`, `UND_ERR_SOCKET`…) or `timeout`. The client's fetch reports "fetch failed"
 * and puts the system error in its causes; null when none is found.
 */
export function requestFailureCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth += 1) {
    const { code, name, cause, original } = e as {
      code?: unknown;
      name?: unknown;
      cause?: unknown;
      original?: unknown;
    };
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    if (name === 'TimeoutError') return 'timeout';
    e = cause ?? original;
  }
  return null;
}
