import type { ModalView } from '@slack/types';
import type { AppContext } from '../../../app-context';
import type { AppDeps } from '../../../deps';
import { listRates, unconvertedCurrencies } from '../../../domain/rates';
import { listRoster } from '../../../domain/roster';
import { getAllSettings } from '../../../domain/settings';
import { refusalFor, type Viewer, viewerForAction } from '../../viewer';
import { type AdminSettingName, isAdminSettingName } from '../../views/admin-common';
import {
  buildAdminMessageModal,
  buildCurrencyRatesModal,
  buildDigestChannelModal,
  buildDigestScheduleModal,
  buildMorningAgendaModal,
  buildOrderRhythmModal,
  buildRosterModal,
  buildStageLabelsModal,
  buildStaleThresholdsModal,
  buildSyncWindowModal,
} from '../../views/admin-modals';
import { type InteractionOrigin, openModal } from '../../web-api/reply';
import type { ButtonListener } from '../listener-types';

/** The modal of one admin setting, filled with its current value. */
export async function buildAdminSettingModal(
  deps: AppDeps,
  viewer: Viewer,
  name: AdminSettingName,
): Promise<ModalView> {
  const { prisma } = deps.db;
  const settings = await getAllSettings(prisma, deps.config);
  switch (name) {
    case 'digest_channel':
      return buildDigestChannelModal(settings.digest_channel);
    case 'digest_schedule':
      return buildDigestScheduleModal(settings.digest_schedule);
    case 'sync_window':
      return buildSyncWindowModal(settings.sync_days);
    case 'stale_thresholds':
      return buildStaleThresholdsModal(settings.stale_thresholds, settings.stage_labels);
    case 'stage_labels':
      return buildStageLabelsModal(settings.stage_labels);
    case 'order_rhythm':
      return buildOrderRhythmModal(settings.rhythm_factors);
    case 'morning_agenda':
      return buildMorningAgendaModal(settings.agenda_schedule);
    case 'currency_rates':
      return buildCurrencyRatesModal(await listRates(prisma), viewer.timeZone, await unconvertedCurrencies(prisma));
    case 'roster':
      return buildRosterModal(await listRoster(prisma));
  }
}

/** "Change" next to a setting in the Admin section of Home: opens its modal (admins only). */
export function adminOpenSetting(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const name = action.value ?? '';
    try {
      const origin: InteractionOrigin = { userId: body.user.id, triggerId: body.trigger_id };
      const viewer = await viewerForAction(deps, client, origin);
      const refusal = refusalFor(viewer, 'admin');
      if (refusal) {
        deps.logger.warn({ userId: body.user.id, setting: name }, 'refused to open an admin setting for a non-admin');
        await openModal(client, origin, buildAdminMessageModal(refusal));
        return;
      }
      if (!isAdminSettingName(name)) {
        deps.logger.warn({ userId: body.user.id, setting: name }, 'unknown admin setting button');
        return;
      }
      await openModal(client, origin, await buildAdminSettingModal(deps, viewer, name));
    } catch (err) {
      deps.logger.error({ err, userId: body.user.id }, 'could not open an admin setting modal');
    }
  };
}
