import type { WebClient } from '@slack/web-api';
import { requestFailureCode, slackErrorCode } from '../../common/slack-error-code';
import type { Logger } from '../../logger';

/**
 * The start-up check of the bot token (auth.test), retried with backoff until Slack
 * answers. It never stops the process: while Slack is unreachable or refuses the token the
 * app keeps serving (`/healthz` says why), and requests are answered as soon as Slack is
 * back. Bolt itself is never asked to verify the token (it would reject once, unhandled,
 * and refuse every request after).
 */

export interface SlackTokenStatus {
  /** auth.test accepted the token. */
  ok: boolean;
  /** Checks made so far. */
  attempts: number;
  lastCheckAt: string | null;
  /** Why the last check failed (an error code, never a credential). */
  error?: string;
  nextCheckAt?: string;
}

export interface SlackIdentity {
  botId?: string;
  botUserId?: string;
  teamId?: string;
}

export interface TokenCheckBackoff {
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_TOKEN_CHECK_BACKOFF: TokenCheckBackoff = { firstDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/** A failed check as a short code: `invalid_auth`, `ECONNREFUSED`, `HTTP 503`… (never a credential). */
export function tokenCheckFailure(err: unknown): string {
  const e = err as { code?: string; statusCode?: number };
  const refused = slackErrorCode(err);
  if (refused) return refused;
  const network = requestFailureCode(err);
  if (network) return network;
  if (e?.statusCode) return `HTTP ${e.statusCode}`;
  return e?.code ?? 'unknown_error';
}

export class SlackTokenCheck {
  private state: SlackTokenStatus = { ok: false, attempts: 0, lastCheckAt: null };
  private who: SlackIdentity = {};
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Pick<WebClient, 'auth'>,
    private readonly logger: Logger,
    private readonly backoff: TokenCheckBackoff = DEFAULT_TOKEN_CHECK_BACKOFF,
  ) {}

  /** Starts checking (at once, then with backoff until Slack accepts the token). */
  start(): void {
    this.stopped = false;
    this.attempt();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  status(): SlackTokenStatus {
    return { ...this.state };
  }

  /** The bot's ids once auth.test answered; empty before. */
  identity(): SlackIdentity {
    return { ...this.who };
  }

  /** Resolves when the check in progress (if any) has settled. */
  settled(): Promise<void> {
    return this.current;
  }

  private attempt(): void {
    if (this.stopped) return;
    this.current = this.client.auth.test().then(
      (res) => {
        this.who = { botId: res.bot_id, botUserId: res.user_id, teamId: res.team_id };
        this.state = { ok: true, attempts: this.state.attempts + 1, lastCheckAt: new Date().toISOString() };
        this.logger.info({ team: res.team_id, botUserId: res.user_id }, 'Slack accepted the bot token');
      },
      (err: unknown) => {
        const attempts = this.state.attempts + 1;
        const delay = Math.min(this.backoff.maxDelayMs, this.backoff.firstDelayMs * 2 ** Math.min(attempts - 1, 20));
        const error = tokenCheckFailure(err);
        this.state = {
          ok: false,
          attempts,
          lastCheckAt: new Date().toISOString(),
          error,
          nextCheckAt: new Date(Date.now() + delay).toISOString(),
        };
        this.logger.warn(
          { error, attempt: attempts, retryInMs: delay },
          'Slack did not accept the bot token check; still serving, will check again',
        );
        if (this.stopped) return;
        this.timer = setTimeout(() => this.attempt(), delay);
        // A pending re-check never keeps the process alive on its own.
        this.timer.unref();
      },
    );
  }
}
