import type { WebClient } from '@slack/web-api';
import type { CheckResult } from '../common/doctor-report';
import { describeSlackFailure, slackFailureOf, UNREACHABLE_FIX } from './slack-errors';

const TITLE = 'Socket Mode';
const NEW_TOKEN =
  "In the app's settings at https://api.slack.com/apps: Basic Information → App-Level Tokens → Generate Token and Scopes, with the scope connections:write; set SLACK_APP_TOKEN to it.";

/**
 * In Socket Mode, SLACK_APP_TOKEN must be able to open a connection: `apps.connections.open`
 * answers with a WebSocket URL, which is not used (it expires unused), so the doctor does
 * not take a connection away from a running app.
 */
export async function checkAppToken(client: WebClient, appToken: string | undefined): Promise<CheckResult> {
  if (!appToken)
    return {
      id: 'socket_mode',
      title: TITLE,
      status: 'skip',
      finding: 'not used: SLACK_APP_TOKEN is unset, the app runs in HTTP mode',
    };
  try {
    const res = await client.apps.connections.open({ token: appToken });
    if (!res.url)
      return fail(
        'apps.connections.open answered without a connection URL',
        'Run the doctor again; if it persists, generate a new app-level token.',
      );
    return {
      id: 'socket_mode',
      title: TITLE,
      status: 'ok',
      finding: 'SLACK_APP_TOKEN opens Socket Mode connections (the test connection was not used)',
    };
  } catch (err) {
    const failure = slackFailureOf(err);
    if (failure.kind === 'unreachable') return fail(describeSlackFailure(failure), UNREACHABLE_FIX);
    if (failure.kind === 'platform') {
      switch (failure.error) {
        case 'invalid_auth':
        case 'not_authed':
        case 'token_revoked':
          return fail(`Slack refused SLACK_APP_TOKEN (${failure.error})`, NEW_TOKEN);
        case 'missing_scope':
          return fail('SLACK_APP_TOKEN lacks the scope connections:write', NEW_TOKEN);
        case 'not_allowed_token_type':
          return fail('SLACK_APP_TOKEN is not an app-level token', NEW_TOKEN);
      }
    }
    return fail(
      `apps.connections.open failed: ${describeSlackFailure(failure)}`,
      "Check that Socket Mode is on in the app's settings (Socket Mode → Enable Socket Mode), then run the doctor again.",
    );
  }
}

function fail(finding: string, fix: string): CheckResult {
  return { id: 'socket_mode', title: TITLE, status: 'fail', finding, fix };
}
