/**
 * Spaces requests so that no two start closer than `intervalMs`, in the order they asked.
 * The server counts arrival times, so the interval carries a safety margin of its own.
 */
export interface Pacer {
  /** Resolve when this request may start; reject (through `onAbort`) if `signal` ends first. */
  wait(signal?: AbortSignal, onAbort?: (signal: AbortSignal) => unknown): Promise<void>;
}

/** A pacer for `requestsPerSecond`, with `marginMs` added to every interval. */
export function createPacer(requestsPerSecond: number, marginMs: number, now: () => number = Date.now): Pacer {
  const intervalMs = 1000 / requestsPerSecond + marginMs;
  let next = -Infinity; // the earliest start of the next request
  return {
    wait(signal, onAbort = (s) => s.reason) {
      // Reserve a slot at once, so callers keep their order whatever the timers do.
      const start = Math.max(now(), next);
      next = start + intervalMs;
      const delay = start - now();
      if (delay <= 0) return signal?.aborted ? Promise.reject(onAbort(signal)) : Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          signal?.removeEventListener("abort", abort);
          resolve();
        };
        const abort = () => {
          clearTimeout(timer);
          reject(onAbort(signal!));
        };
        const timer = setTimeout(done, delay);
        if (signal?.aborted) abort();
        else signal?.addEventListener("abort", abort, { once: true });
      });
    },
  };
}
