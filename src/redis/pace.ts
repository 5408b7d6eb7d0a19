/**
 * Shared pacing: each claim is one Lua script, so reading the last slot, choosing the next and
 * storing it happen as one step for every process, in the order the claims reach Redis. The one
 * clock is Redis's own `TIME`: processes on hosts whose clocks disagree still get slots exactly
 * `intervalMs` apart.
 */
import type { SharedPace } from "../core/coordination.js";
import { evalScript, script, storeError, text, type Store } from "./store.js";

/**
 * KEYS[1]: the pace key, holding the last slot in ms of Redis time (three decimals: microseconds).
 * ARGV[1]: the interval in ms. Returns the wait until the new slot, in ms, as text (an integer
 * reply would drop the fraction). The key lives until the slot plus one interval: after that it
 * would not change the next slot, so an idle account leaves nothing behind.
 */
const CLAIM = script(`
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = tonumber(ARGV[1])
local slot = now
local last = tonumber(redis.call('GET', KEYS[1]))
if last and last + interval > now then slot = last + interval end
local wait = slot - now
redis.call('SET', KEYS[1], string.format('%.3f', slot), 'PX', string.format('%d', math.max(1, math.ceil(wait + interval))))
return string.format('%.3f', wait)
`);

/** The pace stored at `redisKey`. */
export function redisPace(store: Store, redisKey: string): SharedPace {
  return {
    async claim(intervalMs) {
      if (!(Number.isFinite(intervalMs) && intervalMs >= 0)) throw new RangeError(`claim() takes a finite interval in ms >= 0; got ${intervalMs}`);
      const reply = await store.run((send) => evalScript(send, CLAIM, [redisKey], [String(intervalMs)]));
      const wait = Number(text(reply));
      if (!Number.isFinite(wait)) throw storeError("coordination_failed", "Redis answered a pace claim with something other than a wait");
      return Math.max(0, wait);
    },
  };
}
