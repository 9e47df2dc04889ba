import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import type { InteractionOrigin } from './lead-interactions';

/** Shows a lead's order history where the user asked for it (message or modal). */
export async function showOrderHistory(deps: AppDeps, client: WebClient, origin: InteractionOrigin, leadId: number): Promise<void> {
  void deps;
  void client;
  void origin;
  void leadId;
  throw new Error('order history not wired yet');
}
