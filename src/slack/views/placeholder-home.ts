import type { HomeView } from '@slack/types';

export function buildPlaceholderHome(): HomeView {
  return {
    type: 'home',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*B2B CRM*\nThe pipeline dashboard is being set up.' } }],
  };
}
