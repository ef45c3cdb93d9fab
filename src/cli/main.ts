#!/usr/bin/env -S node --min-semi-space-size=16 --max-semi-space-size=16
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { compareCommand, defineCompareFlags } from './compare-command.js';
import { earlyStoppingCommand } from './early-stopping-command.js';
import { EXIT, UserError } from './errors.js';
import { defineProfileFlags, profileCommand } from './profile-command.js';
import { defineReportFlags, reportCommand } from './report-command.js';
import { runCommand } from './run-command.js';
import { defineRunFlags } from './run-flags.js';
import { defineServeFlags, serveCommand } from './serve-command.js';
import { defineSweepFlags, sweepCommand } from './sweep-command.js';

/** The only place that maps errors to exit codes and calls process.exit. */
async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const parser = yargs(argv)
    .scriptName('mlbench')
    .usage('mlbench: MLPerf-style inference benchmarks (LoadGen scenarios, early stopping, SLO-valid throughput)')
    .command(
      ['run', '$0'],
      'run a benchmark (the default command)',
      (y) =>
        defineRunFlags(y)
          .example('mlbench --scenario server', 'Server on the built-in workload; the rate is calibrated')
          .example('mlbench --scenario server --target-qps 500 --latency-bound-ms 10', 'Server at a fixed rate and bound')
          .example('mlbench --scenario offline --model ./model.onnx --shape input=1x3x224x224', 'your own ONNX model')
          .example('mlbench --scenario singlestream --mode accuracy', 'accuracy over every sample')
          .example('mlbench --scenario server --backend null --service-time-ms 2 --target-qps 300 --latency-bound-ms 50', 'the harness alone: an M/D/1 queue')
          .example('mlbench --scenario server --backend openai --url http://127.0.0.1:8000/v1 --ttft-bound-ms 2000 --tpot-bound-ms 200', 'an OpenAI-compatible LLM server (e.g. mlbench serve --llm): TTFT/TPOT/ITL, token-SLO verdict'),
      async (flags) => {
        code = await runCommand(flags);
      },
    )
    .command(
      'early-stopping',
      'plan run lengths with LoadGen\'s early-stopping rule',
      (y) =>
        y
          .option('percentile', { type: 'number', demandOption: true, describe: 'percent, e.g. 90 or 99' })
          .option('overlatency', { type: 'number', describe: 'queries over the bound: prints the minimum queries a run needs' })
          .option('queries', { type: 'number', describe: 'queries in a run: prints the most that may be over the bound' })
          .option('confidence', { type: 'number', default: 99, hidden: true, describe: 'percent' })
          .option('json', { type: 'boolean', default: false })
          .example('mlbench early-stopping --percentile 99 --overlatency 0', 'least queries for p99 with none over the bound')
          .example('mlbench early-stopping --percentile 90 --queries 1024', 'how many may exceed, and which rank is reported'),
      (flags) => {
        code = earlyStoppingCommand(flags);
      },
    )
    .command('sweep', 'find the highest SLO-valid Server rate, or trace the throughput-latency curve', (y) => defineSweepFlags(y), async (flags) => {
      code = await sweepCommand(flags);
    })
    .command('profile', 'precision x runtime x settings matrix of one workload: speed and accuracy against fp32 side by side', (y) => defineProfileFlags(y), async (flags) => {
      code = await profileCommand(flags);
    })
    .command('compare <inputs..>', 'compare results, profiles or sweeps side by side; gate regressions', (y) => defineCompareFlags(y), async (flags) => {
      code = await compareCommand(flags);
    })
    .command('report <inputs..>', 'render charts (SVG, PNG, vega-lite specs, one index.html) from results and sweeps', (y) => defineReportFlags(y), async (flags) => {
      code = await reportCommand(flags);
    })
    .command('serve', 'serve a workload or ONNX model over the KServe v2 HTTP and gRPC APIs, with dynamic batching', (y) => defineServeFlags(y), async (flags) => {
      code = await serveCommand(flags);
    })
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .fail((message, error) => {
      throw error ?? new UserError('flag', message);
    });
  await parser.parseAsync();
  return code;
}

main(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UserError) {
      process.stderr.write(`mlbench: ${error.message}\n`);
      process.exit(EXIT.badInput);
    }
    process.stderr.write(`mlbench: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.internal);
  },
);
