import { CRM_DATA_EXPORT_AUDIT_KEY, exportedModels, importCrmData } from '../../src/domain/crm-data';

const TABLES = exportedModels().length;

import { openTestDatabase } from '../support/databases';
import { type FakeSlackFiles, fakeFilesOf } from '../support/fake-slack-files';
import { startTestApp, type TestApp } from '../support/harness';
import { ADMIN, AM, addRosterUsers, crm, ROSTER_ENV, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

describe('/crm export crm-data', () => {
  let t: TestApp;
  let files: FakeSlackFiles;
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV });
    files = fakeFilesOf(t.slack);
    addRosterUsers(t);
    await seedLead(t.deps.db.prisma, { customerId: 'C-77', name: 'Exported & Co', email: 'buyer@exported.example' });
  });
  afterAll(async () => t.stop());
  beforeEach(() => {
    t.slack.reset();
    files.reset();
  });

  async function responsesAfter(before: number, count: number): Promise<string[]> {
    const all = await t.slack.waitForResponse(before + count);
    return all.slice(before).map((r) => visibleText(r.body));
  }

  it('sends an admin the whole CRM as one JSON file in their DM with the app, and audits it', async () => {
    const before = t.slack.responses.length;
    await t.driver.crm(ADMIN, 'export crm-data');
    const [working, done] = await responsesAfter(before, 2);
    expect(working).toBe(':hourglass_flowing_sand: Preparing the export of the CRM data…');
    expect(done).toMatch(
      new RegExp(
        String.raw`^:white_check_mark: Sent to your direct messages with the app: [\d,]+ rows in ${TABLES} tables \(\d+ KB\)\.$`,
      ),
    );

    expect(files.shared).toHaveLength(1);
    const [upload] = files.sharedIn(`D${ADMIN}`);
    expect(upload!.filename).toMatch(/^crm-data-\d{4}-\d{2}-\d{2}\.json$/);
    expect(upload!.initialComment).toMatch(
      new RegExp(
        String.raw`^The CRM data export you asked for: [\d,]+ rows in ${TABLES} tables, at migration \d{14}_\w+\.`,
      ),
    );
    const doc = JSON.parse(upload!.bytes!.toString('utf8'));
    expect(doc).toMatchObject({ format: 'slack-crm-data', version: 1 });
    expect(doc.tables.CustomerFigures).toEqual([
      expect.objectContaining({ customerId: 'C-77', name: 'Exported & Co', email: 'buyer@exported.example' }),
    ]);

    const audit = await t.deps.db.prisma.auditEntry.findMany({ where: { setting: CRM_DATA_EXPORT_AUDIT_KEY } });
    expect(audit).toEqual([
      expect.objectContaining({
        actorId: ADMIN,
        oldValue: null,
        newValue: expect.stringMatching(
          new RegExp(String.raw`^JSON of all CRM data: [\d,]+ rows in ${TABLES} tables$`),
        ),
      }),
    ]);

    // What the admin downloads imports into an empty database.
    const dest = await openTestDatabase('sqlite');
    try {
      await importCrmData(dest.db.prisma, doc);
      expect(await dest.db.prisma.lead.count()).toBe(1);
    } finally {
      await dest.cleanup();
    }
  });

  it('refuses account managers, and sends nothing', async () => {
    expect(visibleText(await crm(t, AM, 'export crm-data'))).toBe('Only CRM admins can do that.');
    expect(t.slack.callsTo('files.getUploadURLExternal')).toEqual([]);
  });

  it('answers extra words with the usage', async () => {
    expect(visibleText(await crm(t, ADMIN, 'export crm-data please'))).toBe(
      '`/crm export crm-data` takes nothing after it.\nUsage: `/crm export [stage &lt;name&gt; | mine | uncontacted &lt;days&gt; | crm-data]`',
    );
    expect(t.slack.callsTo('files.getUploadURLExternal')).toEqual([]);
  });

  it('says so when Slack refuses the file, and the audit list keeps the attempt, marked not delivered', async () => {
    t.slack.failWith('files.completeUploadExternal', 'not_in_channel');
    const before = t.slack.responses.length;
    await t.driver.crm(ADMIN, 'export crm-data');
    const [, failed] = await responsesAfter(before, 2);
    expect(failed).toBe(
      'Could not send the export file to you (Slack answered `not_in_channel`). Please try again later.',
    );
    const last = await t.deps.db.prisma.auditEntry.findFirstOrThrow({
      where: { setting: CRM_DATA_EXPORT_AUDIT_KEY },
      orderBy: { id: 'desc' },
    });
    expect(last.newValue).toMatch(
      new RegExp(
        String.raw`^JSON of all CRM data: [\d,]+ rows in ${TABLES} tables \(not delivered: complete: not_in_channel\)$`,
      ),
    );
  });
});
