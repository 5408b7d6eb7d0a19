import { abortable, sleep } from "./abort.js";

/**
 * Spaces requests so the server, which counts their *arrival*, never sees two inside its window.
 *
 * Each request starts `interval` after the previous one's answer began to arrive (or after it
 * failed). An answer can only come after the server received the request, so this holds
 * whatever the latency or connection setup on the way — spacing by send time would not.
 * Callers are served in the order they asked; one that gives up while waiting hands its turn on.
 */
export interface Pacer {
  /**
   * Wait for this request's turn; rejects with `signal.reason` if it aborts first. Call the
   * returned function when the answer starts to arrive, or the attempt ends without one; with
   * `false` when the request was never sent, so the next one waits only for the one before.
   */
  acquire(signal?: AbortSignal): Promise<(sent?: boolean) => void>;
}

/**
 * A pacer for `requestsPerSecond`, its window widened by `marginMs` against clock granularity.
 * It reads a monotonic clock: a wall clock stepped back (NTP, a VM resumed) must not make a
 * request wait the size of the step.
 */
export function createPacer(requestsPerSecond: number, marginMs: number, now: () => number = () => performance.now()): Pacer {
  const interval = (1000 + marginMs) / requestsPerSecond;
  // When the previous request's answer arrived (or it ended); a request waits for it, then `interval`.
  let tail: Promise<number> = Promise.resolve(-Infinity);
  return {
    async acquire(signal) {
      const previous = tail;
      let finish!: (at: number) => void;
      tail = new Promise<number>((resolve) => (finish = resolve));
      let answeredAt = -Infinity;
      try {
        answeredAt = await abortable(previous, signal);
        // A turn already due starts at once: no timer tick, and no wait to report.
        const wait = answeredAt + interval - now();
        if (wait > 0) await sleep(wait, signal);
      } catch (error) {
        void previous.then(finish); // never sent: the next caller only waits for the one before
        throw error;
      }
      let done = false;
      return (sent = true) => {
        if (!done) finish(sent ? now() : answeredAt);
        done = true;
      };
    },
  };
}
