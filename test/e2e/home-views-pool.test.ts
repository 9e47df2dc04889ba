/**
 * The connection pool Home views are sent on (SlackJsonPoster) lives as long as the app: a
 * graceful stop closes it, so no kept-alive connection to Slack outlives the app.
 */
import { SlackJsonPoster } from '../../src/slack/runtime/slack-json-post';
import { startTestApp } from '../support/harness';

describe('the pool Home views are sent on', () => {
  it('is closed when the app stops', async () => {
    const close = jest.spyOn(SlackJsonPoster.prototype, 'close');
    const t = await startTestApp();
    try {
      await t.driver.openHome('U0POOL01');
      await t.slack.waitForCalls('views.publish');
      expect(close).not.toHaveBeenCalled();
      await t.stopApp();
      expect(close).toHaveBeenCalledTimes(1);
      const [poster] = close.mock.contexts as SlackJsonPoster[];
      // Closed: it sends nothing more.
      await expect(poster!.post(`${t.slack.apiUrl}views.publish`, {}, '{}')).rejects.toThrow(/closed|destroyed/i);
    } finally {
      close.mockRestore();
      await t.stop();
    }
  });
});
