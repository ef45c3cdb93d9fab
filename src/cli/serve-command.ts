import type { Argv } from 'yargs';
import { GRAPH_OPTIMIZATION_LEVELS, ORT_PROVIDERS } from '../backends/ort-backend.js';
import { SCHEDULERS } from '../llm/engine/types.js';
import { llmServeCommand } from '../llm/serve/llm-serve-command.js';
import { formatShutdownSummary } from '../serve/serve-lines.js';
import { resolveServeOptions } from '../serve/serve-options.js';
import { serveUntilSignalled } from '../serve/shutdown.js';
import { startServer } from '../serve/start-server.js';
import { EXIT, UserError } from './errors.js';

/** Every flag of `mlbench serve`, grouped as --help shows them. */
export function defineServeFlags<T>(y: Argv<T>) {
  return y
    .option('workload', { type: 'string', group: 'Model:', describe: 'built-in workload name or path to a workload.json (default: shapes-cnn)' })
    .option('model', { type: 'string', group: 'Model:', describe: 'an ONNX model of your own (warmup inputs generated from its declared types and shapes)' })
    .option('precision', { type: 'string', default: 'fp32', group: 'Model:', describe: "the workload's model variant to serve: fp32, fp16, int8-dynamic, int8-static, or one the workload file names" })
    .option('name', { type: 'string', group: 'Model:', describe: "the model's name in the API (default: the workload's name, or the .onnx file's name)" })
    .option('llm', { type: 'boolean', default: false, group: 'LLM:', describe: 'serve the built-in tiny-llm generative model over the OpenAI API (/v1/completions, /v1/chat/completions, streaming) instead of KServe v2' })
    .option('scheduler', { choices: SCHEDULERS, group: 'LLM:', describe: 'with --llm: continuous (sequences join and leave the batch at every decode step) or static (a batch runs until its longest sequence ends) (default: continuous)' })
    .option('host', { type: 'string', default: '127.0.0.1', group: 'Network:', describe: 'address to listen on (0.0.0.0: every interface)' })
    .option('http-port', { type: 'number', default: 8000, group: 'Network:', describe: 'v2 REST API port, or the OpenAI API port with --llm (0 = any free port, -1 = off)' })
    .option('grpc-port', { type: 'number', default: 8001, group: 'Network:', describe: 'v2 gRPC API port (0 = any free port, -1 = off)' })
    .option('max-request-mb', { type: 'number', default: 64, group: 'Network:', describe: 'largest request body / gRPC message; larger: HTTP 413, gRPC RESOURCE_EXHAUSTED' })
    .option('max-batch', { type: 'number', default: 8, group: 'Batching:', describe: 'most rows in one execution (forced to 1 for a model without a dynamic batch dimension)' })
    .option('batch-window-ms', { type: 'number', default: 1, group: 'Batching:', describe: 'how long the oldest queued request waits for a batch to fill (0 = send at once)' })
    .option('preferred-batch', { type: 'string', group: 'Batching:', describe: 'batch sizes sent at once when the queue can form them, e.g. 4,8 (the largest wins)' })
    .option('max-queue', { type: 'number', default: 0, group: 'Batching:', describe: 'requests waiting at most; more are refused at once (HTTP 503 + Retry-After, gRPC RESOURCE_EXHAUSTED); 0 = no limit' })
    .option('warmup', { type: 'number', default: 8, group: 'Batching:', describe: 'inferences of real samples before the server reports ready' })
    .option('provider', { choices: ORT_PROVIDERS, default: 'cpu' as const, group: 'Runtime:', describe: 'onnxruntime execution provider' })
    .option('intra-op-threads', { type: 'number', default: 0, group: 'Runtime:', describe: 'onnxruntime intra-op threads (0 = its default)' })
    .option('inter-op-threads', { type: 'number', default: 0, group: 'Runtime:', describe: 'onnxruntime inter-op threads (0 = its default)' })
    .option('graph-optimization', { choices: GRAPH_OPTIMIZATION_LEVELS, default: 'all' as const, group: 'Runtime:' })
    .option('instances', { type: 'number', default: 1, group: 'Runtime:', describe: 'model instances, each an onnxruntime session on its own worker thread (one intra-op thread each unless --intra-op-threads says otherwise); the batcher runs that many batches at once' })
    .option('ort-spinning', { type: 'boolean', default: false, group: 'Runtime:', describe: "onnxruntime's pool threads spin between work items (off here: the spinning takes CPU the server's HTTP and gRPC work needs)" })
    .example('mlbench serve', 'the built-in workload on http 127.0.0.1:8000 and grpc 127.0.0.1:8001')
    .example('mlbench serve --model ./model.onnx --max-batch 16 --batch-window-ms 2', 'your own model, larger batches')
    .example('mlbench serve --http-port 0 --grpc-port -1 --max-queue 64', 'HTTP only on a free port, at most 64 requests waiting')
    .example('mlbench serve --instances 2 --max-batch 32 --batch-window-ms 2', 'two model instances on worker threads: two batches run at once')
    .example('mlbench serve --llm', 'the built-in LLM over the OpenAI API at http://127.0.0.1:8000/v1, continuous batching of up to 8 sequences')
    .example('mlbench serve --llm --scheduler static --max-batch 4 --batch-window-ms 20', 'static batching, for comparison')
    .epilog(
      'Prints "mlbench serve: ready: model NAME, http HOST:PORT, grpc HOST:PORT" on stdout once the model is loaded and warmed up ' +
        '(a transport that is off reads "off"); everything else goes to stderr. SIGTERM or Ctrl-C: finish the requests in progress, ' +
        'print a summary and exit 0; a second signal exits at once. With --llm the ready line reads ' +
        '"mlbench serve: ready: model NAME, openai http://HOST:PORT/v1" (the URL --backend openai --url takes).',
    );
}

export type ServeFlags = Awaited<ReturnType<typeof defineServeFlags>['argv']>;

/** `mlbench serve`: runs until SIGTERM / SIGINT. Returns the exit code. */
export async function serveCommand(flags: ServeFlags): Promise<number> {
  if (flags.llm) return llmServeCommand(flags, () => process.exit(EXIT.aborted));
  if (flags.scheduler !== undefined) throw new UserError('flag', `mlbench serve: --scheduler ${flags.scheduler}: applies only with --llm`);
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const options = resolveServeOptions(flags);
  log(`mlbench serve: loading model ${options.name}`);
  const server = await startServer({ ...options, log });
  const status = await serveUntilSignalled(server, { log, inProgress: 'requests', quitNow: () => process.exit(EXIT.aborted) });
  log(formatShutdownSummary(status));
  return EXIT.ok;
}
