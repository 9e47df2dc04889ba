import type { KnownBlock } from '@slack/types';

/** A message shown to one user (ephemeral reply, response_url post, or DM). */
export interface EphemeralMessage {
  text: string;
  blocks?: KnownBlock[];
}
