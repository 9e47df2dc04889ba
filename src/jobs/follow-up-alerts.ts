import type { Job } from './scheduler';
import { DEFAULT_ALERT_DELIVERY, deliverDueAlerts, type AlertDeliveryOptions } from '../slack/follow-ups/deliver-due-alerts';

/** Every minute: DM the owners of follow-ups that fell due (exactly once across instances). */
export function followUpAlertsJob(options: AlertDeliveryOptions = DEFAULT_ALERT_DELIVERY): Job {
  return {
    name: 'follow-up-alerts',
    schedule: '* * * * *',
    async run(deps, client) {
      await deliverDueAlerts(deps, client, options);
    },
  };
}
