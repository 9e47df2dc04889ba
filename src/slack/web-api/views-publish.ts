import type { HomeView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { SlackJsonApi } from '../runtime/slack-json-api';
import { readViewsPublishAnswer } from './views-publish-answer';

/** One Home view to publish: its JSON text, and the hash of the view it replaces, if known. */
export interface HomePublishArgs {
  userId: string;
  viewJson: string;
  hash: string | undefined;
}

/** Sends views.publish; resolves with the hash of the published view, as Slack answered it. */
export type ViewsPublish = (client: WebClient, args: HomePublishArgs) => Promise<string | undefined>;

/**
 * Through the Web API client the listener was given (which form-encodes the view's text):
 * what an app without a SlackJsonApi uses (listener unit tests with a fake client).
 */
export const publishThroughClient: ViewsPublish = async (client, { userId, viewJson, hash }) => {
  const view = viewJson as unknown as HomeView;
  const res = await client.views.publish({ user_id: userId, view, ...(hash ? { hash } : {}) });
  return res.view?.hash;
};

/**
 * As a JSON body, the view's text spliced in as it is: Slack's write methods take JSON bodies
 * (https://docs.slack.dev/apis/web-api/#posting_json), views.publish among them. The bot
 * token is the app's own, the one the client given carries too. Slack's answer echoes the
 * whole view; only its hash is read (views-publish-answer.ts), unless that is not certain.
 */
export function publishAsJson(api: SlackJsonApi): ViewsPublish {
  return async (_client, { userId, viewJson, hash }) => {
    const hashField = hash ? `,"hash":${JSON.stringify(hash)}` : '';
    const res = await api.call(
      'views.publish',
      `{"user_id":${JSON.stringify(userId)}${hashField},"view":${viewJson}}`,
      readViewsPublishAnswer,
    );
    const view = res.view as { hash?: unknown } | undefined;
    return typeof view?.hash === 'string' ? view.hash : undefined;
  };
}
