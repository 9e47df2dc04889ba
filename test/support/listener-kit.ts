import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../src/app-context';
import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { ProductionReader } from '../../src/production/types';
import { createAppServices } from '../../src/services';
import type { Viewer } from '../../src/slack/viewer';
import { prepareData } from '../../src/startup';
import { openTestDatabase } from './databases';
import { GUEST, ROSTER_ENV } from './lead-e2e';

/**
 * Listener unit tests in the Bolt sample apps' style: a listener factory is called with the
 * app's real dependencies on a temporary SQLite file, then its middleware with a fake `ack`,
 * a fake `client` and a fake `respond`. Every fake records its call in one list, so a test can
 * assert what the user saw and in which order (ack first).
 */

export { ADMIN, AM, AM2, GUEST, MANAGER, STRANGER } from './lead-e2e';

/** Time zone the fake users.info gives every user. */
export const USER_TZ = 'Asia/Dubai';

export interface ListenerDeps {
  deps: AppContext;
  clock: ManualClock;
  cleanup(): Promise<void>;
}

/**
 * The app's dependencies on a fresh, migrated SQLite file, prepared as at start: the test
 * roster (ADMIN, MANAGER, AM, AM2, and GUEST, an account manager who is a Slack guest) and
 * the default currency rates.
 */
export async function openListenerDeps(
  options: { production?: ProductionReader | null; env?: Record<string, string> } = {},
): Promise<ListenerDeps> {
  const { db, url, cleanup } = await openTestDatabase('sqlite');
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 's',
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    CRM_TIMEZONE: 'UTC',
    ...ROSTER_ENV,
  };
  const config = loadConfig({ ...env, ...options.env });
  const clock = new ManualClock('2026-11-25T09:00:00Z');
  const base = {
    config,
    db,
    production: options.production ?? null,
    clock,
    logger: createLogger('silent'),
    instanceId: randomUUID(),
  };
  // What every start does before the first request: the roster from CRM_*, the default rates.
  await prepareData(base);
  const deps: AppContext = { ...base, ...createAppServices(base) };
  return { deps, clock, cleanup };
}

/** The Viewer the listeners resolve for a test user with the fake users.info below. */
export function viewerOf(userId: string, role: Viewer['role']): Viewer {
  return { userId, role, guest: userId === GUEST, timeZone: USER_TZ };
}

type Fn = jest.Mock<Promise<any>, [any?]>;

export interface FakeClient {
  views: { open: Fn; update: Fn; publish: Fn };
  chat: { postMessage: Fn; update: Fn; getPermalink: Fn };
  users: { info: Fn };
  conversations: { info: Fn };
  auth: { test: Fn };
  bots: { info: Fn };
}

/** A response_url post, as the fetch spy saw it. */
export interface ResponseUrlPost {
  url: string;
  body: any;
}

export interface Fakes {
  /** Every call in order: 'ack', 'respond', 'response_url', and Web API methods ('views.open'...). */
  calls: string[];
  ack: Fn;
  respond: Fn;
  client: FakeClient;
  /** The client as the listeners type it. */
  web: WebClient;
  /** Messages posted to response_urls (lead card refreshes, history pages). */
  responseUrlPosts: ResponseUrlPost[];
  /** The Web API calls made, by method name, in order, without users.info (a lookup, not something shown). */
  shown(): string[];
  /** Position of the first call named `name` in `calls` (-1 when absent). */
  indexOf(name: string): number;
}

/**
 * Fresh fakes for one listener call. users.info answers like Slack: GUEST is a restricted
 * (guest) account, everyone has USER_TZ. views.open answers with a view id.
 */
export function fakes(): Fakes {
  const calls: string[] = [];
  const fn = (name: string, answer: (args: any) => any = () => ({ ok: true })): Fn =>
    jest.fn(async (args?: any) => {
      calls.push(name);
      return answer(args);
    });
  const client: FakeClient = {
    views: {
      open: fn('views.open', () => ({ ok: true, view: { id: 'V0MODAL01' } })),
      update: fn('views.update', () => ({ ok: true, view: { id: 'V0MODAL01' } })),
      publish: fn('views.publish'),
    },
    chat: {
      postMessage: fn('chat.postMessage', () => ({ ok: true, ts: '1700000000.000100' })),
      update: fn('chat.update'),
      getPermalink: fn('chat.getPermalink', (a) => ({
        ok: true,
        permalink: `https://example.slack.com/archives/${a.channel}/p${String(a.message_ts).replace('.', '')}`,
      })),
    },
    users: {
      info: fn('users.info', (a) => ({
        ok: true,
        user: { id: a.user, tz: USER_TZ, is_restricted: a.user === GUEST, is_ultra_restricted: false, deleted: false },
      })),
    },
    conversations: {
      info: fn('conversations.info', (a) => ({ ok: true, channel: { id: a.channel, name: 'sales', is_member: true } })),
    },
    auth: {
      test: fn('auth.test', () => ({ ok: true, team_id: 'T0TEAM001', user_id: 'U0BOT0001', bot_id: 'B0BOT0001' })),
    },
    bots: { info: fn('bots.info', () => ({ ok: true, bot: { app_id: 'A0APP0001' } })) },
  };
  return {
    calls,
    ack: fn('ack'),
    respond: fn('respond'),
    client,
    web: client as unknown as WebClient,
    responseUrlPosts: capturedPosts(calls),
    shown: () => calls.filter((c) => c !== 'users.info' && c !== 'ack'),
    indexOf: (name) => calls.indexOf(name),
  };
}

