import type { WebClient } from '@slack/web-api';
import type { CheckResult } from '../common/doctor-report';
import type { ManifestScope } from './manifest-scopes';
import { describeSlackFailure, slackFailureOf, UNREACHABLE_FIX } from './slack-errors';

export interface BotIdentity {
  userId: string;
  /** The bot user's name, e.g. "crm" (what `/invite @…` takes). */
  name: string;
  teamId: string;
  team: string;
}

export interface BotTokenCheck {
  result: CheckResult;
  /** Null when the token did not work. */
  bot: BotIdentity | null;
  /** The scopes Slack says the token has (its `x-oauth-scopes` header); null when it did not say. */
  grantedScopes: string[] | null;
}

const TITLE = 'Slack bot token';
const APP_SETTINGS = "the app's settings at https://api.slack.com/apps";

/** `auth.test` with SLACK_BOT_TOKEN: does Slack take the token, and for which workspace and bot? */
export async function checkBotToken(client: WebClient): Promise<BotTokenCheck> {
  try {
    const res = await client.auth.test();
    const bot: BotIdentity = {
      userId: res.user_id ?? '?',
      name: res.user ?? '?',
      teamId: res.team_id ?? '?',
      team: res.team ?? '?',
    };
    return {
      result: {
        id: 'slack_token',
        title: TITLE,
        status: 'ok',
        finding: `works: bot @${bot.name} (${bot.userId}) in workspace ${bot.team} (${bot.teamId})`,
      },
      bot,
      grantedScopes: res.response_metadata?.scopes ?? null,
    };
  } catch (err) {
    return { result: tokenFailure(err), bot: null, grantedScopes: null };
  }
}

function tokenFailure(err: unknown): CheckResult {
  const failure = slackFailureOf(err);
  const fail = (finding: string, fix: string): CheckResult => ({
    id: 'slack_token',
    title: TITLE,
    status: 'fail',
    finding,
    fix,
  });
  if (failure.kind === 'unreachable') return fail(describeSlackFailure(failure), UNREACHABLE_FIX);
  if (failure.kind === 'platform') {
    switch (failure.error) {
      case 'invalid_auth':
      case 'not_authed':
        return fail(
          `Slack refused SLACK_BOT_TOKEN (${failure.error})`,
          `Copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions in ${APP_SETTINGS}, set SLACK_BOT_TOKEN to it and restart.`,
        );
      case 'token_revoked':
      case 'token_expired':
      case 'account_inactive':
      case 'app_uninstalled':
        return fail(
          `SLACK_BOT_TOKEN no longer works (${failure.error}): the app was uninstalled or its token revoked`,
          `Reinstall the app (Install App → Reinstall to Workspace in ${APP_SETTINGS}), then set SLACK_BOT_TOKEN to the new Bot User OAuth Token.`,
        );
    }
  }
  return fail(
    `auth.test failed: ${describeSlackFailure(failure)}`,
    'Run the doctor again; if it persists, check https://slack-status.com.',
  );
}

/** The token's scopes against the manifest's bot scopes: a missing one breaks a feature, an extra one is more access than needed. */
export function compareScopes(granted: string[] | null, required: ManifestScope[]): CheckResult {
  const title = 'Slack scopes';
  if (granted === null) {
    return {
      id: 'slack_scopes',
      title,
      status: 'warn',
      finding: 'Slack did not say which scopes the token has, so they were not compared with manifest.yml',
    };
  }
  const have = new Set(granted);
  const wanted = new Set(required.map((s) => s.name));
  const missing = required.filter((s) => !have.has(s.name));
  const extra = granted.filter((s) => !wanted.has(s)).sort();
  if (missing.length === 0 && extra.length === 0) {
    return {
      id: 'slack_scopes',
      title,
      status: 'ok',
      finding: `the token has every scope manifest.yml asks for: ${required.map((s) => s.name).join(', ')}`,
    };
  }
  const names = missing.map((s) => s.name);
  const extraText = extra.length ? `extra (not in manifest.yml): ${extra.join(', ')}` : '';
  if (missing.length === 0) {
    return {
      id: 'slack_scopes',
      title,
      status: 'warn',
      finding: `more access than the app needs: ${extraText}`,
      fix: 'Unless something else needs them, remove them under OAuth & Permissions → Scopes → Bot Token Scopes and reinstall the app.',
    };
  }
  return {
    id: 'slack_scopes',
    title,
    status: 'fail',
    finding: `missing ${names.join(', ')}${extraText ? `; ${extraText}` : ''}`,
    fix: `Add ${listed(names)} under OAuth & Permissions → Scopes → Bot Token Scopes in ${APP_SETTINGS}, then reinstall the app (Install App → Reinstall to Workspace).`,
    details: missing.map((s) => `${s.name}: ${s.purpose ?? 'asked for by manifest.yml'}`),
  };
}

function listed(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
