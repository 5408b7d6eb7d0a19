/**
 * Shared pacing: each claim is one Lua script, so reading the last slot, choosing the next and
 * storing it happen as one step for every process, in the order the claims reach Redis. The one
 * clock is Redis's own `TIME`: processes on hosts whose clocks disagree still get slots exactly
 * `intervalMs` apart, and each process starts its request when Redis's clock reads its slot
 * (see `clock.ts`), not a reply's delay later.
 */
import type { SharedPace } from "../core/coordination.js";
import { CoreCode } from "../core/errors.js";
import { sleep } from "../core/abort.js";
import type { RedisClock } from "./clock.js";
import { evalScript, script, storeError, text, type Store } from "./store.js";

/** A clock reading this uncertain (ms) is good enough: a fraction of the pace's 50 ms margin. */
const CERTAIN_MS = 2;
/** At most this many extra `TIME` readings per claim, and only while the slot is further off than `READING_MS`. */
const MAX_READINGS = 3;
const READING_MS = 50;
/** A reckoning of when an answer came this uncertain (ms) is still better than Redis's time when the report arrives. */
const REPORT_UNCERTAINTY_MS = 10;

/**
 * KEYS[1]: the pace key, holding the last slot in ms of Redis time (three decimals: microseconds).
 * ARGV[1]: the interval in ms. ARGV[2]: how long the caller can still wait, in ms, or "" for any
 * wait. Returns the new slot, Redis's time now and the previous slot (or false), in ms, as text
 * (an integer reply would drop the fraction), and a fourth item, 1, when the slot is refused.
 *
 * A slot further away than ARGV[2] is refused and nothing is stored: a caller that cannot wait
 * for it would give up, and claiming it anyway would push every later slot away (callers that
 * time out and claim again would move the slots ahead faster than time passes, and none would
 * ever be sent).
 *
 * A stored value that is not one this script can have written counts as no slot and is replaced:
 * one that is not a finite number (`inf`, `nan`, garbage), a key without a TTL, or a slot further
 * ahead than the key lives (this script always lets a key outlive its slot). Those are what a
 * foreign write leaves, and honouring them would stop every request of the account.
 *
 * The key lives until the slot plus three intervals: one after which it no longer moves the next
 * slot, and two more while the slot's request may still be on its way (held back by a late
 * predecessor; see `settle`), so a claim in that time still learns of it and waits for its
 * answer. An idle account leaves nothing behind.
 */
const CLAIM = script(`
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local slot = now
local previous = redis.call('GET', KEYS[1])
local last = tonumber(previous)
if last and (last ~= last or last == math.huge or last == -math.huge) then last = nil end
if last and last > now then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 or last - now > ttl + 2 then last = nil end
end
if not last then previous = false end
if last and last + interval > now then slot = last + interval end
local wait = slot - now
if limit and wait > limit then
  return { string.format('%.3f', slot), string.format('%.3f', now), previous, 1 }
end
redis.call('SET', KEYS[1], string.format('%.3f', slot), 'PX', string.format('%d', math.max(1, math.ceil(wait + 3 * interval))))
return { string.format('%.3f', slot), string.format('%.3f', now), previous }
`);

/**
 * KEYS[1]: the answered key of one slot. ARGV[1]: when its answer arrived, in ms of Redis time,
 * as the reporting process reckons it, or "" to take Redis's time now (later than the answer by
 * the report's trip: safe). ARGV[2]: how long the key lives, in ms.
 */
const ANSWERED = script(`
if redis.replicate_commands then redis.replicate_commands() end
local at = tonumber(ARGV[1])
if not at then
  local time = redis.call('TIME')
  at = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
end
redis.call('SET', KEYS[1], string.format('%.3f', at), 'PX', ARGV[2])
return 0
`);

/** KEYS[1]: the answered key of one slot. Its value (or false) and Redis's TIME, so each look also reads the clock. */
const LATEST = script(`return { redis.call('GET', KEYS[1]) or false, redis.call('TIME') }`);

/** How long a reported answer is kept: far longer than any window it could still matter to. */
const ANSWERED_TTL_MS = 60_000;
/** How often a slot whose previous answer is not reported yet looks again, in ms. */
const SETTLE_POLL_MS = 5;

/** The keys of one pace: its last slot, and the prefix of each slot's reported answer. */
export interface PaceKeys {
  slot: string;
  answered: string;
}

