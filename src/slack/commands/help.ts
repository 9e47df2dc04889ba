import type { EphemeralMessage, Subcommand } from './types';
import { escapeMrkdwn } from '../views/mrkdwn';

export function buildHelpMessage(subcommands: Subcommand[], preface?: string): EphemeralMessage {
  const lines = [
    ...(preface ? [preface, ''] : []),
    '*CRM commands*',
    '`/crm help`: this list',
    ...subcommands.map((s) => `\`${escapeMrkdwn(s.usage)}\`: ${escapeMrkdwn(s.description)}`),
  ];
  return { text: lines.join('\n') };
}
