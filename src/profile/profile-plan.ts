import { GRAPH_OPTIMIZATION_LEVELS, ORT_PROVIDERS } from '../backends/ort-backend.js';
import { SCENARIOS, type ScenarioName } from '../loadgen/types.js';
import { TFJS_RUNTIME_CHOICES } from '../tfjs/runtimes.js';
import { REFERENCE_PRECISION } from '../workloads/types.js';
import { parseChoiceList, parseCountList, parseNameList } from './parse-list.js';
import { EXECUTION_MODES, PROFILE_BACKENDS, type ProfilePlan, STANDARD_PRECISIONS } from './types.js';
import { expandVariants } from './variants.js';

/** The profile flags as given (lists still comma-separated text). */
export interface ProfileFlagValues {
  /** undefined: the standard precisions plus any others the workload names. */
  readonly precisions?: string | undefined;
  readonly backends: string;
  readonly scenarios: string;
  readonly threads: string;
  readonly providers: string;
  readonly graphOptimizations: string;
  readonly executionModes: string;
  readonly tfjsBackends: string;
  readonly profile: string;
  /** undefined: the first scenario. */
  readonly sortBy?: string | undefined;
  /** `mlbench run` flags passed to every cell, only those given. */
  readonly passThrough: Readonly<Record<string, number | string>>;
  /** undefined: 1, each performance run once. */
  readonly repetitions?: string | undefined;
}

/** What the plan needs to know about the workload, loaded and checked before anything runs. */
export interface WorkloadFacts {
  readonly name: string;
  readonly source: string;
  readonly accuracyMetric: string | null;
  /** The precision variants the workload file names, fp32 included. */
  readonly precisions: readonly string[];
}

/** Checks the flags together and returns every problem at once (k6-style); the plan when there are none. */
export function profilePlanFromFlags(f: ProfileFlagValues, workload: WorkloadFacts): { plan: ProfilePlan | null; problems: string[] } {
  const problems: string[] = [];
  const precisions =
    f.precisions === undefined
      ? [...new Set<string>([...STANDARD_PRECISIONS, ...workload.precisions])]
      : parseNameList(f.precisions, 'precisions', problems);
  if (f.precisions !== undefined && precisions.length > 0 && !precisions.includes(REFERENCE_PRECISION)) {
    problems.push(`--precisions ${f.precisions}: include ${REFERENCE_PRECISION}, the reference every other precision's accuracy is measured against`);
  }
  const backends = parseChoiceList(f.backends, 'backends', PROFILE_BACKENDS, problems);
  const scenarios = parseChoiceList(f.scenarios, 'scenarios', SCENARIOS, problems);
  const lists = {
    threads: parseCountList(f.threads, 'threads', problems),
    providers: parseChoiceList(f.providers, 'providers', ORT_PROVIDERS, problems),
    graphOptimizations: parseChoiceList(f.graphOptimizations, 'graph-optimizations', GRAPH_OPTIMIZATION_LEVELS, problems),
    executionModes: parseChoiceList(f.executionModes, 'execution-modes', EXECUTION_MODES, problems),
    tfjsBackends: parseChoiceList(f.tfjsBackends, 'tfjs-backends', TFJS_RUNTIME_CHOICES, problems),
  };
  let sortBy: ScenarioName | undefined = scenarios[0];
  if (f.sortBy !== undefined) {
    const given = scenarios.find((s) => s === f.sortBy);
    if (given === undefined) problems.push(`--sort-by ${f.sortBy}: expected one of the profiled scenarios (${scenarios.join(', ') || 'none'})`);
    sortBy = given;
  }
  const repetitions = parseRepetitions(f.repetitions, problems);
  if (problems.length > 0 || sortBy === undefined) return { plan: null, problems };
  return {
    plan: {
      workload: { name: workload.name, source: workload.source, accuracyMetric: workload.accuracyMetric },
      // fp32 runs first in each runtime variant: its outputs are the others' reference.
      precisions: [REFERENCE_PRECISION, ...precisions.filter((p) => p !== REFERENCE_PRECISION)],
      backends,
      variants: expandVariants(backends, lists),
      scenarios,
      profile: f.profile,
      sortBy,
      passThrough: f.passThrough,
      repetitions,
    },
    problems,
  };
}

/** --repetitions: a whole number >= 1, given as typed so a problem quotes it. */
function parseRepetitions(text: string | undefined, problems: string[]): number {
  if (text === undefined) return 1;
  const trimmed = text.trim();
  if (/^[0-9]+$/.test(trimmed) && Number(trimmed) >= 1) return Number(trimmed);
  problems.push(`--repetitions ${text}: expected a whole number >= 1 (how many times each performance run is repeated)`);
  return 1;
}
