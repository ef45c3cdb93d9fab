import type { Argv } from 'yargs';
import {
  buildComparison,
  checkGates,
  comparisonJson,
  findInputFiles,
  formatComparison,
  formatGates,
  GATE_FAILED_EXIT,
  type LoadedInput,
  loadInput,
  METRIC_NAMES,
  parseGate,
} from '../compare/index.js';
import { EXIT } from './errors.js';

/** The flags of `mlbench compare`. */
export function defineCompareFlags<T>(y: Argv<T>) {
  return y
    .positional('inputs', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'result.json, sweep.json or profile.json files, or folders searched for them; the first is the baseline',
    })
    .option('fail-if', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: `exit ${GATE_FAILED_EXIT} when a metric crosses a limit, e.g. 'throughput<-5%' or 'p99>20ms' (repeatable)`,
    })
    .option('json', { type: 'boolean', default: false, describe: 'print the comparison and gate outcomes as JSON on stdout' })
    .example('mlbench compare results/run-a results/run-b', 'two runs side by side, changes against the first')
    .example('mlbench compare results/', 'every run and sweep under a folder')
    .example("mlbench compare baseline/result.json results/ --fail-if 'throughput<-5%' --fail-if 'p99>+10%'", `CI: exit ${GATE_FAILED_EXIT} on a regression`)
    .example("mlbench compare result.json --fail-if 'p99>20ms'", 'an absolute limit, checked on every input')
    .example("mlbench compare base/ candidate/ --fail-if 'ttft-p99>+10%' --fail-if 'tokens<-5%'", 'LLM runs: gate on p99 TTFT and output tokens/s')
    .example("mlbench compare results/profile-a results/profile-b --fail-if 'throughput<-5%'", 'two profiles row by row (precision x runtime x scenario)')
    .epilog(
      `Exit codes: 0 every gate passed, ${GATE_FAILED_EXIT} a gate tripped, 2 bad input. ` +
        `Gates: METRIC<LIMIT or METRIC>LIMIT, METRIC one of ${METRIC_NAMES.join(', ')}; ` +
        'a signed percent is a change against the first input, checked on the others; a plain number is a limit (ms, per second, fraction).',
    );
}

export type CompareFlags = Awaited<ReturnType<typeof defineCompareFlags>['argv']>;

/** `mlbench compare`: returns the exit code. */
export async function compareCommand(flags: CompareFlags): Promise<number> {
  // Gates first: a typo in --fail-if is reported before any file is read.
  const gates = flags['fail-if'].map(parseGate);
  const files = await findInputFiles(flags.inputs);
  const inputs: LoadedInput[] = [];
  for (const file of files) inputs.push(await loadInput(file));
  const comparison = buildComparison(inputs);
  const outcomes = checkGates(gates, comparison);
  if (flags.json) process.stdout.write(`${JSON.stringify(comparisonJson(comparison, outcomes), null, 2)}\n`);
  else process.stdout.write(`${formatComparison(comparison)}${outcomes.length > 0 ? `\n${formatGates(outcomes)}` : ''}`);
  const tripped = outcomes.filter((o) => o.tripped);
  if (tripped.length === 0) return EXIT.ok;
  process.stderr.write(`mlbench: gate tripped: ${tripped.map((o) => `'${o.gate.text}'`).join(', ')}\n`);
  return GATE_FAILED_EXIT;
}
