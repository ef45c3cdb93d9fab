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