let activePosts: { calls: string[]; posts: ResponseUrlPost[] } | null = null;

function capturedPosts(calls: string[]): ResponseUrlPost[] {
  const posts: ResponseUrlPost[] = [];
  activePosts = { calls, posts };
  return posts;
}

/**
 * Replaces global fetch for the test file so response_url posts (on Slack's hooks host, where the app only posts them) are recorded by the latest
 * fakes() instead of leaving the machine. Call once per file (beforeAll); restored afterwards.
 */
export function captureResponseUrls(): void {
  let spy: jest.SpyInstance;
  beforeAll(() => {
    spy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input: any, init?: any) => {
      const url = String(input);
      if (!url.startsWith('https://hooks.slack.com/')) throw new Error(`unexpected fetch to ${url}`);
      activePosts?.calls.push('response_url');
      activePosts?.posts.push({ url, body: JSON.parse(String(init?.body ?? '{}')) });
      return new Response('ok', { status: 200 });
    });
  });
  afterAll(() => spy.mockRestore());
}

export const RESPONSE_URL = 'https://hooks.slack.com/actions/T0TEAM001/1/abc';
export const TRIGGER_ID = '1111.2222.trigger';

/** Arguments of a block action: a button (value) or an overflow/select (selected option). */
export function blockAction(
  f: Fakes,
  o: {
    userId: string;
    actionId: string;
    value?: string;
    selected?: string;
    from?: 'message' | 'view';
    channelId?: string;
    messageTs?: string;
  },
): any {
  const from = o.from ?? 'view';
  const action: any = {
    action_id: o.actionId,
    block_id: 'b',
    type: o.selected !== undefined ? 'static_select' : 'button',
    action_ts: '1700000000.1',
  };
  if (o.value !== undefined) action.value = o.value;
  if (o.selected !== undefined)
    action.selected_option = { value: o.selected, text: { type: 'plain_text', text: o.selected } };
  const body: any = {
    type: 'block_actions',
    user: { id: o.userId },
    trigger_id: TRIGGER_ID,
    actions: [action],
    container:
      from === 'message'
        ? { type: 'message', channel_id: o.channelId ?? 'D0DM00001', message_ts: o.messageTs ?? '1700000000.000100' }
        : { type: 'view', view_id: 'V0HOME001' },
    ...(from === 'message'
      ? {
          response_url: RESPONSE_URL,
          channel: { id: o.channelId ?? 'D0DM00001' },
          message: { ts: o.messageTs ?? '1700000000.000100' },
        }
      : { view: { id: 'V0HOME001', type: 'home' } }),
  };
  return {
    ack: f.ack,
    respond: f.respond,
    client: f.web,
    body,
    action,
    payload: action,
    next: jest.fn(),
    logger: console,
    context: {},
  };
}

/** Arguments of a view_submission with the given state values. */
export function viewSubmission(
  f: Fakes,
  o: { userId: string; callbackId: string; privateMetadata?: string; values: Record<string, Record<string, any>> },
): any {
  const view = {
    id: 'V0MODAL01',
    type: 'modal',
    callback_id: o.callbackId,
    private_metadata: o.privateMetadata ?? '',
    state: { values: o.values },
    hash: 'h',
  };
  const body = { type: 'view_submission', user: { id: o.userId }, view };
  return { ack: f.ack, client: f.web, body, view, payload: view, next: jest.fn(), logger: console, context: {} };
}

/** Arguments of `/crm <text>`. */
export function slashCommand(f: Fakes, o: { userId: string; text: string }): any {
  const command = {
    command: '/crm',
    text: o.text,
    user_id: o.userId,
    trigger_id: TRIGGER_ID,
    channel_id: 'C0SALES01',
    response_url: RESPONSE_URL,
    team_id: 'T0TEAM001',
  };
  return {
    ack: f.ack,
    respond: f.respond,
    client: f.web,
    command,
    body: command,
    payload: command,
    next: jest.fn(),
    logger: console,
    context: {},
  };
}

/** Plain-text input state as Slack sends it. */
export const input = (value: string | null) => ({ type: 'plain_text_input', value });
export const select = (value: string | null) => ({
  type: 'static_select',
  selected_option: value === null ? null : { value, text: { type: 'plain_text', text: value } },
});
export const userSelect = (user: string | null) => ({ type: 'users_select', selected_user: user });

/** Every text in a message or view, joined: what a reader sees. */
export { actionIds, visibleText } from './lead-e2e';

/**
 * What a views.publish call must carry: this user and exactly this view, as the JSON text the
 * publisher sends (other arguments, such as a hash against out-of-order publishes, are not
 * this test's business).
 */
export function published(userId: string, view: unknown) {
  return expect.objectContaining({ user_id: userId, view: JSON.stringify(view) });
}

/** The view a views.publish call carried (sent as JSON text). */
export function publishedView(args: { view: string }): unknown {
  return JSON.parse(args.view);
}
