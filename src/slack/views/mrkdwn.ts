/**
 * Escapes text for Slack mrkdwn: `&`, `<` and `>` only (Slack's rule), so a customer named
 * `<!channel> ACME & Co` shows as typed and never pings a channel or forms a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Truncates to `max` characters with an ellipsis (Slack rejects over-long texts). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
