import type { AppContext } from '../../../app-context';
import type { DoctorReport } from '../../../common/doctor-report';
import { refusalFor, resolveViewer } from '../../viewer';
import { buildAdminMessageModal } from '../../views/admin-modals';
import { buildDoctorModal } from '../../views/doctor-report-blocks';
import type { ButtonListener } from '../listener-types';

/**
 * *Check setup* in the Admin section of Home: opens a modal at once (the trigger expires in
 * three seconds), runs the checks, then replaces the modal's content with the report.
 */
export function adminCheckSetup(deps: AppContext): ButtonListener {
  return async ({ ack, body, client }) => {
    await ack();
    const userId = body.user.id;
    try {
      const viewer = await resolveViewer(deps, client, userId);
      const refusal = refusalFor(viewer, 'admin');
      if (refusal) {
        deps.logger.warn({ userId }, 'refused the setup check to a non-admin');
        await client.views.open({ trigger_id: body.trigger_id, view: buildAdminMessageModal(refusal) });
        return;
      }
      const opened = await client.views.open({ trigger_id: body.trigger_id, view: buildDoctorModal('running') });
      const viewId = opened.view?.id;
      if (!viewId) return;
      let report: DoctorReport;
      try {
        // The doctor is loaded when asked for: an admin runs it now and then.
        const { runDoctorInApp } = await import('../../../doctor/in-app');
        report = await runDoctorInApp(deps, client);
      } catch (err) {
        deps.logger.error({ err, userId }, 'the setup check failed');
        await client.views.update({ view_id: viewId, view: buildDoctorModal('failed') });
        return;
      }
      await client.views.update({ view_id: viewId, view: buildDoctorModal(report) });
    } catch (err) {
      deps.logger.error({ err, userId }, 'the setup check from Home could not be shown');
    }
  };
}
