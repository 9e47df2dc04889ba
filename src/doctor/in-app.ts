import type { WebClient } from '@slack/web-api';
import type { DoctorReport } from '../common/doctor-report';
import type { AppDeps } from '../deps';
import { type ManifestScope, readManifestBotScopes } from './manifest-scopes';
import { runDoctor } from './run-doctor';

/**
 * The doctor inside the running app (`/crm doctor`, *Check setup* on Home): the same checks
 * as `npm run doctor`, with the app's own Slack client, Metabase reader and database.
 */
export function runDoctorInApp(deps: AppDeps, client: WebClient): Promise<DoctorReport> {
  let requiredScopes: ManifestScope[] | Error;
  try {
    requiredScopes = readManifestBotScopes();
  } catch (err) {
    requiredScopes = err as Error;
  }
  return runDoctor({
    config: deps.config,
    slack: client,
    production: deps.production,
    crmDatabase: () => deps.db.prisma,
    requiredScopes,
    clock: deps.clock,
  });
}
