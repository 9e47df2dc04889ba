import type { DoctorReport } from '../../src/common/doctor-report';
import { buildDoctorModal, buildDoctorReportMessage } from '../../src/slack/views/doctor-report-blocks';

const report: DoctorReport = {
  checkedAt: new Date('2026-11-25T09:00:00Z'),
  checks: [
    { id: 'config', title: 'Configuration', status: 'ok', finding: 'valid' },
    {
      id: 'digest_channel',
      title: 'Digest channel',
      status: 'fail',
      finding: 'the bot is not a member of #<!channel>&co',
      fix: 'Type /invite @crm in #<!channel>&co.',
    },
    {
      id: 'slack_scopes',
      title: 'Slack scopes',
      status: 'warn',
      finding: 'extra: im:history',
      fix: 'Remove it.',
      details: ['x'.repeat(5000)],
    },
    {
      id: 'socket_mode',
      title: 'Socket Mode',
      status: 'skip',
      finding: 'not used',
      fix: 'never shown for a skipped check',
    },
  ],
};

describe('the setup check in Block Kit', () => {
  it('marks each check, escapes what it found, and gives the fix of problems only', () => {
    const { text, blocks } = buildDoctorReportMessage(report);
    expect(text).toBe('Setup check: 1 problem to fix, 1 warning.');
    const byId = Object.fromEntries(blocks.map((b: any) => [b.block_id, b]));
    expect(byId['doctor:config'].text.text).toBe(':white_check_mark: *Configuration*: valid');
    expect(byId['doctor:digest_channel'].text.text).toBe(
      ':x: *Digest channel*: the bot is not a member of #&lt;!channel&gt;&amp;co\n_Fix:_ Type /invite @crm in #&lt;!channel&gt;&amp;co.',
    );
    expect(byId['doctor:socket_mode'].text.text).toBe(':heavy_minus_sign: *Socket Mode*: not used');
    expect(byId['doctor:summary'].elements[0].text).toBe(
      ':x: 1 problem to fix, 1 warning. Checked 2026-11-25 09:00 UTC; `npm run doctor` on the server prints the same report.',
    );
  });

  it('stays within Block Kit limits: section text at most 3,000 characters, header and title short', () => {
    const { blocks } = buildDoctorReportMessage(report);
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks as any[]) if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3000);
    const modal = buildDoctorModal(report);
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(modal.blocks.length).toBeLessThanOrEqual(100);
  });

  it('says the checks are running before the report is ready, and if the check itself failed', () => {
    expect(buildDoctorModal('running').blocks).toEqual([expect.objectContaining({ block_id: 'doctor:running' })]);
    expect(buildDoctorModal('failed').blocks).toEqual([expect.objectContaining({ block_id: 'doctor:failed' })]);
  });
});
