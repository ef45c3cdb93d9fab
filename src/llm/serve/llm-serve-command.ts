import { EXIT } from '../../cli/errors.js';
import { onShutdownSignals } from '../../serve/shutdown.js';
import { formatLlmShutdownSummary } from './llm-serve-lines.js';
import { formatLlmSettingsLine, type LlmServeFlagValues, resolveLlmServeOptions } from './llm-serve-options.js';
import { type LlmServerSummary, startLlmServer } from './start-llm-server.js';

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
  // Set by the first signal (which may come while the engine is still loading).
  const shutdown: { summary: Promise<LlmServerSummary> | null } = { summary: null };
  let removeHandlers = (): void => {};
  const signalled = new Promise<void>((resolve) => {
    removeHandlers = onShutdownSignals(
      (signal) => {
        log(`mlbench serve: ${signal}: finishing the streams in progress, then stopping (again to quit at once)`);
        shutdown.summary = server.close();
        resolve();
      },
      () => quitNow(),
    );
  });
  try {
    await Promise.race([server.ready, signalled]);
  } catch (error) {
    removeHandlers();
    await server.close();
    throw error;
  }
  if (shutdown.summary === null) {
    process.stdout.write(`${server.readyLine}\n`);
    await signalled;
  }
  const summary = await (shutdown.summary ?? server.close());
  removeHandlers();
  log(formatLlmShutdownSummary(summary.counters, summary.engine));
  return EXIT.ok;
}
