import { createHmac } from 'node:crypto';
import { FAKE_TEAM_ID } from './fake-slack';
import type { EnvelopeType, FakeSocketMode } from './fake-socket-mode';

/**
 * Sends what Slack sends to the running app, over either transport with the same methods:
 * `SlackDriver` posts signed HTTP requests (v0 HMAC-SHA256 over `v0:<timestamp>:<body>`; Events
 * API as JSON; slash commands and interactivity form-encoded, interactivity as `payload=<JSON>`);
 * `SocketDriver` sends Socket Mode envelopes through the fake Socket Mode server and waits for
 * the app's acknowledgement.
 */
export interface DriverResponse {
  /** The HTTP status; 200 once a Socket Mode envelope is acknowledged. */
  status: number;
  text: string;
  /** The answer's JSON (e.g. a view_submission's response_action): the HTTP body, or the ack's payload. */
  json: any;
  /** Socket Mode: the envelope this answer acknowledged. */
  envelopeId?: string;
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

let counter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Slack's payloads; the subclasses deliver them. */
export abstract class SlackPayloads {
  abstract readonly transport: Transport;

  constructor(
    /** Where response_url points (the fake Slack's /response/ endpoint base). */
    protected readonly responseUrlFor: () => string,
  ) {}

  /** `body`: the Events API callback, the slash command's fields, or the interactivity payload. */
  protected abstract deliver(type: EnvelopeType, body: Record<string, any>, options?: SignOptions): Promise<DriverResponse>;

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
    return this.deliver('events_api', body, options);
  }

  /** The user opened the app's Home tab. */
  openHome(userId: string, options?: SignOptions): Promise<DriverResponse> {
    return this.event({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home' }, options);
  }

  /** A slash command, e.g. command('U1', '/crm', 'find acme'). */
  command(userId: string, command: string, text: string, extra: Record<string, string> = {}, options?: SignOptions): Promise<DriverResponse> {
    const fields: Record<string, string> = {
      token: 'legacy-token',
      team_id: FAKE_TEAM_ID,
      team_domain: 'fake',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      user_id: userId,
      user_name: userId.toLowerCase(),
      command,
      text,
      api_app_id: 'AFAKE',
      is_enterprise_install: 'false',
      response_url: this.responseUrlFor(),
      trigger_id: nextId('trig.'),
      ...extra,
    };
    return this.deliver('slash_commands', fields, options);
  }

  /** `/crm <text>` from a user. */
  crm(userId: string, text: string, extra?: Record<string, string>): Promise<DriverResponse> {
    return this.command(userId, '/crm', text, extra);
  }

  /** An interactivity payload (block_actions, view_submission, shortcut, block_suggestion…). */
  interaction(payload: Record<string, any>, options?: SignOptions): Promise<DriverResponse> {
    const full = {
      team: { id: FAKE_TEAM_ID, domain: 'fake' },
      api_app_id: 'AFAKE',
      token: 'legacy-token',
      trigger_id: nextId('trig.'),
      ...payload,
    };
    return this.deliver('interactive', full, options);
  }

  /** A button/overflow/select action in a view (Home tab or modal) or a message. */
  blockAction(userId: string, action: Record<string, any>, container: Record<string, any> = { type: 'view', view_id: 'V1' }, extra: Record<string, any> = {}): Promise<DriverResponse> {
    return this.interaction({
      type: 'block_actions',
      user: { id: userId, username: userId.toLowerCase(), team_id: FAKE_TEAM_ID },
      container,
      response_url: this.responseUrlFor(),
      actions: [{ action_ts: `${Date.now() / 1000}`, block_id: action.block_id ?? 'b', type: action.type ?? 'button', ...action }],
      ...extra,
    });
  }

  /**
   * Submits a modal. `values` is block_id -> action_id -> value object as Slack sends it,
   * e.g. { stage_block: { stage: { type: 'static_select', selected_option: { value: 'contacted' } } } }.
   */
  submitView(userId: string, view: { callback_id: string; private_metadata?: string; values: Record<string, Record<string, any>> }): Promise<DriverResponse> {
    return this.interaction({
      type: 'view_submission',
      user: { id: userId, username: userId.toLowerCase(), team_id: FAKE_TEAM_ID },
      view: {
        id: nextId('V'),
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata ?? '',
        state: { values: view.values },
        hash: 'h',
      },
    });
  }

  /** A message shortcut ("Log to CRM") on a message. */
  messageShortcut(userId: string, callbackId: string, message: { ts: string; text: string; user?: string }, channelId = 'C0GENERAL'): Promise<DriverResponse> {
    return this.interaction({
      type: 'message_action',
      callback_id: callbackId,
      user: { id: userId, name: userId.toLowerCase() },
      channel: { id: channelId, name: 'general' },
      message: { type: 'message', ...message },
      message_ts: message.ts,
      response_url: this.responseUrlFor(),
    });
  }

  /** A block_suggestion request from an external_select (typeahead). */
  suggestion(userId: string, actionId: string, value: string, blockId = 'lead_block'): Promise<DriverResponse> {
    return this.interaction({
      type: 'block_suggestion',
      user: { id: userId, name: userId.toLowerCase(), team_id: FAKE_TEAM_ID },
      action_id: actionId,
      block_id: blockId,
      value,
      container: { type: 'view', view_id: 'V1' },
      view: { id: 'V1', type: 'modal', callback_id: 'log_to_crm' },
    });
  }
}

/** The app over HTTP: signed requests to POST /slack/events. */
export class SlackDriver extends SlackPayloads {
  readonly transport = 'http' as const;

  constructor(
    readonly baseUrl: string,
    private readonly signingSecret: string,
    responseUrlFor: () => string,
    readonly path = '/slack/events',
  ) {
    super(responseUrlFor);
  }

  sign(body: string, options: SignOptions = {}): Record<string, string> {
    const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
    const sig = options.signature ?? `v0=${createHmac('sha256', options.secret ?? this.signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
    return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig };
  }

  async post(body: string, contentType: string, options: SignOptions = {}): Promise<DriverResponse> {
    const res = await fetch(`${this.baseUrl}${this.path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...this.sign(body, options) },
      body,
    });
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  }

  protected deliver(type: EnvelopeType, body: Record<string, any>, options?: SignOptions): Promise<DriverResponse> {
    if (type === 'events_api') return this.post(JSON.stringify(body), 'application/json', options);
    const form = type === 'slash_commands' ? new URLSearchParams(body) : new URLSearchParams({ payload: JSON.stringify(body) });
    return this.post(form.toString(), 'application/x-www-form-urlencoded', options);
  }
}

/** The app in Socket Mode: envelopes through the fake Socket Mode server, answered by their ack. */
export class SocketDriver extends SlackPayloads {
  readonly transport = 'socket' as const;

  constructor(
    readonly socket: FakeSocketMode,
    responseUrlFor: () => string,
    /** How long to wait for an ack: a reconnect alone takes the socket client about 5 seconds. */
    private readonly ackTimeoutMs = 15_000,
  ) {
    super(responseUrlFor);
  }

  protected async deliver(type: EnvelopeType, body: Record<string, any>, options?: SignOptions): Promise<DriverResponse> {
    if (options) throw new Error('signing options are for HTTP: Socket Mode envelopes are not signed');
    const ack = await this.socket.send(type, body, this.ackTimeoutMs);
    return { status: 200, text: ack.payload ? JSON.stringify(ack.payload) : '', json: ack.payload, envelopeId: ack.envelope_id };
  }
}
