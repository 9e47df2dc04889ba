import type { WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';
import type { AppDeps } from '../../deps';
import type { AccessLevel, Viewer } from '../viewer';

export interface EphemeralMessage {
  text: string;
  blocks?: KnownBlock[];
}

export interface CommandContext {
  deps: AppDeps;
  client: WebClient;
  viewer: Viewer;
  /** The text after the subcommand name, trimmed. */
  args: string;
  triggerId: string;
  channelId: string;
  /** Replies to the caller only (response_url, ephemeral). */
  reply(message: EphemeralMessage): Promise<void>;
}

/** One `/crm <name>` subcommand. */
export interface Subcommand {
  name: string;
  /** e.g. "/crm find <text>" */
  usage: string;
  description: string;
  access: AccessLevel;
  run(ctx: CommandContext): Promise<void>;
}

/** A bad argument: the router answers the message with the subcommand's usage. */
export class UsageError extends Error {
  constructor(readonly userMessage: string) {
    super(userMessage);
    this.name = 'UsageError';
  }
}
