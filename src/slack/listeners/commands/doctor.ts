import { buildDoctorReportMessage, DOCTOR_RUNNING_TEXT } from '../../views/doctor-report-blocks';
import { type Subcommand, UsageError } from './subcommand';

/**
 * `/crm doctor` (admins): the setup check. The command is acknowledged before this runs;
 * the checks take seconds, so a "checking" reply comes first and the report after.
 */
export const doctorSubcommand: Subcommand = {
  name: 'doctor',
  usage: '/crm doctor',
  description: 'check the setup: configuration, database, Slack, Metabase (admins)',
  access: 'admin',
  async run(ctx) {
    if (ctx.args) throw new UsageError('`/crm doctor` takes no arguments.');
    await ctx.reply({ text: DOCTOR_RUNNING_TEXT });
    // The doctor is loaded when asked for: an admin runs it now and then.
    const { runDoctorInApp } = await import('../../../doctor/in-app');
    const report = await runDoctorInApp(ctx.deps, ctx.client);
    await ctx.reply(buildDoctorReportMessage(report));
  },
};
