import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../app-context';
import { refusalFor, resolveViewer } from '../../viewer';
import { isAdminSettingName } from '../../views/admin-common';
import { buildAdminMessageModal } from '../../views/admin-modals';
import { answerInTime, type SubmissionAnswer } from '../../web-api/reply';
import type { ViewListener } from '../listener-types';
import { ADMIN_SUBMISSIONS } from './admin-submissions';

/** callback_id of every admin settings modal: `admin_<setting>`. */
export const ADMIN_CALLBACK = /^admin_(.+)$/;

/**
 * Every admin settings modal (callback_id `admin_<setting>`): authorise again on submit (a
 * forged or stale submission by a non-admin is refused and logged), save through the
 * domain, answer field errors, then republish the admin's Home with the new values.
 */
export function adminSettings(deps: AppContext): ViewListener {
  return async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    const name = ADMIN_CALLBACK.exec(view.callback_id)?.[1] ?? '';
    const afterSave: (() => Promise<void>)[] = [];
    // Some settings are checked with Slack first (the digest channel: conversations.info),
    // which may be slow: answered in time either way (see answerInTime).
    const runAfterSave = async () => {
      try {
        for (const work of afterSave) await work();
      } catch (err) {
        deps.logger.error({ err, userId, setting: name }, 'follow-up work after an admin change failed');
      }
    };
    const work = async (): Promise<SubmissionAnswer> => {
      try {
        const viewer = await resolveViewer(deps, client, userId);
        const refusal = refusalFor(viewer, 'admin');
        if (refusal) {
          deps.logger.warn(
            { userId, callbackId: view.callback_id, role: viewer.role },
            'refused an admin settings submission from a non-admin',
          );
          return { ack: { response_action: 'update', view: buildAdminMessageModal(refusal) } };
        }
        if (!isAdminSettingName(name)) {
          deps.logger.warn({ userId, callbackId: view.callback_id }, 'submission of an unknown admin setting');
          return {
            ack: {
              response_action: 'update',
              view: buildAdminMessageModal('That setting does not exist (any more). Open it again from the Home tab.'),
            },
          };
        }
        const errors = await ADMIN_SUBMISSIONS[name]({ deps, client, viewer, values: view.state.values, afterSave });
        if (Object.keys(errors).length) {
          deps.logger.info(
            { userId, setting: name, fields: Object.keys(errors) },
            'admin setting refused: invalid input',
          );
          return { ack: { response_action: 'errors', errors }, after: runAfterSave };
        }
        deps.logger.info({ userId, setting: name }, 'admin setting saved');
        return {
          ack: undefined,
          done: 'Saved.',
          after: async () => {
            await runAfterSave();
            await republishAdminHome(deps, client, userId);
          },
        };
      } catch (err) {
        deps.logger.error({ err, userId, setting: name }, 'saving an admin setting failed');
        return {
          ack: {
            response_action: 'update',
            view: buildAdminMessageModal(
              'Sorry, the setting could not be saved. The error has been logged; please try again.',
            ),
          },
          after: runAfterSave,
        };
      }
    };
    await answerInTime({ ack, client, logger: deps.logger, viewId: view.id, title: 'CRM settings', work: work() });
  };
}

/** The admin's Home, with the new values. */
async function republishAdminHome(deps: AppContext, client: WebClient, userId: string): Promise<void> {
  try {
    await deps.homePublisher.publish(client, userId);
  } catch (err) {
    deps.logger.warn({ err, userId }, 'could not republish Home after an admin change');
  }
}
