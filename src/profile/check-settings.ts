import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../cli/errors.js';
import { resolveSettings } from '../cli/resolve-settings.js';
import type { SettingsOverrides } from '../loadgen/settings.js';
import type { ScenarioName } from '../loadgen/types.js';
import { BUILTIN_SCENARIOS_DIR } from '../workloads/paths.js';
import type { WorkloadDefinition } from '../workloads/types.js';

/**
 * Resolves the settings of every kind of step the profile runs (each performance scenario, and
 * the Offline accuracy pass) as the cells will, so a bad value stops the profile before anything
 * runs instead of failing every cell. Returns every distinct problem.
 */
export function settingsProblems(
  scenarios: readonly ScenarioName[],
  profile: string,
  overrides: SettingsOverrides,
  defaults: WorkloadDefinition['defaults'],
): string[] {
  if (!existsSync(join(BUILTIN_SCENARIOS_DIR, profile))) {
    const known = readdirSync(BUILTIN_SCENARIOS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory());
    return [`--profile ${profile}: no such profile (built-in profiles: ${known.map((d) => d.name).join(', ')})`];
  }
  const steps: { scenario: ScenarioName; mode: 'performance' | 'accuracy' }[] = [
    { scenario: 'offline', mode: 'accuracy' },
    ...scenarios.map((scenario) => ({ scenario, mode: 'performance' as const })),
  ];
  const problems: string[] = [];
  for (const { scenario, mode } of steps) {
    try {
      resolveSettings({ scenario, mode, profile, scenarioFile: null, workloadDefaults: defaults, flags: overrides });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      // The same bad flag fails every scenario: say it once, for the first.
      if (!problems.some((p) => p.endsWith(error.message))) problems.push(`${scenario}${mode === 'accuracy' ? ' accuracy pass' : ''}: ${error.message}`);
    }
  }
  return problems;
}
