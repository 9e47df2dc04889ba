import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs, TimepickerAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context';
import { UserFacingError } from '../../../common/errors';
import { setAgendaEnabled, setAgendaTime } from '../../../domain/agenda/preferences';
import { refusalFor, resolveViewer } from '../../viewer';
import { userErrorText } from '../../views/user-error';
import { actionOrigin, tellUser } from '../../web-api/reply';

type TimeListener = Middleware<SlackActionMiddlewareArgs<BlockAction<TimepickerAction>>>;
type ToggleListener = Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>>;

/** The agenda time picked on Home: their own time from now on (in their Slack time zone). */
export function agendaTime(deps: AppContext): TimeListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const origin = actionOrigin(body);
    try {
      const viewer = await resolveViewer(deps, client, body.user.id);
      const refusal = refusalFor(viewer, 'edit');
      if (refusal) return await tellUser(deps, client, origin, refusal, 'Not allowed');
      await setAgendaTime(deps.db.prisma, deps.clock, viewer.userId, action.selected_time ?? '');
      await deps.homePublisher.publish(client, viewer);
    } catch (err) {
      if (err instanceof UserFacingError) return tellUser(deps, client, origin, userErrorText(err), 'Agenda');
      deps.logger.error({ err }, 'could not set the agenda time');
      await tellUser(deps, client, origin, 'Sorry, the agenda time could not be saved. It has been logged.');
    }
  };
}

/** Turn my agenda on / off. */
export function agendaToggle(deps: AppContext): ToggleListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const origin = actionOrigin(body);
    try {
      const viewer = await resolveViewer(deps, client, body.user.id);
      const refusal = refusalFor(viewer, 'edit');
      if (refusal) return await tellUser(deps, client, origin, refusal, 'Not allowed');
      await setAgendaEnabled(deps.db.prisma, deps.clock, viewer.userId, action.value === 'on');
      await deps.homePublisher.publish(client, viewer);
    } catch (err) {
      deps.logger.error({ err }, 'could not switch the agenda');
      await tellUser(deps, client, origin, 'Sorry, that did not work. It has been logged.');
    }
  };
}
