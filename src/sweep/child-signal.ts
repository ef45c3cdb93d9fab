/**
 * A signal for one run that follows the sweep's: each run adds its own abort listeners, so
 * giving every run the one sweep-wide signal would pile them up. dispose() unlinks it.
 */
export function childSignal(parent: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const forward = (): void => controller.abort();
  if (parent.aborted) controller.abort();
  else parent.addEventListener('abort', forward, { once: true });
  return { signal: controller.signal, dispose: () => parent.removeEventListener('abort', forward) };
}
