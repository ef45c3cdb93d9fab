import { describe, expect, it } from 'vitest';
import { cellArgs } from '../../src/profile/cell-args.js';
import { type ProfileFlagValues, profilePlanFromFlags } from '../../src/profile/profile-plan.js';

const DEFAULTS: ProfileFlagValues = {
  backends: 'ort,tfjs',
  scenarios: 'offline,singlestream',
  threads: '0',
  providers: 'cpu',
  graphOptimizations: 'all',
  executionModes: 'sequential',
  tfjsBackends: 'auto',
  profile: 'quick',
  passThrough: {},
};
const WORKLOAD = { name: 'w', source: '/w/workload.json', accuracyMetric: 'top1', precisions: ['fp32', 'fp16', 'bf16'] };

describe('profilePlanFromFlags', () => {
  it('defaults: the four standard precisions plus the workload\'s own, one variant per backend, sorted by the first scenario', () => {
    const { plan, problems } = profilePlanFromFlags(DEFAULTS, WORKLOAD);
    expect(problems).toEqual([]);
    expect(plan).toEqual({
      workload: { name: 'w', source: '/w/workload.json', accuracyMetric: 'top1' },
      precisions: ['fp32', 'fp16', 'int8-dynamic', 'int8-static', 'bf16'],
      backends: ['ort', 'tfjs'],
      variants: [
        { backend: 'ort', provider: 'cpu', threads: 0, graphOptimization: 'all', executionMode: 'sequential' },
        { backend: 'tfjs', tfjsBackend: 'auto', threads: 0 },
      ],
      scenarios: ['offline', 'singlestream'],
      profile: 'quick',
      sortBy: 'offline',
      passThrough: {},
      repetitions: 1,
    });
  });

  it('setting lists multiply each backend\'s variants; fp32 always runs first', () => {
    const { plan } = profilePlanFromFlags(
      { ...DEFAULTS, precisions: 'int8-dynamic,fp32', threads: '1,2', executionModes: 'sequential,parallel', tfjsBackends: 'wasm,cpu', sortBy: 'singlestream' },
      WORKLOAD,
    );
    expect(plan!.precisions).toEqual(['fp32', 'int8-dynamic']);
    expect(plan!.sortBy).toBe('singlestream');
    expect(plan!.variants).toEqual([
      { backend: 'ort', provider: 'cpu', threads: 1, graphOptimization: 'all', executionMode: 'sequential' },
      { backend: 'ort', provider: 'cpu', threads: 1, graphOptimization: 'all', executionMode: 'parallel' },
      { backend: 'ort', provider: 'cpu', threads: 2, graphOptimization: 'all', executionMode: 'sequential' },
      { backend: 'ort', provider: 'cpu', threads: 2, graphOptimization: 'all', executionMode: 'parallel' },
      { backend: 'tfjs', tfjsBackend: 'wasm', threads: 1 },
      { backend: 'tfjs', tfjsBackend: 'wasm', threads: 2 },
      { backend: 'tfjs', tfjsBackend: 'cpu', threads: 1 },
      { backend: 'tfjs', tfjsBackend: 'cpu', threads: 2 },
    ]);
  });

  it('every problem at once, and no plan', () => {
    const { plan, problems } = profilePlanFromFlags(
      {
        ...DEFAULTS,
        precisions: 'fp16,FP8',
        backends: 'ort,onnx',
        scenarios: 'offline,offline',
        threads: '1,-1,x',
        providers: 'gpu',
        sortBy: 'server',
        repetitions: '0',
      },
      WORKLOAD,
    );
    expect(plan).toBeNull();
    expect(problems).toEqual([
      '--precisions: expected kebab-case names (lowercase letters and digits joined by hyphens), found FP8',
      '--precisions fp16,FP8: include fp32, the reference every other precision\'s accuracy is measured against',
      '--backends: unknown onnx (choices: ort, tfjs)',
      '--scenarios: offline listed more than once',
      "--threads: expected whole numbers >= 0 (0 = the runtime's default), found -1, x",
      '--providers: unknown gpu (choices: cpu, cuda, tensorrt)',
      '--sort-by server: expected one of the profiled scenarios (offline)',
      '--repetitions 0: expected a whole number >= 1 (how many times each performance run is repeated)',
    ]);
  });

  it('--repetitions: a whole number >= 1, quoted as typed when it is not', () => {
    expect(profilePlanFromFlags({ ...DEFAULTS, repetitions: '3' }, WORKLOAD).plan!.repetitions).toBe(3);
    for (const bad of ['0', '-2', '2.5', 'x', '']) {
      expect(profilePlanFromFlags({ ...DEFAULTS, repetitions: bad }, WORKLOAD).problems).toEqual([
        `--repetitions ${bad}: expected a whole number >= 1 (how many times each performance run is repeated)`,
      ]);
    }
  });

  it('an empty list is named', () => {
    const { problems } = profilePlanFromFlags({ ...DEFAULTS, backends: ' , ' }, WORKLOAD);
    expect(problems).toEqual(['--backends: expected a comma-separated list, e.g. --backends ort,tfjs']);
  });
});

describe('cellArgs', () => {
  const context = { workload: '/w/workload.json', profile: 'quick', runsDir: '/out/profile-x/runs', passThrough: { 'min-duration-ms': 500 } };

  it('an ort accuracy pass against the fp32 outputs', () => {
    const args = cellArgs(
      {
        variant: { backend: 'ort', provider: 'cpu', threads: 2, graphOptimization: 'extended', executionMode: 'parallel' },
        precision: 'int8-static',
        mode: 'accuracy',
        scenario: 'offline',
        referenceOutputs: '/out/profile-x/runs/a/outputs.bin',
      },
      context,
    );
    expect(args.join(' ')).toBe(
      'run --workload /w/workload.json --precision int8-static --backend ort --provider cpu --intra-op-threads 2 --graph-optimization extended ' +
        '--execution-mode parallel --scenario offline --mode accuracy --profile quick --min-duration-ms 500 ' +
        '--reference-outputs /out/profile-x/runs/a/outputs.bin --output /out/profile-x/runs --progress false --json',
    );
  });

  it('a tfjs performance run', () => {
    const args = cellArgs(
      { variant: { backend: 'tfjs', tfjsBackend: 'wasm', threads: 0 }, precision: 'fp32', mode: 'performance', scenario: 'singlestream', referenceOutputs: null },
      context,
    );
    expect(args.join(' ')).toBe(
      'run --workload /w/workload.json --precision fp32 --backend tfjs --tfjs-backend wasm --tfjs-threads 0 --scenario singlestream ' +
        '--mode performance --profile quick --min-duration-ms 500 --output /out/profile-x/runs --progress false --json',
    );
  });
});
