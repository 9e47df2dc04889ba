import type { EmbeddedPostgres } from './embedded-postgres';
import { EMBEDDED_KEY } from './global-setup';

/** Stops the embedded PostgreSQL server global-setup.ts started, if it did, and deletes its folder. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as typeof globalThis & { [EMBEDDED_KEY]?: EmbeddedPostgres };
  const server = holder[EMBEDDED_KEY];
  if (!server) return;
  delete holder[EMBEDDED_KEY];
  await server.stop();
}
