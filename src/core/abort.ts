/**
 * Cancellation helpers that hold no reference after they settle: the listeners they add to a
 * caller's signal are removed again, so a long-lived signal does not collect one entry per call
 * (as `AbortSignal.any` does on Node 20).
 */

/** A controller that aborts when any of `signals` does, and `dispose()` to unhook it from them. */
export function linkSignals(signals: readonly (AbortSignal | undefined)[]): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const sources = signals.filter((s): s is AbortSignal => s !== undefined);
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  for (const source of sources) {
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    source.addEventListener("abort", onAbort, { once: true });
  }
  return { controller, dispose: () => sources.forEach((source) => source.removeEventListener("abort", onAbort)) };
}

/**
 * Settle as `promise` does, or reject with `signal.reason` as soon as `signal` aborts — also
 * when what `promise` waits on ignores the signal (a custom `fetch`, a shared token refresh).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => undefined);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** The longest delay a timer can hold (2^31 − 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Wait `ms` (at most about 24.8 days, what a timer can hold), or reject with `signal.reason` when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.min(MAX_TIMER_MS, Math.max(0, ms)));
  });
  return abortable(waited, signal).finally(() => clearTimeout(timer));
}

/**
 * One listener on a long-lived signal (a client's) that passes its abort on to every controller
 * that joined, held only while one is joined: any number of calls in flight on one client add
 * one listener between them (never the runtime's "possible memory leak" warning), and a client
 * with no call in flight holds none, however many clients share the signal.
 */
export function fanOut(signal: AbortSignal): (controller: AbortController) => () => void {
  const joined = new Set<AbortController>();
  const onAbort = () => joined.forEach((controller) => controller.abort(signal.reason));
  return (controller) => {
    if (signal.aborted) controller.abort(signal.reason);
    if (joined.size === 0) signal.addEventListener("abort", onAbort);
    joined.add(controller);
    return () => {
      if (joined.delete(controller) && joined.size === 0) signal.removeEventListener("abort", onAbort);
    };
  };
}
