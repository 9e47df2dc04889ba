import { createHmac } from 'node:crypto';
import { REQUEST_ID_HEADER, takeAppAnswerMs } from './app-answer-times';
import {
  type BlockKitProblem,
  checkMessage,
  checkSuggestionOptions,
  checkView,
  slackMessages,
} from './block-kit-limits';
import { currentTestName, FAKE_TEAM_ID, type FakeSlack } from './fake-slack';
import type { EnvelopeType, FakeSocketMode } from './fake-socket-mode';

/**
 * Sends what Slack sends to the running app, over either transport with the same methods:
 * `SlackDriver` posts signed HTTP requests (v0 HMAC-SHA256 over `v0:<timestamp>:<body>`; Events
 * API as JSON; slash commands and interactivity form-encoded, interactivity as `payload=<JSON>`);
 * `SocketDriver` sends Socket Mode envelopes through the fake Socket Mode server and waits for
 * the app's acknowledgement.
 *
 * What Slack sends, it sends here too:
 * - typed text (command text, a shared message's text) with `&`, `<` and `>` as `&amp;`,
 *   `&lt;` and `&gt;`, and mentions, channels and links in Slack's markup (`<@U…>`,
 *   `<@U…|name>`, `<#C…|name>`, `<https://…|label>`, `<!here>`), which `slackText`
 *   keeps: write a test's typed text with its mentions already in that markup;
 * - trigger_ids and response_urls issued by the fake Slack, so they expire and wear out
 *   as Slack's do;
 * - over HTTP, an event the app answered in more than 3 seconds, or not with HTTP 2xx, is
 *   sent again (after that answer) with `X-Slack-Retry-Num: 1` and `X-Slack-Retry-Reason:
 *   http_timeout` (or `http_error`). Slack retries up to three times (at once, after 1 and
 *   after 5 minutes); only the first retry is sent here, to keep tests short.
 *
 * Every request's time to acknowledge is measured (`acks`): over HTTP, the app's own time
 * from having the request to having written its answer (app-answer-times.ts), so a busy
 * machine's slow round trip does not count; the harness fails a test when any took longer
 * than Slack waits (3 seconds). What the app answers (view_submission
 * `response_action` views, block_suggestion options, command replies) is checked against
 * Block Kit's limits; problems are kept in `problems`.
 */
export interface DriverResponse {
  /** The HTTP status; 200 once a Socket Mode envelope is acknowledged. */
  status: number;
  text: string;
  /** The answer's JSON (e.g. a view_submission's response_action): the HTTP body, or the ack's payload. */
  json: any;
  /** Socket Mode: the envelope this answer acknowledged. */
  envelopeId?: string;
  /** HTTP: the app's own time to answer (see app-answer-times.ts), when measured. */
  appMs?: number;
}

export type Transport = 'http' | 'socket';

export interface SignOptions {
  /** Seconds since the epoch to sign with (default: now). */
  timestamp?: number;
  /** Sign with this secret instead of the app's (forgery). */
  secret?: string;
  /** Send this signature header verbatim. */
  signature?: string;
}

/** How long one request took to be answered. */
export interface AckTiming {
  what: string;
  /** The app's own time to answer (see app-answer-times.ts); the round trip when that is not known. */
  ms: number;
  /** The round trip as the test saw it, busy machine included. */
  roundTripMs: number;
  status: number;
  /** The test running when it was sent. */
  test?: string;
}

/** Slack shows an error to the user when a request is not answered within this long. */
export const ACK_DEADLINE_MS = 3_000;

/** The part of the fake Slack the driver needs: where trigger_ids and response_urls come from. */
export type SlackSide = Pick<
  FakeSlack,
  'issueTrigger' | 'responseUrl' | 'openModalOf' | 'assumeModal' | 'afterSubmission'
>;

let counter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

