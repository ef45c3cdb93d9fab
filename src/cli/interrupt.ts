import { EXIT } from './errors.js';

/**
 * Runs `work` with Ctrl-C / SIGTERM turned into an abort signal: the first stops the run and
 * lets it write what it measured; a second exits at once.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(EXIT.aborted);
    process.stderr.write(`\n${signal}: stopping; writing what was measured (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
