import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, ReceiverEvent } from '@slack/bolt';
import {
  forgetSlackRequest,
  markSlackRequestSeen,
  purgeExpiredSlackRequests,
  type SeenRequestsDb,
} from '../../db/seen-slack-requests';
import type { Logger } from '../../logger';

/**
 * Each signed Slack request is acted on once. Bolt checks the signature and refuses a
 * timestamp more than five minutes in the past; this adds the two halves it leaves out:
 * a timestamp more than five minutes in the future is refused too, and a request whose
 * signature was already seen within the window is acknowledged without being acted on again.
 * Socket Mode envelopes are kept by `envelope_id` the same way.
 *
 * Seen requests live in the database (SeenSlackRequest), not in memory, so a request sent
 * again to another instance behind the load balancer is refused as well.
 *
 * Slack's own retries (`X-Slack-Retry-Num`) are new requests, signed with their own
 * timestamp, so they are acted on as before. A request whose handling threw is forgotten,
 * so that Slack's retry of it can succeed.
 */

/** Slack's window: Bolt refuses a request signed longer ago than this; we refuse one signed this far ahead. */
export const SLACK_REQUEST_WINDOW_MS = 5 * 60 * 1000;
/** How long an envelope id is kept: Slack re-sends an unacknowledged event for a few minutes. */
export const ENVELOPE_KEPT_MS = 15 * 60 * 1000;
/** Expired rows are deleted at most this often, by whichever request comes first. */
const PURGE_EVERY_MS = 60 * 1000;

/** What Bolt's receivers pass on from each request (customPropertiesExtractor), under these names. */
const SIGNATURE = 'slackSignature';
const TIMESTAMP = 'slackRequestTimestamp';
const ENVELOPE = 'slackEnvelopeId';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** For HTTPReceiver's `customPropertiesExtractor`: the signature and its timestamp. */
export function signedRequestProperties(req: IncomingMessage): Record<string, string> {
  const signature = header(req, 'x-slack-signature');
  const timestamp = header(req, 'x-slack-request-timestamp');
  return { ...(signature ? { [SIGNATURE]: signature } : {}), ...(timestamp ? { [TIMESTAMP]: timestamp } : {}) };
}

/** For SocketModeReceiver's `customPropertiesExtractor`: the envelope id. */
export function envelopeProperties(args: { envelope_id?: unknown }): Record<string, string> {
  return typeof args.envelope_id === 'string' ? { [ENVELOPE]: args.envelope_id } : {};
}

/** Seconds since the epoch in the request's timestamp header, or null when absent or not a number. */
function timestampOf(req: IncomingMessage): number | null {
  const raw = header(req, 'x-slack-request-timestamp');
  const seconds = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(seconds) ? seconds : null;
}

export interface RequestGuardDeps {
  db: SeenRequestsDb;
  logger: Logger;
  /** Wall-clock time, as Bolt's own timestamp check uses. */
  now?: () => number;
}

export class SlackRequestGuard {
  private lastPurge = 0;
  private readonly now: () => number;

  constructor(private readonly deps: RequestGuardDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Wraps the HTTP receiver's request listener: a request stamped more than five minutes
   * ahead is answered 401 before Bolt reads it. Anything else goes on to Bolt.
   */
  refuseFutureRequests(
    listener: (req: IncomingMessage, res: ServerResponse) => void,
  ): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      const seconds = timestampOf(req);
      if (seconds !== null && seconds * 1000 > this.now() + SLACK_REQUEST_WINDOW_MS) {
        this.deps.logger.warn(
          { aheadSeconds: Math.round(seconds - this.now() / 1000) },
          'refused a Slack request stamped more than five minutes in the future',
        );
        res.writeHead(401);
        res.end();
        return;
      }
      listener(req, res);
    };
  }

  /** An app whose processEvent acts on each request or envelope once, for the receiver to call. */
  onceOnly(app: App): App {
    const guarded = Object.create(app) as App;
    guarded.processEvent = (event: ReceiverEvent) => this.process(app, event);
    return guarded;
  }

  private seenKey(event: ReceiverEvent): { key: string; expiresAt: Date } | null {
    const props = (event.customProperties ?? {}) as Record<string, unknown>;
    const envelope = props[ENVELOPE];
    if (typeof envelope === 'string')
      return { key: `envelope:${envelope}`, expiresAt: new Date(this.now() + ENVELOPE_KEPT_MS) };
    const signature = props[SIGNATURE];
    const seconds = Number(props[TIMESTAMP]);
    if (typeof signature !== 'string' || !Number.isFinite(seconds)) return null;
    // Past this, Bolt refuses the request as stale: the row has done its job.
    return { key: `sig:${signature}`, expiresAt: new Date(seconds * 1000 + SLACK_REQUEST_WINDOW_MS) };
  }

  private async process(app: App, event: ReceiverEvent): Promise<void> {
    const seen = this.seenKey(event);
    if (!seen) return app.processEvent(event);
    const { db, logger } = this.deps;
    const now = new Date(this.now());
    if (!(await markSlackRequestSeen(db, seen.key, seen.expiresAt, now))) {
      logger.warn(
        {
          type: (event.body as { type?: unknown }).type,
          by: seen.key.startsWith('envelope:') ? 'envelope_id' : 'signature',
        },
        'a Slack request already acted on came again: acknowledged, not acted on',
      );
      await event.ack();
      return;
    }
    this.purgeNowAndThen(now);
    try {
      await app.processEvent(event);
    } catch (err) {
      await forgetSlackRequest(db, seen.key).catch((e: unknown) =>
        logger.error({ err: e }, 'could not forget a failed Slack request'),
      );
      throw err;
    }
  }

  private purgeNowAndThen(now: Date): void {
    if (now.getTime() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now.getTime();
    purgeExpiredSlackRequests(this.deps.db, now).catch((err: unknown) =>
      this.deps.logger.warn({ err }, 'could not delete expired seen Slack requests'),
    );
  }
}
