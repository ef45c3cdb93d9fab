import { UserError } from '../cli/errors.js';
import { resolveSettings } from '../cli/resolve-settings.js';
import type { SettingsOverrides } from '../loadgen/settings.js';
import type { ScenarioName } from '../loadgen/types.js';
import type { WorkloadDefinition } from '../workloads/types.js';
import type { ProfilePlan } from './types.js';

/**
 * Resolves the settings of every kind of step the plan runs (each performance scenario, and the
 * Offline accuracy pass) as the cells will, so a bad value stops the profile before anything
 * runs instead of failing every cell. Returns every distinct problem.
 */
export function settingsProblems(plan: ProfilePlan, overrides: SettingsOverrides, defaults: WorkloadDefinition['defaults']): string[] {
  const steps: { scenario: ScenarioName; mode: 'performance' | 'accuracy' }[] = [
    { scenario: 'offline', mode: 'accuracy' },
    ...plan.scenarios.map((scenario) => ({ scenario, mode: 'performance' as const })),
  ];
  const problems: string[] = [];
  for (const { scenario, mode } of steps) {
    try {
      resolveSettings({ scenario, mode, profile: plan.profile, scenarioFile: null, workloadDefaults: defaults, flags: overrides });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      const message = `${scenario}${mode === 'accuracy' ? ' accuracy pass' : ''}: ${error.message}`;
      if (!problems.some((p) => p.endsWith(error.message))) problems.push(message);
    }
  }
  return problems;
}
