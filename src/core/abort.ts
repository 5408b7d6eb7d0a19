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

/** Wait `ms`, or reject with `signal.reason` when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
  });
  return abortable(waited, signal).finally(() => clearTimeout(timer));
}

/**
 * One listener on a long-lived signal (a client's) that passes its abort on to every controller
 * that joined. Joining adds no listener, so any number of calls in flight on one client never
 * trip the runtime's "possible memory leak" warning, and a finished call leaves nothing behind.
 */
export function fanOut(signal: AbortSignal): (controller: AbortController) => () => void {
  const joined = new Set<AbortController>();
  signal.addEventListener("abort", () => joined.forEach((controller) => controller.abort(signal.reason)), { once: true });
  return (controller) => {
    if (signal.aborted) controller.abort(signal.reason);
    joined.add(controller);
    return () => joined.delete(controller);
  };
}
