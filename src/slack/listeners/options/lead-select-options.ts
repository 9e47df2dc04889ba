import type { AppContext } from '../../../app-context';
import { MAX_SEARCH_LENGTH } from '../../../common/limits';
import { searchLeadsTop, searchTextOverLimit } from '../../../domain/lead-search';
import { refusalFor, resolveViewerWithin } from '../../viewer';
import { buildLeadOptions } from '../../views/log-to-crm-modal';
import type { OptionsListener } from '../listener-types';

/** Slack shows at most 100 options and waits 3 s for them. */
export const LEAD_OPTIONS_LIMIT = 100;

/** The one option answered to a text over MAX_SEARCH_LENGTH: it says the limit (picking it picks no lead). */
export const SEARCH_TOO_LONG_OPTION = {
  text: { type: 'plain_text' as const, text: `Too long: type at most ${MAX_SEARCH_LENGTH} characters` },
  value: 'search_too_long',
};

/** Typeahead of the lead picker (block_suggestion): ranked lead search, no data for outsiders. */
export function leadSelectOptions(deps: AppContext): OptionsListener {
  return async ({ ack, body, client }) => {
    try {
      // Slack waits 3 s for the options: no waiting on a slow users.info. With nothing
      // cached, no options this time; the look-up goes on and the next keystroke has it.
      const { viewer } = await resolveViewerWithin(deps, client, body.user.id);
      if (!viewer) {
        deps.logger.info({ userId: body.user.id }, 'lead typeahead: who is asking is not known yet');
        return void (await ack({ options: [] }));
      }
      if (refusalFor(viewer, 'read')) {
        deps.logger.info({ userId: body.user.id }, 'lead typeahead refused');
        return void (await ack({ options: [] }));
      }
      const typed = body.value ?? '';
      const over = searchTextOverLimit(typed);
      if (over !== null) {
        deps.logger.info({ userId: body.user.id, length: over }, 'lead typeahead: text too long; refused');
        return void (await ack({ options: [SEARCH_TOO_LONG_OPTION] }));
      }
      const matches = await searchLeadsTop(deps.db.prisma, typed, LEAD_OPTIONS_LIMIT);
      await ack({ options: buildLeadOptions(matches) });
    } catch (err) {
      deps.logger.error({ err }, 'lead typeahead failed');
      await ack({ options: [] });
    }
  };
}
