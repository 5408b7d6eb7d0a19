/**
 * Redis's clock as this process sees it. Pace slots are times on Redis's clock (`TIME`), so that
 * processes on hosts whose clocks disagree still agree on them; each process must then start its
 * request when Redis's clock reads its slot. A reply's delay says nothing about which part of the
 * round trip it spent where, so a reading made over a round trip of `rtt` ms fixes the offset
 * between the two clocks to within `rtt / 2`. The clock keeps the most certain reading, counts it
 * a little less certain as it ages (clocks drift), and is asked again when it is too uncertain.
 *
 * Without this, a process would count its wait from when the claim's reply reached it: a process
 * busy elsewhere (at start-up, say) reads that reply tens of ms late and starts its request that
 * much after its slot, while the next process starts on time — and the server sees the two closer
 * than its window.
 */

/** How much less certain a reading gets per ms of age: 100 µs per second, far above real clock drift. */
const DRIFT = 1e-4;

export interface RedisClock {
  /** Note that Redis's clock read `redisMs` at some point between `sent` and `received` (`performance.now()`). */
  sample(redisMs: number, sent: number, received: number): void;
  /** How far, in ms, `local()` may be off now: `Infinity` before the first reading. */
  uncertainty(): number;
  /** The `performance.now()` at which Redis's clock reads `redisMs`. */
  local(redisMs: number): number;
  /** What Redis's clock reads at `performance.now()` `localMs`. */
  redis(localMs: number): number;
}

export function createRedisClock(now: () => number = () => performance.now()): RedisClock {
  let best: { offset: number; error: number; at: number } | null = null;
  const errorOf = (reading: { error: number; at: number }) => reading.error + (now() - reading.at) * DRIFT;
  return {
    sample(redisMs, sent, received) {
      const error = Math.max(0, received - sent) / 2;
      const reading = { offset: redisMs - (sent + error), error, at: received };
      if (best === null || error <= errorOf(best)) best = reading;
    },
    uncertainty: () => (best === null ? Infinity : errorOf(best)),
    local(redisMs) {
      if (best === null) throw new Error("RedisClock.local() before any reading");
      return redisMs - best.offset;
    },
    redis(localMs) {
      if (best === null) throw new Error("RedisClock.redis() before any reading");
      return localMs + best.offset;
    },
  };
}
