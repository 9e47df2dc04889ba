import { isKnownActionId } from '../../src/slack/views/action-ids';
import type { FakeSlack } from './fake-slack';

/** Every `action_id` found anywhere in a Block Kit payload (views, messages, blocks). */
export function collectActionIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) collectActionIds(v, into);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'action_id' && typeof v === 'string') into.add(v);
      else collectActionIds(v, into);
    }
  }
  return into;
}

/**
 * The action ids the app sent to Slack (views, messages, response_url answers) that are
 * not in ACTION_IDS. Run by the test harness when an app stops, so every e2e test checks
 * every control it caused the app to render.
 */
export function unknownActionIdsSentTo(slack: FakeSlack): string[] {
  const seen = new Set<string>();
  for (const payload of slack.sent) collectActionIds(payload, seen);
  return [...seen].filter((id) => !isKnownActionId(id)).sort();
}
