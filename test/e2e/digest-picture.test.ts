import { ManualClock } from '../../src/clock';
import type { CrmPrisma } from '../../src/db/client';
import { updateSetting } from '../../src/domain/settings';
import { runDigestJob } from '../../src/jobs/digest-job';
import { type FakeSlackFiles, fakeFilesOf } from '../support/fake-slack-files';
import { startTestApp, type TestApp } from '../support/harness';
import { seedLead } from '../support/seed-leads';

const ADMIN = 'U0ADMIN01';
const MANAGER = 'U0MGR0001';
const env = { CRM_ADMINS: ADMIN, CRM_MANAGERS: MANAGER };
const CHANNEL = 'C0DIGEST1';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Leads in three stages and two stage changes on 29 Nov: a digest with something to draw. */
async function seedPipeline(prisma: CrmPrisma): Promise<void> {
  const a = await seedLead(prisma, {
    customerId: 'c1',
    name: '<!channel> Evil & Co',
    stage: 'contacted',
    lifetimeUsdCents: 1_234_56n,
    lastOrderAt: new Date('2026-11-25T10:00:00Z'),
  });
  await seedLead(prisma, { customerId: 'c2', name: 'Beta', stage: 'lead', lifetimeUsdCents: 5_000_00n });
  const c = await seedLead(prisma, {
    customerId: 'c3',
    name: 'Gamma',
    stage: 'negotiation',
    lifetimeUsdCents: 99_999_99n,
  });
  const at = new Date('2026-11-29T10:00:00Z');
  await prisma.activity.create({
    data: {
      leadId: a,
      actorId: MANAGER,
      kind: 'stage_change',
      fromValue: 'lead',
      toValue: 'contacted',
      isTouch: true,
      createdAt: at,
    },
  });
  await prisma.activity.create({
    data: {
      leadId: c,
      actorId: MANAGER,
      kind: 'stage_change',
      fromValue: 'contacted',
      toValue: 'negotiation',
      isTouch: true,
      createdAt: at,
    },
  });
}

/** "*Contacted*: 1 lead · $1,234.56" lines of a posted digest, as label, count text and USD text. */
function pipelineLines(blocks: any[]): { label: string; leads: string; usd: string }[] {
  const section = blocks.find((b) => b.type === 'section' && b.text.text.startsWith('*Pipeline*'));
  return section.text.text
    .split('\n')
    .slice(1)
    .map((line: string) => {
      const m = /^\*(.+)\*: ([\d,]+ leads?) · (-?\$[\d,]+\.\d\d)/.exec(line)!;
      return { label: m[1]!, leads: m[2]!, usd: m[3]! };
    });
}

const digestPosts = (t: TestApp) => t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL);

