/** How an error is written where it may be read: a log line, stderr. */

/** How deep an error's `cause` chain is followed. */
const MAX_CAUSE_DEPTH = 3;
const MAX_MESSAGE_LENGTH = 1000;
const MAX_STACK_FRAMES = 12;

/**
 * A log line keeps an error's kind and words, never what it carried: HTTP clients attach
 * request config, headers and bodies (the bot token, customers' e-mails), Prisma prints a
 * failed call's arguments, pg adds the offending row. Kept: name, message (for Prisma, its
 * first and last lines, without the argument dump), code, Slack's `data.error`, HTTP
 * status, Metabase's failure kind, the form field a user error is about, rate-limit delay, stack frames, and the same for causes.
 */
export function serializeError(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const e = value as Record<string, unknown>;
  const name = typeof e.name === 'string' ? e.name : (value.constructor?.name ?? 'Error');
  const out: Record<string, unknown> = { type: name, message: safeMessage(name, e.message) };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  const slackError = (e.data as { error?: unknown } | undefined)?.error;
  if (typeof slackError === 'string') out.data = { error: slackError };
  const status = typeof e.statusCode === 'number' ? e.statusCode : e.status;
  if (typeof status === 'number') out.statusCode = status;
  if (typeof e.kind === 'string') out.kind = e.kind;
  if (typeof e.field === 'string') out.field = e.field;
  if (typeof e.retryAfter === 'number') out.retryAfter = e.retryAfter;
  if (typeof e.stack === 'string') {
    const frames = e.stack
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .slice(0, MAX_STACK_FRAMES);
    if (frames.length) out.stack = frames.map((f) => f.trim()).join('\n');
  }
  if (e.cause !== undefined && depth < MAX_CAUSE_DEPTH) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

function safeMessage(name: string, message: unknown): string {
  if (typeof message !== 'string') return String(message ?? '');
  let text = message;
  if (name.startsWith('PrismaClient')) {
    const lines = message
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    text = lines.length > 1 ? `${lines[0]} … ${lines[lines.length - 1]}` : (lines[0] ?? '');
  }
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

/** One line for an error where only text fits (stderr, Bolt's string logger); a plain Error's name adds nothing. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const message = safeMessage(err.name, err.message);
  return err.name === 'Error' ? message : `${err.name}: ${message}`;
}
