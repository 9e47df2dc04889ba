import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../clock';
import { type AppConfig, loadConfig } from '../config';
import { type Database, openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import type { AppDeps } from '../deps';
import { raiseAdminNotice } from '../domain/admin-notices';
import { digestFiguresFor, saveSnapshot } from '../domain/digest-figures';
import { latestDigestPeriod } from '../domain/digest-schedule';
import { validateFollowUpForm } from '../domain/follow-ups/follow-up-input';
import { createFollowUp } from '../domain/follow-ups/follow-ups';
import { syncLeadsFromProduction } from '../domain/lead-sync';
import { addNote, changeOwner, changeStage, updateContact } from '../domain/leads';
import { seedDefaultRates } from '../domain/rates';
import { changeRates } from '../domain/revalue-figures';
import { seedRosterFromConfig } from '../domain/roster';
import { getAllSettings, updateSetting } from '../domain/settings';
import { createLogger } from '../logger';
import {
  DEMO_CUSTOMERS,
  DEMO_EVENTS,
  DEMO_NOW,
  DEMO_ORDERS,
  DEMO_TIME_ZONE,
  DEMO_USERS,
  type DemoEvent,
} from './demo-data';
import { DemoProduction } from './demo-production';

/** The demo book loaded into a throwaway CRM database, with the app's dependencies around it. */
export interface DemoWorld {
  deps: AppDeps;
  clock: ManualClock;
  production: DemoProduction;
  /** Lead id by customer id. */
  leadIds: Map<string, number>;
  /** Follow-up ids in the order the demo created them. */
  followUpIds: number[];
  /** Which sync round production is at: the second brings the newer customers. */
  syncRound: { current: 1 | 2 };
  close(): Promise<void>;
}

function demoConfig(databaseUrl: string): AppConfig {
  return loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-preview-not-a-token',
    SLACK_APP_TOKEN: 'xapp-preview-not-a-token',
    DATABASE_URL: databaseUrl,
    CRM_ADMINS: DEMO_USERS.admin,
    CRM_MANAGERS: DEMO_USERS.manager,
    CRM_ACCOUNT_MANAGERS: `${DEMO_USERS.accountManager},${DEMO_USERS.otherAccountManager}`,
    CRM_TIMEZONE: DEMO_TIME_ZONE,
    LOG_LEVEL: 'silent',
  });
}

async function leadIdOf(world: Pick<DemoWorld, 'deps' | 'leadIds'>, customerId: string): Promise<number> {
  const known = world.leadIds.get(customerId);
  if (known !== undefined) return known;
  const lead = await world.deps.db.prisma.lead.findUniqueOrThrow({ where: { customerId }, select: { id: true } });
  world.leadIds.set(customerId, lead.id);
  return lead.id;
}

async function apply(world: DemoWorld, event: DemoEvent): Promise<void> {
  const { deps, clock } = world;
  const { prisma } = deps.db;
  clock.set(event.at);
  switch (event.kind) {
    case 'sync': {
      world.syncRound.current = event.round;
      const run = await syncLeadsFromProduction(deps, world.production, { trigger: 'preview' });
      if (run.status !== 'ok') throw new Error(`demo sync failed: ${run.error}`);
      return;
    }
    case 'owner':
      await changeOwner(prisma, clock, {
        leadId: await leadIdOf(world, event.customerId),
        actorId: event.by,
        ownerId: event.ownerId,
      });
      return;
    case 'stage':
      await changeStage(prisma, clock, {
        leadId: await leadIdOf(world, event.customerId),
        actorId: event.by,
        toStage: event.to,
        note: event.note ?? null,
        churnReason: event.churnReason ?? null,
      });
      return;
    case 'note':
      await addNote(prisma, clock, {
        leadId: await leadIdOf(world, event.customerId),
        actorId: event.by,
        text: event.text,
      });
      return;
    case 'contact':
      await updateContact(prisma, clock, {
        leadId: await leadIdOf(world, event.customerId),
        actorId: event.by,
        contact: { name: event.name, role: event.role, email: event.email, phone: event.phone },
      });
      return;
    case 'digest_snapshot': {
      // The digest posted a week ago: its figures are what this week's changes are counted from.
      const settings = await getAllSettings(prisma, deps.config);
      const period = latestDigestPeriod(settings.digest_schedule, clock.now());
      await saveSnapshot(prisma, await digestFiguresFor(prisma, settings, period, clock.now()), period.periodKey);
      return;
    }
    case 'rate':
      await changeRates(prisma, [{ currency: event.currency, usdPerUnit: event.usdPerUnit, actorId: event.by }], clock);
      return;
    case 'digest_channel':
      await updateSetting(prisma, deps.config, clock, event.by, 'digest_channel', event.channel);
      return;
    case 'digest_schedule':
      await updateSetting(prisma, deps.config, clock, event.by, 'digest_schedule', {
        frequency: 'weekly',
        weekday: 1,
        time: '08:00',
        timeZone: DEMO_TIME_ZONE,
      });
      return;
    case 'follow_up': {
      const form = {
        message: event.message,
        kind: event.kindOf,
        date: event.date,
        time: event.time,
        interval: null,
        weekday: event.weekday ? String(event.weekday) : null,
        dayOfMonth: null,
      };
      const valid = validateFollowUpForm(form, DEMO_TIME_ZONE, clock.now());
      if (!valid.ok) throw new Error(`demo follow-up refused: ${JSON.stringify(valid.errors)}`);
      const created = await createFollowUp(prisma, clock, {
        leadId: await leadIdOf(world, event.customerId),
        ownerId: event.ownerId,
        createdBy: event.by,
        message: valid.message,
        schedule: valid.schedule,
        firstDueAt: valid.firstDueAt,
      });
      world.followUpIds.push(created.id);
      return;
    }
    case 'digest_failed':
      await raiseAdminNotice(
        prisma,
        { kind: 'digest_not_posted', frequency: 'weekly', channelId: event.channel, error: event.error },
        clock.now(),
      );
      return;
  }
}

/**
 * Builds the demo world: a new SQLite database in a temporary folder, migrated like the
 * app's, seeded at start-up like the app's (roster, default rates), then every demo event
 * applied through the domain, ending at DEMO_NOW. `close()` deletes the folder.
 */
export async function buildDemoWorld(): Promise<DemoWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-preview-'));
  const url = `file:${join(dir, 'preview.db')}`;
  let db: Database | null = null;
  try {
    await migrateDatabase(url);
    db = openDatabase(url);
    const clock = new ManualClock(DEMO_EVENTS[0]!.at);
    const config = demoConfig(url);
    const deps: AppDeps = {
      config,
      db,
      production: null,
      clock,
      logger: createLogger('silent'),
      instanceId: 'preview',
    };
    const syncRound: DemoWorld['syncRound'] = { current: 1 };
    const production = new DemoProduction(DEMO_CUSTOMERS, DEMO_ORDERS, clock, (c) => c.firstSync <= syncRound.current);
    deps.production = production;
    await seedRosterFromConfig(db.prisma, {
      admins: config.CRM_ADMINS,
      managers: config.CRM_MANAGERS,
      accountManagers: config.CRM_ACCOUNT_MANAGERS,
    });
    await seedDefaultRates(db.prisma, clock);
    const opened = db;
    const world: DemoWorld = {
      deps,
      clock,
      production,
      leadIds: new Map(),
      followUpIds: [],
      syncRound,
      close: async () => {
        await opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    for (const event of DEMO_EVENTS) await apply(world, event);
    clock.set(DEMO_NOW);
    return world;
  } catch (err) {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
