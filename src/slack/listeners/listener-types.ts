import type {
  BlockAction,
  ButtonAction,
  MessageShortcut,
  Middleware,
  OverflowAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  StaticSelectAction,
  ViewSubmitAction,
} from '@slack/bolt';

/**
 * The Bolt middleware types of our listeners. Every listener file exports a factory
 * `name(deps): <Kind>Listener` that the kind's index.ts binds to its id.
 */
export type ButtonListener = Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>>;
export type OverflowListener = Middleware<SlackActionMiddlewareArgs<BlockAction<OverflowAction>>>;
export type SelectListener = Middleware<SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>>>;
export type ViewListener = Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>>;
export type CommandListener = Middleware<SlackCommandMiddlewareArgs>;
export type MessageShortcutListener = Middleware<SlackShortcutMiddlewareArgs<MessageShortcut>>;
export type OptionsListener = Middleware<SlackOptionsMiddlewareArgs<'block_suggestion'>>;
export type AppHomeOpenedListener = Middleware<SlackEventMiddlewareArgs<'app_home_opened'>>;
