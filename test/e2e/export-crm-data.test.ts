import { startTestApp, type TestApp } from '../support/harness';
import { openTestDatabase } from '../support/databases';
import { addRosterUsers, ADMIN, AM, crm, ROSTER_ENV, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';
import { CRM_DATA_EXPORT_AUDIT_KEY, importCrmData } from '../../src/domain/crm-data';

describe('/crm export crm-data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV });
    addRosterUsers(t);
    await seedLead(t.deps.db.prisma, { customerId: 'C-77', name: 'Exported & Co', email: 'buyer@exported.example' });
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());

  async function responsesAfter(before: number, count: number): Promise<string[]> {
    const all = await t.slack.waitForResponse(before + count, 10_000);
    return all.slice(before).map((r) => visibleText(r.body));
  }

  it('sends an admin the whole CRM as one JSON file in their DM with the app, and audits it', async () => {
    const before = t.slack.responses.length;
    await t.driver.crm(ADMIN, 'export crm-data');
    const [working, done] = await responsesAfter(before, 2);
    expect(working).toBe(':hourglass_flowing_sand: Preparing the export of the CRM data…');
    expect(done).toMatch(/^:white_check_mark: Sent to your direct messages with the app: [\d,]+ rows in 15 tables \(\d+ KB\)\.$/);

    const intro = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === ADMIN)!;
    expect(intro.args.text).toMatch(/^The CRM data export you asked for: [\d,]+ rows in 15 tables, at migration \d{14}_\w+\./);
    const upload = [...t.slack.uploads.values()].at(-1)!;
    expect(upload.filename).toMatch(/^crm-data-\d{4}-\d{2}-\d{2}\.json$/);
    expect(upload.shared).toMatchObject({ channelId: `D${ADMIN}` });
    const doc = JSON.parse(upload.bytes!.toString('utf8'));
    expect(doc).toMatchObject({ format: 'slack-crm-data', version: 1 });
    expect(doc.tables.CustomerFigures).toEqual([expect.objectContaining({ customerId: 'C-77', name: 'Exported & Co', email: 'buyer@exported.example' })]);

    const audit = await t.deps.db.prisma.auditEntry.findMany({ where: { setting: CRM_DATA_EXPORT_AUDIT_KEY } });
    expect(audit).toEqual([expect.objectContaining({ actorId: ADMIN, oldValue: null, newValue: expect.stringMatching(/ rows in 15 tables$/) })]);

    // What the admin downloads imports into an empty database.
    const dest = await openTestDatabase('sqlite');
    try {
      await importCrmData(dest.db.prisma, 'sqlite', doc);
      expect(await dest.db.prisma.lead.count()).toBe(1);
    } finally {
      await dest.cleanup();
    }
  });

  it('refuses account managers, and sends nothing', async () => {
    const uploads = t.slack.uploads.size;
    const text = visibleText(await crm(t, AM, 'export crm-data'));
    expect(text).toMatch(/admin/i);
    expect(t.slack.uploads.size).toBe(uploads);
    expect(t.slack.callsTo('files.getUploadURLExternal')).toEqual([]);
  });

  it('answers a bare or unknown export with its usage', async () => {
    expect(visibleText(await crm(t, ADMIN, 'export'))).toBe('Say what to export: `crm-data` (everything, as JSON).\nUsage: `/crm export crm-data`');
    expect(visibleText(await crm(t, ADMIN, 'export everything'))).toContain('Usage: `/crm export crm-data`');
  });

  it('says so when Slack refuses the file, and audits nothing', async () => {
    const audits = await t.deps.db.prisma.auditEntry.count({ where: { setting: CRM_DATA_EXPORT_AUDIT_KEY } });
    t.slack.failWith('files.completeUploadExternal', 'not_in_channel');
    const before = t.slack.responses.length;
    await t.driver.crm(ADMIN, 'export crm-data');
    const [, failed] = await responsesAfter(before, 2);
    expect(failed).toBe('Could not send the export file to you (Slack answered `not_in_channel`). Please try again later.');
    expect(await t.deps.db.prisma.auditEntry.count({ where: { setting: CRM_DATA_EXPORT_AUDIT_KEY } })).toBe(audits);
  });
});
