import { ProductionError } from './types';

/** What went wrong talking to Metabase; decides retrying and wording. */
export type MetabaseFailureKind =
  | 'timeout' // no full answer within the time limit
  | 'network' // connection refused, reset or closed mid-answer
  | 'server' // HTTP 5xx
  | 'query_failed' // HTTP 200/202 with {"status":"failed"}: the card's SQL failed
  | 'auth' // the key or login was refused
  | 'client' // another HTTP 4xx: wrong card id, no permission
  | 'bad_response'; // not the JSON we expect

/** A failed Metabase call. Still a ProductionError: callers need only `userMessage`. */
export class MetabaseError extends ProductionError {
  constructor(
    readonly kind: MetabaseFailureKind,
    userMessage: string,
    detail?: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(userMessage, detail, options);
    this.name = 'MetabaseError';
  }

  /**
   * Reads are idempotent, so a transient failure is worth another try. A failed query
   * or a 4xx is not: the same request would fail the same way, only slower.
   */
  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || this.kind === 'server';
  }
}

export const UNAVAILABLE = 'Production data unavailable';

/** 10000 -> "10 s", 200 -> "0.2 s", 1500 -> "1.5 s". */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(3))} s`;
}

/**
 * What /healthz says about the last Metabase call: a kind, never Metabase's own text (a
 * failed card's message quotes its SQL and can quote customer data).
 */
export type MetabaseHealthKind =
  | 'timeout'
  | 'unreachable'
  | 'server'
  | 'card_failed'
  | 'auth'
  | 'refused'
  | 'bad_response'
  | 'internal';

export function healthKindOf(kind: MetabaseFailureKind | undefined): MetabaseHealthKind {
  switch (kind) {
    case 'timeout':
      return 'timeout';
    case 'network':
      return 'unreachable';
    case 'server':
      return 'server';
    case 'query_failed':
      return 'card_failed';
    case 'auth':
      return 'auth';
    case 'client':
      return 'refused';
    case 'bad_response':
      return 'bad_response';
    default:
      return 'internal';
  }
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Seven or more digits, optionally with spaces, dots, dashes or brackets between them and a leading +.
const PHONE = /\+?\d[\d ().-]{5,}\d/g;

/** Metabase's text with e-mail addresses and phone numbers masked: fit for a log line. */
export function redactPersonal(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, (m) => (m.replace(/\D/g, '').length >= 7 ? '[phone]' : m));
}

/** Keeps messages from Metabase short enough for a Slack line and a log field. */
export function clip(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed before the answer was complete',
  UND_ERR_CLOSED: 'connection closed',
};

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
  }
  return undefined;
}

function isAbortTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { name?: unknown }).name;
    if (name === 'TimeoutError') return true;
  }
  return false;
}

/** Turns an exception from undici (or our own time limit) into a MetabaseError. */
export function fromTransportError(err: unknown, timeoutMs: number, timedOut: boolean): MetabaseError {
  if (err instanceof MetabaseError) return err;
  const code = errorCode(err);
  const detail = err instanceof Error ? `${code ?? err.name}: ${err.message}` : String(err);
  if (timedOut || isAbortTimeout(err) || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new MetabaseError(
      'timeout',
      `${UNAVAILABLE}: Metabase timed out after ${formatSeconds(timeoutMs)}`,
      detail,
      undefined,
      { cause: err },
    );
  }
  const words = (code && NETWORK_WORDS[code]) ?? 'network error';
  return new MetabaseError('network', `${UNAVAILABLE}: could not reach Metabase (${words})`, detail, undefined, {
    cause: err,
  });
}
