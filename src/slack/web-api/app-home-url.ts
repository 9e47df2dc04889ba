import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger';
import { appHomeUrl } from '../views/digest-message';

/**
 * The Home tab deep link, from auth.test (team, bot) and bots.info (app id). The app's team
 * and app id do not change while it runs, so it is looked up once per client; a failed
 * look-up is tried again next time. Null when Slack does not say: the digest then carries a
 * plain button whose click refreshes Home.
 */
export class AppHomeUrl {
  private readonly urls = new WeakMap<WebClient, Promise<string | null>>();

  constructor(private readonly logger: Logger) {}

  get(client: WebClient): Promise<string | null> {
    let url = this.urls.get(client);
    if (!url) {
      url = this.lookUp(client);
      this.urls.set(client, url);
    }
    return url;
  }

  private async lookUp(client: WebClient): Promise<string | null> {
    try {
      const auth = await client.auth.test();
      if (!auth.team_id || !auth.bot_id) return null;
      const bot = await client.bots.info({ bot: auth.bot_id });
      const appId = bot.bot?.app_id;
      return appId ? appHomeUrl(auth.team_id, appId) : null;
    } catch (err) {
      this.logger.warn({ err }, 'could not resolve the app id for the digest link; using a plain button');
      this.urls.delete(client);
      return null;
    }
  }
}
