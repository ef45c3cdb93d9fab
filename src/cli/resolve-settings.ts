import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_DEFAULTS, OFFICIAL_SEEDS, type SettingsOverrides, type TestSettings } from '../loadgen/settings.js';
import type { ScenarioName, TestMode } from '../loadgen/types.js';
import type { ConfigProblem } from '../results/config-problem.js';
import { formatProblems } from '../results/config-problem.js';
import { validateDocument } from '../results/validate.js';
import { readJsonFile } from '../workloads/load-workload.js';
import { BUILTIN_SCENARIOS_DIR } from '../workloads/paths.js';
import { UserError } from './errors.js';

export interface SettingsSources {
  readonly scenario: ScenarioName;
  readonly mode: TestMode;
  /** A built-in profile name (quick, official) or null when `scenarioFile` is given. */
  readonly profile: string;
  readonly scenarioFile: string | null;
  /** The workload's defaults per scenario; the resolved scenario's are applied. */
  readonly workloadDefaults: Partial<Record<ScenarioName, SettingsOverrides>>;
  readonly flags: SettingsOverrides;
  /** LLM streams: TTFT/TPOT measured, Server judged on them (the backend decides). */
  readonly tokenLatencies?: boolean;
  /** --scenario interactive: Server with the interactive token bounds. */
  readonly interactive?: boolean;
}

export interface ResolvedSettings {
  readonly effective: TestSettings;
  /** What each source asked for, before merging: stored in result.json. */
  readonly requested: Record<string, unknown>;
}

export function scenarioFilePath(scenario: ScenarioName, profile: string): string {
  return join(BUILTIN_SCENARIOS_DIR, profile, `${scenario}.json`);
}

/**
 * Merges built-in defaults < scenario file < workload defaults < flags, then checks the result
 * as a whole. Every problem is collected and reported in one UserError.
 */
