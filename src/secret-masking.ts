/** Secrets kept out of every log line and stderr message, by value. */

export const MASK = '[redacted]';

/** Shorter values are not masked by value: masking every "abc" would garble the logs. */
export const MIN_MASKED_LENGTH = 6;

/** Slack tokens of any kind (bot, user, app-level, configuration), configured or not, and bearer credentials. */
const CREDENTIAL_PATTERN = /\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]{4,}|\bBearer\s+[^\s"',;\\]+/gi;

/** The configured values that must never be written anywhere: tokens, secrets, keys, passwords. */
export function secretsOf(config: {
  SLACK_BOT_TOKEN?: string;
  SLACK_SIGNING_SECRET?: string;
  SLACK_APP_TOKEN?: string;
  METABASE_API_KEY?: string;
  METABASE_PASSWORD?: string;
  DATABASE_URL?: string;
  METABASE_URL?: string;
}): string[] {
  return [
    config.SLACK_BOT_TOKEN,
    config.SLACK_SIGNING_SECRET,
    config.SLACK_APP_TOKEN,
    config.METABASE_API_KEY,
    config.METABASE_PASSWORD,
    urlPassword(config.DATABASE_URL),
    urlPassword(config.METABASE_URL),
  ].filter((s): s is string => typeof s === 'string' && s.length >= MIN_MASKED_LENGTH);
}

/** A password written inside a URL (postgres://user:pw@…, https://user:pw@…). */
function urlPassword(url: string | undefined): string | undefined {
  if (!url || url.startsWith('file:')) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replaces every occurrence of a secret (as written, and as JSON would escape it), any
 * Slack token and any bearer credential in `text`. One `includes` per secret, so a line without secrets costs little.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(MASK);
  }
  return /xox|xapp-|bearer/i.test(out) ? out.replace(CREDENTIAL_PATTERN, MASK) : out;
}
