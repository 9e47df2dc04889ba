import { ManualClock } from '../../src/clock';
import { type FakeSlackFiles, fakeFilesOf } from '../support/fake-slack-files';
import { startTestApp, type TestApp } from '../support/harness';
import { parseRfc4180 } from '../support/rfc4180';
import { seedLead } from '../support/seed-leads';

const ADMIN = 'U0ADMIN01';
const MANAGER = 'U0MGR0001';
const AM = 'U0AM00001';
const GUEST = 'U0GUEST01';
const OUTSIDER = 'U0NOBODY1';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const HEADER = [
  'Customer ID',
  'Name',
  'Company',
  'Stage',
  'Owner',
  'Owner Slack ID',
  'Markets',
  'Lifetime USD',
  'Not converted to USD',
  'Lifetime AED',
  'Lifetime KWD',
  'Last order (Asia/Dubai)',
  'Last touch (Asia/Dubai)',
  'Next follow-up (Asia/Dubai)',
];

describe('/crm export', () => {
  let t: TestApp;
  let files: FakeSlackFiles;

  beforeAll(async () => {
    t = await startTestApp({
      env: { CRM_ADMINS: ADMIN, CRM_MANAGERS: `${MANAGER},${GUEST}`, CRM_ACCOUNT_MANAGERS: AM },
      clock: new ManualClock('2026-11-30T08:00:00Z'),
    });
    files = fakeFilesOf(t.slack);
    for (const id of [ADMIN, MANAGER]) t.slack.addUser({ id, tz: 'Asia/Dubai' });
    t.slack.addUser({ id: AM, tz: 'Asia/Dubai', real_name: 'عائشة "Ace" Khan' });
    t.slack.addUser({ id: GUEST, is_restricted: true });
    const { prisma } = t.deps.db;
    const order = new Date('2026-11-20T21:30:00Z');
    await seedLead(prisma, {
      customerId: 'c-evil',
      name: '<!channel> Evil & Co',
      company: 'Smith, Jones "and" Partners',
      stage: 'negotiation',
      ownerId: AM,
      lifetimeUsdCents: 1_234_567_89n,
      lastOrderAt: order,
      markets: 'AE,KW',
    });
    await seedLead(prisma, {
      customerId: 'c-ar',
      name: 'شركة الخليج للتجارة',
      company: 'Two\nlines, "quoted"',
      stage: 'lead',
      ownerId: null,
      lifetimeUsdCents: 5_00n,
      unknownCurrencies: 'XYZ',
      lastOrderAt: order,
    });
    await seedLead(prisma, {
      customerId: 'c-jp',
      name: '株式会社テスト',
      stage: 'negotiation',
      ownerId: MANAGER,
      lifetimeUsdCents: 99_00n,
      lastOrderAt: order,
      lastTouchAt: new Date('2026-11-29T20:15:00Z'),
    });
    await seedLead(prisma, {
      customerId: 'c-formula',
      name: '=HYPERLINK("http://evil.example","click")',
      company: '@SUM(A1)',
      stage: 'contacted',
      ownerId: AM,
      lifetimeUsdCents: 1n,
      lastOrderAt: null,
    });
    await prisma.customerCurrencyTotal.createMany({
      data: [
        { customerId: 'c-evil', currency: 'AED', market: 'AE', orderCount: 1, lifetimeMinor: 100_050n },
        { customerId: 'c-evil', currency: 'KWD', market: 'KW', orderCount: 2, lifetimeMinor: 1_234_567n },
      ],
    });
    const evil = await prisma.lead.findUniqueOrThrow({ where: { customerId: 'c-evil' } });
    await prisma.followUpAlert.create({
      data: {
        leadId: evil.id,
        ownerId: AM,
        message: 'call',
        kind: 'once',
        timeOfDay: '09:00',
        timeZone: 'Asia/Dubai',
        startDate: '2026-12-01',
        nextDueAt: new Date('2026-12-01T05:00:00Z'),
        active: true,
        createdBy: AM,
      },
    });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => {
    t.slack.reset();
    files.reset();
  });

  const readCsv = (bytes: Buffer) => {
    expect(bytes.subarray(0, 3)).toEqual(BOM);
    const text = bytes.toString('utf8');
    return parseRfc4180(text.slice(1));
  };
  const exportAudit = () =>
    t.deps.db.prisma.auditEntry.findMany({ where: { setting: 'export:leads' }, orderBy: { id: 'asc' } });

  it('sends a manager every lead as a CSV in their messages with the app, reading back exactly', async () => {
    await t.driver.crm(MANAGER, 'export');
    const [reply] = await t.slack.waitForResponse(1);
    expect(reply!.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Your export (CSV of 4 leads: all leads) is in your messages with the CRM app.',
    });

    expect(t.slack.lastCall('conversations.open')!.args).toMatchObject({ users: MANAGER });
    expect(files.shared).toHaveLength(1);
    const [file] = files.shared;
    expect(file).toMatchObject({
      channelId: `D${MANAGER}`,
      filename: 'crm-leads-all-2026-11-30.csv',
      initialComment: 'Your CRM export: CSV of 4 leads: all leads.',
    });
    expect(t.slack.lastCall('files.getUploadURLExternal')!.args.length).toBe(String(file!.bytes!.length));

    expect(readCsv(file!.bytes!)).toEqual([
      HEADER,
      [
        'c-evil',
        '<!channel> Evil & Co',
        'Smith, Jones "and" Partners',
        'Negotiation',
        'عائشة "Ace" Khan',
        AM,
        'AE, KW',
        '1234567.89',
        '',
        '1000.50',
        '1234.567',
        '2026-11-21 01:30',
        '',
        '2026-12-01 09:00',
      ],
      [
        'c-jp',
        '株式会社テスト',
        '',
        'Negotiation',
        MANAGER.toLowerCase(),
        MANAGER,
        'AE',
        '99.00',
        '',
        '',
        '',
        '2026-11-21 01:30',
        '2026-11-30 00:15',
        '',
      ],
      [
        'c-ar',
        'شركة الخليج للتجارة',
        'Two\nlines, "quoted"',
        'Lead',
        '',
        '',
        'AE',
        '5.00',
        'XYZ',
        '',
        '',
        '2026-11-21 01:30',
        '',
        '',
      ],
      [
        'c-formula',
        `'=HYPERLINK("http://evil.example","click")`,
        "'@SUM(A1)",
        'Contacted',
        'عائشة "Ace" Khan',
        AM,
        'AE',
        '0.01',
        '',
        '',
        '',
        '',
        '',
        '',
      ],
    ]);

    const audit = await exportAudit();
    expect(audit.at(-1)).toMatchObject({ actorId: MANAGER, oldValue: null, newValue: 'CSV of 4 leads: all leads' });
  });

  it('gives an account manager only the leads they own, and shows admins the export in the audit list', async () => {
    await t.driver.crm(AM, 'export stage negotiation');
    const [reply] = await t.slack.waitForResponse(1);
    expect(reply!.body.text).toBe(
      'Your export (CSV of 1 lead: stage Negotiation (own leads only)) is in your messages with the CRM app.',
    );
    const rows = readCsv(files.shared[0]!.bytes!);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['c-evil']);
    expect(files.shared[0]!.channelId).toBe(`D${AM}`);

    await t.driver.openHome(ADMIN);
    const home = await t.slack.waitFor(
      () => t.slack.callsTo('views.publish').find((c) => c.args.user_id === ADMIN),
      'admin home',
    );
    const audit = home.args.view.blocks.find((b: any) => b.block_id === 'admin:audit').text.text;
    expect(audit).toContain(`<@${AM}> · Export: CSV of 1 lead: stage Negotiation (own leads only)`);
    expect(audit).toContain(`<@${MANAGER}> · Export: CSV of 4 leads: all leads`);
  });

  it('exports the uncontacted question and “mine” like the lists of the same name', async () => {
    await t.driver.crm(MANAGER, 'export uncontacted 30');
    await t.slack.waitForResponse(1);
    expect(
      readCsv(files.shared[0]!.bytes!)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(['c-evil', 'c-ar']);
    expect(files.shared[0]!.filename).toBe('crm-leads-uncontacted-30d-2026-11-30.csv');

    await t.driver.crm(AM, 'export mine');
    await t.slack.waitForResponse(2);
    expect(
      readCsv(files.shared[1]!.bytes!)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(['c-evil', 'c-formula']);
  });

  it('answers a mistyped request with the usage, sending and auditing nothing', async () => {
    const before = (await exportAudit()).length;
    await t.driver.crm(MANAGER, 'export stage <bogus>');
    const [reply] = await t.slack.waitForResponse(1);
    expect(reply!.body.text).toBe(
      '“&lt;bogus&gt;” is not a stage. Stages: Lead, Contacted, Negotiation, Trial Order, Active Account, Churned.\nUsage: `/crm export [stage &lt;name&gt; | mine | uncontacted &lt;days&gt; | crm-data]`',
    );
    expect(files.shared).toHaveLength(0);
    expect(await exportAudit()).toHaveLength(before);
  });

  it('says when nothing matches, without a file', async () => {
    await t.driver.crm(MANAGER, 'export stage churned');
    const [reply] = await t.slack.waitForResponse(1);
    expect(reply!.body.text).toBe('No leads to export (stage Churned).');
    expect(t.slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('when the file cannot be sent: says so, logs it, and the audit entry records it was not delivered', async () => {
    const error = jest.spyOn(t.deps.logger, 'error');
    files.failUploads(3, 500);
    await t.driver.crm(MANAGER, 'export');
    const [reply] = await t.slack.waitForResponse(1);
    expect(reply!.body.text).toBe(
      'Sorry, the export file could not be sent to your messages with the CRM app. The problem has been logged; try again later.',
    );
    expect(files.shared).toHaveLength(0);
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ user: MANAGER, rows: 4 }),
      'lead export could not be sent',
    );
    expect((await exportAudit()).at(-1)!.newValue).toBe('CSV of 4 leads: all leads (not delivered: upload: http_500)');
    error.mockRestore();
  });

  it('refuses guests and people off the roster', async () => {
    await t.driver.crm(GUEST, 'export');
    await t.driver.crm(OUTSIDER, 'export');
    const replies = await t.slack.waitForResponse(2);
    expect(replies.map((r) => r.body.text).sort()).toEqual([
      'Sorry, the CRM is not available to guest accounts.',
      'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.',
    ]);
    expect(files.shared).toHaveLength(0);
  });

  it('hands `crm-data` to the admins’ full data export: an account manager is refused it', async () => {
    await t.driver.crm(AM, 'export crm-data');
    const [reply] = await t.slack.waitForResponse(1);
    expect(reply!.body.text).toBe('Only CRM admins can do that.');
    expect(files.shared).toHaveLength(0);
  });
});