describe('the pipeline picture with the channel digest', () => {
  const clock = new ManualClock('2026-11-30T04:00:00Z');
  let t: TestApp;
  let files: FakeSlackFiles;
  const run = () => runDigestJob(t.deps, t.server.built.app.client);

  beforeAll(async () => {
    t = await startTestApp({ env, clock });
    files = fakeFilesOf(t.slack);
    t.slack.channels.set(CHANNEL, { id: CHANNEL, name: 'sales-digest' });
    t.slack.botChannels.add(CHANNEL);
    await seedPipeline(t.deps.db.prisma);
    const { prisma } = t.deps.db;
    await updateSetting(prisma, t.deps.config, clock, ADMIN, 'digest_channel', CHANNEL);
    await updateSetting(prisma, t.deps.config, clock, ADMIN, 'digest_schedule', {
      frequency: 'daily',
      weekday: 1,
      time: '09:00',
      timeZone: 'Asia/Dubai',
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('posts the text, then shares the picture in the same channel through the external upload flow', async () => {
    clock.set('2026-11-30T05:00:00Z');
    expect(await run()).toBe('posted');

    const methods = t.slack.calls.map((c) => c.method);
    const posted = methods.indexOf('chat.postMessage');
    const reserved = methods.indexOf('files.getUploadURLExternal');
    const completed = methods.indexOf('files.completeUploadExternal');
    expect(posted).toBeGreaterThan(-1);
    expect(reserved).toBeGreaterThan(posted);
    expect(completed).toBeGreaterThan(reserved);

    const [picture] = files.sharedIn(CHANNEL);
    expect(files.shared).toHaveLength(1);
    expect(picture!.bytes!.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const reserve = t.slack.lastCall('files.getUploadURLExternal')!.args;
    expect(reserve).toMatchObject({ filename: 'crm-pipeline-2026-11-30.png', length: String(picture!.bytes!.length) });
    expect(files.uploads).toEqual([
      { fileId: picture!.id, status: 200, bytes: picture!.bytes!.length, authorization: undefined },
    ]);
    expect(t.slack.lastCall('files.completeUploadExternal')!.args).toMatchObject({
      channel_id: CHANNEL,
      files: [{ id: picture!.id, title: 'CRM pipeline by stage, 2026-11-30' }],
    });
    expect(picture!.initialComment).toBe(
      'Pipeline picture for this digest: Sun 29 Nov, 09:00 – Mon 30 Nov, 09:00 (Asia/Dubai).',
    );
    expect(picture!.threadTs).toBeNull();
  });

  it('gives the picture alt text with the digest text’s own figures', () => {
    const [post] = digestPosts(t);
    const [picture] = files.sharedIn(CHANNEL);
    const lines = pipelineLines(post!.args.blocks);
    expect(lines.map((l) => `${l.label}: ${l.leads}, ${l.usd}`)).toEqual([
      'Lead: 1 lead, $5,000.00',
      'Contacted: 1 lead, $1,234.56',
      'Negotiation: 1 lead, $99,999.99',
      'Trial Order: 0 leads, $0.00',
      'Active Account: 0 leads, $0.00',
      'Churned: 0 leads, $0.00',
    ]);
    for (const l of lines) expect(picture!.altText).toContain(`${l.label}: ${l.leads}, ${l.usd}`);
    expect(picture!.altText).toContain(
      'Stage changes in the period: 2 (Lead to Contacted: 1; Contacted to Negotiation: 1)',
    );
    expect(JSON.stringify(post!.args.blocks)).toContain('*Stage changes (2)*');
  });

  it('when the upload fails, the text digest still posts exactly once and the failure is logged', async () => {
    t.slack.reset();
    files.reset();
    const warn = jest.spyOn(t.deps.logger, 'warn');
    // Every attempt at the upload URL answers 500: the first try and both retries.
    files.failUploads(3, 500);
    clock.set('2026-12-01T05:00:00Z');
    expect(await run()).toBe('posted');
    expect(digestPosts(t)).toHaveLength(1);
    expect(files.uploads.map((u) => u.status)).toEqual([500, 500, 500]);
    expect(t.slack.callsTo('files.completeUploadExternal')).toHaveLength(0);
    expect(files.shared).toHaveLength(0);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ step: 'upload', code: 'http_500', channel: CHANNEL }),
      'digest picture could not be shared; the text digest stands',
    );
    const runRow = await t.deps.db.prisma.digestRun.findUnique({ where: { periodKey: 'daily:2026-12-01' } });
    expect(runRow).toMatchObject({ error: null });
    expect(runRow!.postedAt).not.toBeNull();

    // The period is done: a later check neither re-posts the text nor retries the picture.
    clock.set('2026-12-01T05:05:00Z');
    await run();
    expect(digestPosts(t)).toHaveLength(1);
    warn.mockRestore();
  });

  it('when Slack refuses to share the file, the text stands and the refusal is logged', async () => {
    t.slack.reset();
    files.reset();
    const warn = jest.spyOn(t.deps.logger, 'warn');
    t.slack.failWith('files.completeUploadExternal', 'file_uploads_disabled');
    clock.set('2026-12-02T05:00:00Z');
    expect(await run()).toBe('posted');
    expect(digestPosts(t)).toHaveLength(1);
    expect(files.shared).toHaveLength(0);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ step: 'complete', code: 'file_uploads_disabled', channel: CHANNEL }),
      'digest picture could not be shared; the text digest stands',
    );
    warn.mockRestore();
  });

  it('a quiet digest is one line and has no picture', async () => {
    const quiet = await startTestApp({ env, clock: new ManualClock('2026-11-25T09:00:00Z') });
    try {
      quiet.slack.channels.set(CHANNEL, { id: CHANNEL, name: 'sales-digest' });
      quiet.slack.botChannels.add(CHANNEL);
      const { prisma } = quiet.deps.db;
      await updateSetting(prisma, quiet.deps.config, quiet.clock, ADMIN, 'digest_channel', CHANNEL);
      await updateSetting(prisma, quiet.deps.config, quiet.clock, ADMIN, 'digest_schedule', {
        frequency: 'daily',
        weekday: 1,
        time: '09:00',
        timeZone: 'UTC',
      });
      expect(await runDigestJob(quiet.deps, quiet.server.built.app.client)).toBe('posted');
      expect(quiet.slack.callsTo('chat.postMessage')).toHaveLength(1);
      expect(quiet.slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    } finally {
      await quiet.stop();
    }
  });
});

describe('the pipeline picture with /crm digest', () => {
  let t: TestApp;
  let files: FakeSlackFiles;
  beforeAll(async () => {
    t = await startTestApp({ env, clock: new ManualClock('2026-11-30T12:00:00Z') });
    files = fakeFilesOf(t.slack);
    await seedPipeline(t.deps.db.prisma);
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => {
    t.slack.reset();
    files.reset();
  });

  it('sends the picture to the asker’s direct messages with the app, nowhere else', async () => {
    await t.driver.crm(MANAGER, 'digest');
    const responses = await t.slack.waitForResponse(2);
    expect(responses[0]!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(responses[0]!.body.blocks)).toContain('only you can see this preview');
    expect(responses[1]!.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'The pipeline picture for this preview is in your messages with the CRM app.',
    });

    expect(t.slack.lastCall('conversations.open')!.args).toMatchObject({ users: MANAGER });
    expect(files.shared).toHaveLength(1);
    const [picture] = files.shared;
    expect(picture!.channelId).toBe(`D${MANAGER}`);
    expect(picture!.bytes!.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(picture!.initialComment).toMatch(
      /^Pipeline picture for your digest preview of .*\. Only you can see it here\.$/,
    );
    expect(picture!.altText).toContain('Contacted: 1 lead, $1,234.56');
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('says so when the picture cannot be sent, after the preview itself', async () => {
    const warn = jest.spyOn(t.deps.logger, 'warn');
    t.slack.failWith('files.getUploadURLExternal', 'file_uploads_disabled');
    await t.driver.crm(MANAGER, 'digest');
    const responses = await t.slack.waitForResponse(2);
    expect(JSON.stringify(responses[0]!.body.blocks)).toContain('CRM digest preview');
    expect(responses[1]!.body.text).toBe(
      'The pipeline picture could not be sent (the preview above has the same figures). The problem has been logged.',
    );
    expect(files.shared).toHaveLength(0);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ step: 'get_upload_url', code: 'file_uploads_disabled', user: MANAGER }),
      expect.any(String),
    );
    warn.mockRestore();
  });
});
