import type { Argv } from 'yargs';
import { loadInputs } from '../report/load-inputs.js';
import { planReport } from '../report/plan.js';
import { writeReport } from '../report/write-report.js';
import { EXIT } from './errors.js';

/** The flags of `mlbench report`. */
export function defineReportFlags<T>(y: Argv<T>) {
  return y
    .positional('inputs', {
      describe: 'result.json / sweep.json files, or folders searched for them',
      type: 'string',
      array: true,
      demandOption: true,
    })
    .option('out', { describe: 'folder for the charts and index.html', type: 'string', default: 'report', requiresArg: true })
    .example('mlbench report results/ --out report', 'charts for every run and sweep under results/')
    .example('mlbench report a/sweep.json b/sweep.json --out cmp', 'two systems\' throughput-latency curves overlaid');
}

export type ReportFlags = Awaited<ReturnType<typeof defineReportFlags>['argv']>;

/** `mlbench report`: returns the exit code. */
export async function reportCommand(flags: ReportFlags): Promise<number> {
  const inputs = flags.inputs.map(String);
  const plan = planReport(loadInputs(inputs));
  const written = await writeReport(plan, inputs, flags.out);
  for (const path of written) process.stdout.write(`${path}\n`);
  for (const note of plan.notes) process.stderr.write(`note: ${note}\n`);
  for (const m of plan.notMeasured) process.stderr.write(`not measured by any input: ${m}\n`);
  return EXIT.ok;
}
