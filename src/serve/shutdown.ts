/**
 * SIGTERM and SIGINT for a server process: the first starts a graceful shutdown, a second means
 * "now". Exiting is left to the caller (only src/cli calls process.exit). Returns a function
 * that removes the handlers.
 */
export function onShutdownSignals(first: (signal: NodeJS.Signals) => void, second: (signal: NodeJS.Signals) => void): () => void {
  let seen = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (seen) {
      second(signal);
      return;
    }
    seen = true;
    first(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}

/** What serveUntilSignalled needs of a started server. */
export interface ServingProcess<Summary> {
  /** Resolves once the model is loaded and warmed up; rejects when it cannot be. */
  readonly ready: Promise<void>;
  readonly readyLine: string;
  /** Graceful stop: finish what is in progress, then resolve with the summary. */
  close(): Promise<Summary>;
}

/**
 * A server's life in a CLI process: wait until it is ready (or a signal comes first), print the
 * ready line on stdout, serve until SIGTERM/SIGINT, close gracefully and return the summary. A
 * second signal calls `quitNow`. `inProgress` names what a graceful stop finishes.
 */
export async function serveUntilSignalled<Summary>(
  server: ServingProcess<Summary>,
  options: { readonly log: (line: string) => void; readonly inProgress: string; readonly quitNow: () => void },
): Promise<Summary> {
  // Set by the first signal (which may come while the model is still loading).
  const shutdown: { summary: Promise<Summary> | null } = { summary: null };
  let removeHandlers = (): void => {};
  const signalled = new Promise<void>((resolve) => {
    removeHandlers = onShutdownSignals(
      (signal) => {
        options.log(`mlbench serve: ${signal}: finishing the ${options.inProgress} in progress, then stopping (again to quit at once)`);
        shutdown.summary = server.close();
        resolve();
      },
      () => options.quitNow(),
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
  return summary;
}
