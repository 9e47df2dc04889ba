import type { EphemeralMessage } from './message';
import { escapeMrkdwn } from './mrkdwn';

/** The `/crm help` list: one line per subcommand, after an optional preface (mrkdwn, already escaped). */
export function buildHelpMessage(
  subcommands: { usage: string; description: string }[],
  preface?: string,
): EphemeralMessage {
  const lines = [
    ...(preface ? [preface, ''] : []),
    '*CRM commands*',
    '`/crm help`: this list',
    ...subcommands.map((s) => `\`${escapeMrkdwn(s.usage)}\`: ${escapeMrkdwn(s.description)}`),
  ];
  return { text: lines.join('\n') };
}
