import type { CheckResult } from '../common/doctor-report';
import { type AppConfig, ConfigError, loadConfig } from '../config';

export interface ConfigCheck {
  /** Null when the configuration is not valid: nothing else can be checked. */
  config: AppConfig | null;
  /** Set when the configuration is not valid; a valid one is described by `configSummary`. */
  failure: CheckResult | null;
}

/**
 * Validates the environment with the app's own schema. Each bad or missing variable is
 * named; values of secrets are never repeated (config.ts redacts them).
 */
export function checkConfig(env: NodeJS.ProcessEnv): ConfigCheck {
  try {
    return { config: loadConfig(env), failure: null };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const n = err.problems.length;
    return {
      config: null,
      failure: {
        id: 'config',
        title: 'Configuration',
        status: 'fail',
        finding: `${n} ${n === 1 ? 'variable needs' : 'variables need'} attention`,
        fix: 'Set them in the environment the app starts with (README, section Configuration), then run the doctor again.',
        details: err.problems,
      },
    };
  }
}