const SLACK_MARKUP =
  /<(?:@[UW][A-Z0-9]+(?:\|[^<>]*)?|#[CGD][A-Z0-9]+(?:\|[^<>]*)?|!(?:here|channel|everyone)|!subteam\^[A-Z0-9]+(?:\|[^<>]*)?|!date\^[^<>|]+\|[^<>]*|(?:https?|mailto):[^<>|\s]+(?:\|[^<>]*)?)>/g;

/**
 * Text as Slack delivers what a person typed: `&`, `<`, `>` escaped, except the markup
 * Slack itself produces for mentions, channels, links and dates, which is kept (with any
 * `&` in a URL or label escaped, as Slack does).
 */
export function slackText(typed: string): string {
  let out = '';
  let last = 0;
  for (const m of typed.matchAll(SLACK_MARKUP)) {
    out += escapeEntities(typed.slice(last, m.index)) + m[0].replace(/&(?!amp;|lt;|gt;)/g, '&amp;');
    last = m.index! + m[0].length;
  }
  return out + escapeEntities(typed.slice(last));
}

function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack's payloads; the subclasses deliver them. */
export abstract class SlackPayloads {
  abstract readonly transport: Transport;
  /** Every request's time to answer, in order. */
  readonly acks: AckTiming[] = [];
  /** Block Kit problems in what the app answered. */
  readonly problems: string[] = [];
  /** Events sent again because the first delivery was late or failed. */
  readonly retries: { eventId: string; reason: string; status: number }[] = [];

  constructor(
    /** The fake Slack: issues trigger_ids and response_urls, keeps modals open or closes them. */
    protected readonly slack: SlackSide,
  ) {}

  /** `body`: the Events API callback, the slash command's fields, or the interactivity payload. */
  protected abstract deliver(
    type: EnvelopeType,
    body: Record<string, any>,
    options?: SignOptions,
    what?: string,
  ): Promise<DriverResponse>;

  /** Requests answered later than Slack waits. */
  lateAcks(limitMs = ACK_DEADLINE_MS): AckTiming[] {
    return this.acks.filter((a) => a.ms > limitMs);
  }

  /**
   * Delivers and measures the time to the answer. `send` gets an id to mark the request
   * with (REQUEST_ID_HEADER) so the app's own answer time is recorded.
   */
  protected async timed(what: string, send: (requestId: string) => Promise<DriverResponse>): Promise<DriverResponse> {
    const requestId = nextId('req');
    const started = Date.now();
    const res = await send(requestId);
    const roundTripMs = Date.now() - started;
    const appMs = takeAppAnswerMs(requestId);
    this.acks.push({ what, ms: appMs ?? roundTripMs, roundTripMs, status: res.status, test: currentTestName() });
    return appMs === undefined ? res : { ...res, appMs };
  }

  /** An Events API callback wrapping `event`. */
  event(event: Record<string, any>, options?: SignOptions): Promise<DriverResponse> {
    const body = {
      token: 'legacy-token',
      team_id: FAKE_TEAM_ID,
      api_app_id: 'AFAKE',
      event: { event_ts: `${Date.now() / 1000}`, ...event },
      type: 'event_callback',
      event_id: nextId('Ev'),
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: FAKE_TEAM_ID, user_id: 'UBOT0001', is_bot: true }],
    };
    return this.deliver('events_api', body, options, `event ${String(event.type)}`);
  }

  /** The user opened the app's Home tab. */
  openHome(userId: string, options?: SignOptions): Promise<DriverResponse> {
    return this.event({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home' }, options);
  }

  /**
   * A slash command, e.g. command('U1', '/crm', 'find acme'). `typed` is what the person
   * typed, mentions and links already in Slack's markup; it is sent encoded as Slack does.
   */
  async command(
    userId: string,
    command: string,
    typed: string,
    extra: Record<string, string> = {},
    options?: SignOptions,
  ): Promise<DriverResponse> {
    const fields: Record<string, string> = {
      token: 'legacy-token',
      team_id: FAKE_TEAM_ID,
      team_domain: 'fake',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      user_id: userId,
      user_name: userId.toLowerCase(),
      command,
      text: slackText(typed),
      api_app_id: 'AFAKE',
      is_enterprise_install: 'false',
      response_url: this.slack.responseUrl(),
      trigger_id: this.slack.issueTrigger(userId),
      ...extra,
    };
    const res = await this.deliver('slash_commands', fields, options, `${command} ${typed.split(' ')[0] ?? ''}`);
    if (res.json && typeof res.json === 'object') this.check(`${command} answer`, checkMessage(res.json));
    return res;
  }

  /** `/crm <text>` from a user. */
  crm(userId: string, text: string, extra?: Record<string, string>): Promise<DriverResponse> {
    return this.command(userId, '/crm', text, extra);
  }

  /** An interactivity payload (block_actions, view_submission, shortcut, block_suggestion…). */
  interaction(payload: Record<string, any>, options?: SignOptions): Promise<DriverResponse> {
    const userId: string | undefined = payload.user?.id;
    const full = {
      team: { id: FAKE_TEAM_ID, domain: 'fake' },
      api_app_id: 'AFAKE',
      token: 'legacy-token',
      trigger_id: this.slack.issueTrigger(userId),
      ...payload,
    };
    const what = `${String(payload.type)} ${String(payload.callback_id ?? payload.view?.callback_id ?? payload.actions?.[0]?.action_id ?? payload.action_id ?? '')}`;
    return this.deliver('interactive', full, options, what);
  }

  /** A button/overflow/select action in a view (Home tab or modal) or a message. */
  blockAction(
    userId: string,
    action: Record<string, any>,
    container: Record<string, any> = { type: 'view', view_id: 'V1' },
    extra: Record<string, any> = {},
  ): Promise<DriverResponse> {
    return this.interaction({
      type: 'block_actions',
      user: { id: userId, username: userId.toLowerCase(), team_id: FAKE_TEAM_ID },
      container,
      // Slack sends a response_url with actions in messages only.
      ...(container.type === 'message' ? { response_url: this.slack.responseUrl() } : {}),
      actions: [
        {
          action_ts: `${Date.now() / 1000}`,
          block_id: action.block_id ?? 'b',
          type: action.type ?? 'button',
          ...action,
        },
      ],
      ...extra,
    });
  }

  /**
   * Submits a modal. `values` is block_id -> action_id -> value object as Slack sends it,
   * e.g. { stage_block: { stage: { type: 'static_select', selected_option: { value: 'contacted' } } } }.
   * The modal is the one the app opened for this user with this callback_id (else one is
   * assumed open); after the answer, Slack closes, updates or pushes it as the app asked.
   */
  async submitView(
    userId: string,
    view: { callback_id: string; private_metadata?: string; values: Record<string, Record<string, any>> },
  ): Promise<DriverResponse> {
    const open =
      this.slack.openModalOf(userId, view.callback_id) ??
      this.slack.assumeModal(userId, {
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata ?? '',
        title: { type: 'plain_text', text: 'Modal' },
        blocks: [],
      });
    const res = await this.interaction({
      type: 'view_submission',
      user: { id: userId, username: userId.toLowerCase(), team_id: FAKE_TEAM_ID },
      view: {
        id: open.id,
        team_id: FAKE_TEAM_ID,
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata ?? open.view.private_metadata ?? '',
        state: { values: view.values },
        hash: open.hash,
        root_view_id: open.rootId,
        previous_view_id: open.previousId,
      },
    });
    const ack = res.json && typeof res.json === 'object' ? res.json : undefined;
    if (ack?.view)
      this.check(`${view.callback_id} response_action ${String(ack.response_action)}`, checkView(ack.view));
    if (ack?.response_action === 'errors') {
      // Slack shows each error under the input block it names; any other key is refused.
      const inputs = new Set(
        (open.view.blocks ?? []).filter((b: any) => b.type === 'input').map((b: any) => b.block_id),
      );
      const unknown = Object.keys(ack.errors ?? {}).filter((k) => open.view.blocks?.length && !inputs.has(k));
      if (unknown.length)
        this.problems.push(
          `${currentTestName() ? `[${currentTestName()}] ` : ''}${view.callback_id}: errors for blocks that are not inputs of the modal: ${unknown.join(', ')}`,
        );
    }
    if (res.status === 200) this.slack.afterSubmission(open.id, ack);
    return res;
  }

  /** A message shortcut ("Log to CRM") on a message; `message.text` is sent encoded as Slack stores it. */
  messageShortcut(
    userId: string,
    callbackId: string,
    message: { ts: string; text: string; user?: string },
    channelId = 'C0GENERAL',
  ): Promise<DriverResponse> {
    return this.interaction({
      type: 'message_action',
      callback_id: callbackId,
      user: { id: userId, name: userId.toLowerCase() },
      channel: { id: channelId, name: 'general' },
      message: { type: 'message', ...message, text: slackText(message.text) },
      message_ts: message.ts,
      response_url: this.slack.responseUrl(),
    });
  }

  /** A block_suggestion request from an external_select (typeahead). */
  async suggestion(userId: string, actionId: string, value: string, blockId = 'lead_block'): Promise<DriverResponse> {
    const res = await this.interaction({
      type: 'block_suggestion',
      user: { id: userId, name: userId.toLowerCase(), team_id: FAKE_TEAM_ID },
      action_id: actionId,
      block_id: blockId,
      value,
      container: { type: 'view', view_id: 'V1' },
      view: { id: 'V1', type: 'modal', callback_id: 'log_to_crm' },
    });
    if (res.status === 200)
      this.check(
        `${actionId} options`,
        res.json && typeof res.json === 'object'
          ? checkSuggestionOptions(res.json)
          : [{ pointer: '', message: 'not a JSON options answer' }],
      );
    return res;
  }

  private check(what: string, problems: BlockKitProblem[]): void {
    const test = currentTestName();
    if (problems.length)
      this.problems.push(`${test ? `[${test}] ` : ''}${what}: ${slackMessages(problems).join('; ')}`);
  }
}

/** The app over HTTP: signed requests to POST /slack/events. */
export class SlackDriver extends SlackPayloads {
  readonly transport = 'http' as const;

  constructor(
    readonly baseUrl: string,
    private readonly signingSecret: string,
    slack: SlackSide,
    readonly path = '/slack/events',
  ) {
    super(slack);
  }

  sign(body: string, options: SignOptions = {}): Record<string, string> {
    const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
    const sig =
      options.signature ??
      `v0=${createHmac('sha256', options.secret ?? this.signingSecret)
        .update(`v0:${ts}:${body}`)
        .digest('hex')}`;
    return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig };
  }

  post(
    body: string,
    contentType: string,
    options: SignOptions = {},
    what = 'request',
    headers: Record<string, string> = {},
  ): Promise<DriverResponse> {
    return this.timed(what, async (requestId) => {
      const res = await fetch(`${this.baseUrl}${this.path}`, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          ...this.sign(body, options),
          ...headers,
          [REQUEST_ID_HEADER]: requestId,
        },
        body,
      });
      const text = await res.text();
      let json: any;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, text, json };
    });
  }

  protected deliver(
    type: EnvelopeType,
    body: Record<string, any>,
    options?: SignOptions,
    what = 'request',
  ): Promise<DriverResponse> {
    if (type === 'events_api') return this.deliverEvent(body, options, what);
    const form =
      type === 'slash_commands' ? new URLSearchParams(body) : new URLSearchParams({ payload: JSON.stringify(body) });
    return this.post(form.toString(), 'application/x-www-form-urlencoded', options, what);
  }

  /**
   * Re-sent once, as Slack does, when answered late or with an error. "Late" is judged on
   * the app's own answer time, so a busy test machine does not make Slack retry; the
   * retry then follows the first answer instead of overlapping it.
   */
  private async deliverEvent(
    event: Record<string, any>,
    options: SignOptions | undefined,
    what: string,
  ): Promise<DriverResponse> {
    const body = JSON.stringify(event);
    const first = await this.post(body, 'application/json', options, what);
    const forged =
      options?.secret !== undefined || options?.signature !== undefined || options?.timestamp !== undefined;
    const reason =
      (first.appMs ?? 0) > ACK_DEADLINE_MS ? 'http_timeout' : first.status >= 300 && !forged ? 'http_error' : null;
    if (reason) {
      const retry = await this.post(body, 'application/json', options, `${what} (retry 1)`, {
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': reason,
      });
      this.retries.push({ eventId: String(event.event_id), reason, status: retry.status });
    }
    return first;
  }
}

/** The app in Socket Mode: envelopes through the fake Socket Mode server, answered by their ack. */
export class SocketDriver extends SlackPayloads {
  readonly transport = 'socket' as const;

  /** Each request waits for its ack with no deadline of its own (a reconnect alone takes the socket client about 5 seconds). */
  constructor(
    readonly socket: FakeSocketMode,
    slack: SlackSide,
  ) {
    super(slack);
  }

  /** The time to each ack is measured by the fake Socket Mode server, from the envelope's last delivery. */
  protected async deliver(
    type: EnvelopeType,
    body: Record<string, any>,
    options?: SignOptions,
  ): Promise<DriverResponse> {
    if (options) throw new Error('signing options are for HTTP: Socket Mode envelopes are not signed');
    const ack = await this.socket.send(type, body);
    return {
      status: 200,
      text: ack.payload ? JSON.stringify(ack.payload) : '',
      json: ack.payload,
      envelopeId: ack.envelope_id,
    };
  }
}