/** The pace stored at `keys`; `clock` is Redis's clock as this process sees it (one per Redis). */
export function redisPace(store: Store, keys: PaceKeys, clock: RedisClock): SharedPace {
  /** Read Redis's clock with `operation`'s reply, which ends with Redis's `TIME` (ms) as its second item. */
  const timed = async (operation: Parameters<Store["run"]>[0]): Promise<unknown[]> => {
    const sent = performance.now();
    const reply = await store.run(operation);
    const received = performance.now();
    if (!Array.isArray(reply)) throw storeError(CoreCode.coordinationFailed, "Redis answered a pace script with something other than a list");
    const now = Array.isArray(reply[1]) ? timeOf(reply[1]) : Number(text(reply[1]));
    if (!Number.isFinite(now)) throw storeError(CoreCode.coordinationFailed, "Redis answered a pace script without its time");
    clock.sample(now, sent, received);
    return reply as unknown[];
  };

  return {
    async claim(intervalMs, maxWaitMs) {
      if (!(Number.isFinite(intervalMs) && intervalMs >= 0)) throw new RangeError(`claim() takes a finite interval in ms >= 0; got ${intervalMs}`);
      if (maxWaitMs !== undefined && !(typeof maxWaitMs === "number" && maxWaitMs >= 0))
        throw new RangeError(`claim() takes a wait in ms >= 0 or none; got ${maxWaitMs}`);
      const limit = maxWaitMs !== undefined && Number.isFinite(maxWaitMs) ? String(maxWaitMs) : "";
      const [slotText, nowText, previous, refused] = (await timed((send) => evalScript(send, CLAIM, [keys.slot], [String(intervalMs), limit]))).map(text);
      const slot = Number(slotText);
      if (slotText === null || slotText === undefined || !Number.isFinite(slot)) {
        throw storeError(CoreCode.coordinationFailed, "Redis answered a pace claim with something other than a slot");
      }
      // Refused: nothing was claimed; the slot's distance on Redis's clock says how long the queue is.
      if (refused === "1") return { wait: Math.max(0, slot - Number(nowText)), refused: true };
      // A reply that was long on its way leaves the slot's local time uncertain: while the slot is
      // still some way off, read Redis's clock again. The claim stands whatever these readings do.
      for (let i = 0; i < MAX_READINGS && clock.uncertainty() > CERTAIN_MS && clock.local(slot) - performance.now() > READING_MS; i++) {
        const asked = performance.now();
        const time = timeOf(await store.run((send) => send(["TIME"])).catch(() => null));
        if (!Number.isFinite(time)) break;
        clock.sample(time, asked, performance.now());
      }
      const answeredKey = (name: string) => `${keys.answered}:${name}`;
      const mine = answeredKey(slotText);
      let reported = false;
      return {
        // Counted from the latest moment the slot may come on this process's clock: a reading's
        // error can lie either way, and starting early is what would break the server's window.
        wait: Math.max(0, clock.local(slot) + clock.uncertainty() - performance.now()),

        async settle(gapMs, maxMs) {
          if (previous === null || previous === undefined || !Number.isFinite(Number(previous))) return 0; // no slot before this one lately
          const before = answeredKey(previous);
          const giveUp = performance.now() + maxMs;
          for (;;) {
            const [stored] = await timed((send) => evalScript(send, LATEST, [before], []));
            const at = Number(text(stored));
            if (stored !== null && stored !== false && Number.isFinite(at))
              return Math.max(0, clock.local(at) + clock.uncertainty() + gapMs - performance.now());
            if (performance.now() + SETTLE_POLL_MS > giveUp) return 0;
            await sleep(SETTLE_POLL_MS);
          }
        },

        answered(unsent) {
          if (reported) return;
          reported = true;
          // The latest the answer may have come on Redis's clock; if this process's reckoning is
          // too uncertain, Redis's own time when the report arrives (later still: safe). A request
          // never sent is reported as answered long ago: the next slot waits for its slot alone.
          const reckoned =
            unsent === true ? "0" : clock.uncertainty() <= REPORT_UNCERTAINTY_MS ? (clock.redis(performance.now()) + clock.uncertainty()).toFixed(3) : "";
          void store.run((send) => evalScript(send, ANSWERED, [mine], [reckoned, String(ANSWERED_TTL_MS)])).catch(() => undefined);
        },
      };
    },
  };
}

/** A `TIME` reply (`[seconds, microseconds]`) in ms, or `NaN`. */
function timeOf(reply: unknown): number {
  if (!Array.isArray(reply) || reply.length !== 2) return NaN;
  return Number(text(reply[0])) * 1000 + Number(text(reply[1])) / 1000;
}
