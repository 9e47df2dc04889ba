import { ManualClock } from '../../src/clock';
import { startTestApp, type TestApp, waitForSettled } from '../support/harness';
import { waitForViews } from '../support/home-app';
import { ADMIN, AM, addRosterUsers, ROSTER_ENV } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';
import { coverageRecorder } from './coverage';
import { printTrace } from './print';

const DAY = 86_400_000;
const NOW = new Date('2026-11-25T09:00:00Z');

/**
 * The Home tab opened a second time on unchanged data, a minute later (within the minute the
 * Home built first is published again), Metabase not configured, by an account manager with
 * a lapsed account of their own on the book, then by an admin.
 */
it('Home tab opened', async () => {
  const clock = new ManualClock(NOW);
  const t: TestApp = await startTestApp({ env: ROSTER_ENV, clock });
  addRosterUsers(t);
  const prisma = t.deps.db.prisma;
  await seedLead(prisma, { customerId: 'R-1', name: 'Rhythm Co', ownerId: AM, stage: 'active_account', orderCount: 4 });
  const last = NOW.getTime() - 25 * DAY;
  await prisma.customerFigures.update({
    where: { customerId: 'R-1' },
    data: {
      lastOrderAt: new Date(last),
      firstOrderAt: new Date(last - 30 * DAY),
      rhythmIntervalMs: BigInt(10 * DAY),
      rhythmNextMs: BigInt(last + 10 * DAY),
    },
  });
  await seedLead(prisma, { customerId: 'N-1', name: 'Fresh Buyer', lastOrderAt: new Date(NOW.getTime() - 3 * DAY) });
  const rec = await coverageRecorder();
  async function open(userId: string): Promise<void> {
    const before = t.slack.callsTo('views.publish').filter((c) => c.args.user_id === userId).length;
    await t.driver.openHome(userId);
    await waitForViews(t.slack, userId, before + 1);
    await waitForSettled(t);
  }
  for (const [who, userId] of [
    ['account manager', AM],
    ['admin', ADMIN],
  ] as const) {
    await open(userId); // warm-up
    clock.advance(60_000);
    await rec.start();
    await open(userId);
    printTrace(`Home tab opened by an ${who}`, await rec.files());
  }
  await rec.stop();
  await t.stop();
});
