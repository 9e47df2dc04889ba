import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import { computeDigestFigures, loadLastSnapshot, type DigestFigures } from '../domain/digest';
import type { DigestPeriod } from '../domain/digest-schedule';
import type { SettingValues } from '../domain/settings';
import { appHomeUrl, buildDigestMessage, type DigestMessage } from './views/digest-message';

/** The app's team and app id do not change while it runs: look them up once per client. */
const homeUrls = new WeakMap<WebClient, Promise<string | null>>();

/**
 * The Home tab deep link, from auth.test (team, bot) and bots.info (app id). Null when Slack
 * does not say: the digest then carries a plain button whose click refreshes Home.
 */
export function resolveAppHomeUrl(deps: AppDeps, client: WebClient): Promise<string | null> {
  let url = homeUrls.get(client);
  if (!url) {
    url = (async () => {
      try {
        const auth = await client.auth.test();
        if (!auth.team_id || !auth.bot_id) return null;
        const bot = await client.bots.info({ bot: auth.bot_id });
        const appId = bot.bot?.app_id;
        return appId ? appHomeUrl(auth.team_id, appId) : null;
      } catch (err) {
        deps.logger.warn({ err }, 'could not resolve the app id for the digest link; using a plain button');
        homeUrls.delete(client);
        return null;
      }
    })();
    homeUrls.set(client, url);
  }
  return url;
}

export interface ComposedDigest {
  figures: DigestFigures;
  message: DigestMessage;
}

/** Computes a period's figures and renders the digest message, with the settings the caller read. */
export async function composeDigest(
  deps: AppDeps,
  client: WebClient,
  settings: SettingValues,
  period: Pick<DigestPeriod, 'from' | 'to'>,
  options: { preview: boolean },
): Promise<ComposedDigest> {
  const { prisma } = deps.db;
  const [previous, homeUrl] = await Promise.all([loadLastSnapshot(prisma), resolveAppHomeUrl(deps, client)]);
  const figures = await computeDigestFigures(prisma, {
    from: period.from,
    to: period.to,
    now: deps.clock.now(),
    staleThresholds: settings.stale_thresholds,
    previous,
  });
  const message = buildDigestMessage(figures, {
    stageLabels: settings.stage_labels,
    timeZone: settings.digest_schedule.timeZone,
    homeUrl,
    preview: options.preview,
  });
  return { figures, message };
}