export function resolveSettings(sources: SettingsSources): ResolvedSettings {
  const path = sources.scenarioFile ?? scenarioFilePath(sources.scenario, sources.profile);
  if (sources.scenarioFile === null && !existsSync(path)) {
    throw new UserError('flag', `--profile ${sources.profile}: no such profile (looked for ${path}); built-in profiles: quick, official`);
  }
  const file = readJsonFile(path, 'scenario file') as { scenario?: string; settings?: SettingsOverrides };
  const problems: ConfigProblem[] = validateDocument('scenario', file, path);
  problems.push(...flagProblems(sources.scenario, sources.flags));
  const fromFile = file.settings ?? {};
  // A scenario file of the user's names its scenario, and that wins over --scenario.
  const scenario = (sources.scenarioFile !== null && typeof file.scenario === 'string' ? file.scenario : sources.scenario) as ScenarioName;
  const workloadDefaults = sources.workloadDefaults[scenario] ?? {};
  const merged = {
    ...BUILTIN_DEFAULTS,
    ...stripUndefined(fromFile),
    ...stripUndefined(workloadDefaults),
    ...stripUndefined(sources.flags),
    seeds: { ...OFFICIAL_SEEDS, ...fromFile.seeds, ...workloadDefaults.seeds, ...sources.flags.seeds },
  };
  const token = { tokenLatencies: sources.tokenLatencies === true, interactive: sources.interactive === true };
  const effective: TestSettings = Object.freeze({ ...merged, ...token, scenario, mode: sources.mode });
  problems.push(...crossCheck(effective));
  if (problems.length > 0) throw new UserError('config', `invalid settings:\n${formatProblems(problems)}`);
  return {
    effective,
    requested: {
      scenario,
      mode: sources.mode,
      scenarioFile: path,
      scenarioFileSettings: fromFile,
      workloadDefaults,
      flags: sources.flags,
    },
  };
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const FLAG_FOR_SETTING: Record<string, string> = { latencyPercentile: 'percentile', sampleSet: 'sample-set-seed', sampleIndex: 'sample-index-seed', schedule: 'schedule-seed' };

/** Flags obey the same schema as scenario files; problems name the flag, not a JSON path. */
function flagProblems(scenario: ScenarioName, flags: SettingsOverrides): ConfigProblem[] {
  const doc = { scenario, profile: 'flags', description: 'command-line flags', settings: flags };
  return validateDocument('scenario', doc, 'flags').map((p) => {
    const key = p.path.split('.').pop() ?? '';
    return { source: `flag --${FLAG_FOR_SETTING[key] ?? kebab(key)}`, path: '$', message: p.message };
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Checks that need several settings at once; schema checks cover each value alone. */
function crossCheck(s: TestSettings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const flag = (name: string, message: string): void => {
    problems.push({ source: `flag --${name}`, path: '$', message });
  };
  if (!(s.latencyPercentile > 0 && s.latencyPercentile < 100)) {
    flag('percentile', `expected a percent between 0 and 100 (e.g. 99 or 99.9), found ${s.latencyPercentile}`);
  } else if (s.latencyPercentile < 1) {
    flag('percentile', `${s.latencyPercentile} is a percent, so this asks for p${s.latencyPercentile}; did you mean ${s.latencyPercentile * 100}?`);
  }
  if (s.scenario === 'server' && s.mode === 'performance' && s.latencyBoundMs === null && !s.tokenLatencies) {
    flag('latency-bound-ms', 'the Server scenario needs a latency bound: give --latency-bound-ms, or use a workload that sets one');
  }
  if (s.tokenLatencies && s.scenario === 'server' && s.mode === 'performance') {
    if (s.ttftBoundMs === null) flag('ttft-bound-ms', 'a Server run of an LLM is judged on p99 TTFT: give --ttft-bound-ms (MLPerf Llama-2-70B: 2000)');
    if (s.tpotBoundMs === null) flag('tpot-bound-ms', 'a Server run of an LLM is judged on p99 TPOT: give --tpot-bound-ms (MLPerf Llama-2-70B: 200)');
  }
  if (!s.tokenLatencies && (s.ttftBoundMs !== null || s.tpotBoundMs !== null)) {
    flag(s.ttftBoundMs !== null ? 'ttft-bound-ms' : 'tpot-bound-ms', 'token bounds apply to LLM streams: use --backend openai');
  }
  for (const [name, value] of [['ttft-bound-ms', s.ttftBoundMs], ['tpot-bound-ms', s.tpotBoundMs]] as const) {
    if (value !== null && !(value > 0)) flag(name, `expected a positive number of ms, found ${value}`);
  }
  if (s.latencyBoundMs !== null && !(s.latencyBoundMs > 0)) flag('latency-bound-ms', `expected a positive number of ms, found ${s.latencyBoundMs}`);
  if (s.targetQps !== null && !(s.targetQps > 0)) flag('target-qps', `expected a positive rate, found ${s.targetQps}`);
  if (s.maxDurationMs < s.minDurationMs) {
    flag('max-duration-ms', `${s.maxDurationMs} is below --min-duration-ms ${s.minDurationMs}: the run could never be VALID`);
  }
  if (s.maxQueryCount > 0 && s.maxQueryCount < s.minQueryCount) {
    flag('max-query-count', `${s.maxQueryCount} is below --min-query-count ${s.minQueryCount}: the run could never be VALID`);
  }
  if (!(s.queryTimeoutMs > 0)) flag('query-timeout-ms', `expected a positive number of ms, found ${s.queryTimeoutMs}`);
  if (!(Number.isInteger(s.samplesPerQuery) && s.samplesPerQuery >= 1)) flag('samples-per-query', `expected a whole number >= 1, found ${s.samplesPerQuery}`);
  for (const [key, value] of Object.entries(s.seeds)) {
    if (!/^[0-9]{1,20}$/.test(String(value))) flag(`${key === 'sampleSet' ? 'sample-set' : key === 'sampleIndex' ? 'sample-index' : 'schedule'}-seed`, `expected a non-negative integer, found ${value}`);
  }
  return problems;
}
