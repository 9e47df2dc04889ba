import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../app-context';
import { UserFacingError } from '../../../common/errors';
import type { AccessLevel, Viewer } from '../../viewer';
import type { EphemeralMessage } from '../../views/message';

export type { EphemeralMessage };

export interface CommandContext {
  deps: AppContext;
  client: WebClient;
  viewer: Viewer;
  /** The text after the subcommand name as typed (decoded from Slack's encoding), trimmed. */
  args: string;
  /** The same, with people, channels and links kept in Slack's markup: for text that is stored (notes). */
  noteArgs: string;
  triggerId: string;
  channelId: string;
  /** Replies to the caller only (response_url, ephemeral). */
  reply(message: EphemeralMessage): Promise<void>;
}

/** One `/crm <name>` subcommand, in a file of its own. */
export interface Subcommand {
  name: string;
  /** e.g. "/crm find <text>" */
  usage: string;
  description: string;
  access: AccessLevel;
  run(ctx: CommandContext): Promise<void>;
}

/**
 * A bad argument: the router answers with the message and the subcommand's usage. Its
 * message is written by the command listeners, in mrkdwn (already escaped).
 */
export class UsageError extends UserFacingError {}
