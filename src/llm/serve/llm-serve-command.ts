import { EXIT } from '../../cli/errors.js';
import { serveUntilSignalled } from '../../serve/shutdown.js';
import { formatLlmShutdownSummary } from './llm-serve-lines.js';
import { formatLlmSettingsLine, type LlmServeFlagValues, resolveLlmServeOptions } from './llm-serve-options.js';
import { startLlmServer } from './start-llm-server.js';

/**
 * `mlbench serve --llm`: runs until SIGTERM / SIGINT. Returns the exit code; a second signal
 * calls `quitNow` (only src/cli exits the process).
 */
export async function llmServeCommand(flags: LlmServeFlagValues, quitNow: () => void): Promise<number> {
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const options = resolveLlmServeOptions(flags);
  log(formatLlmSettingsLine(options));
  const server = await startLlmServer({ ...options, engineOptions: options.engine, log });
  const summary = await serveUntilSignalled(server, { log, inProgress: 'streams', quitNow });
  log(formatLlmShutdownSummary(summary.counters, summary.engine));
  return EXIT.ok;
}
