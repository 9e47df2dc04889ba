// `npm run doctor`: checks the configuration, the database, Slack and Metabase, prints a
// report with a fix for each problem, and exits 1 when anything failed (0 with warnings only).

import { summarise } from '../common/doctor-report';
import { loadDotEnvOrExit } from '../load-dot-env';
import { formatDoctorReport } from './format-text';
import { doctorFromEnvironment, secretValuesIn } from './from-environment';

loadDotEnvOrExit(2);
doctorFromEnvironment(process.env).then(
  (report) => {
    const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
    process.stdout.write(formatDoctorReport(report, { colour }));
    process.exitCode = summarise(report).ok ? 0 : 1;
  },
  (err: unknown) => {
    // A bug of the doctor's own, not a finding: say so without a stack trace full of values.
    const message = secretValuesIn(process.env).reduce<string>(
      (m, secret) => (secret ? m.split(secret).join('[redacted]') : m),
      (err as Error)?.message ?? String(err),
    );
    process.stderr.write(`The doctor itself failed: ${message}\n`);
    process.exitCode = 2;
  },
);
