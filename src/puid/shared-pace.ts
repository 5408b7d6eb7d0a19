/**
 * The pace of `/v1/ids` shared with other clients, in any process, through a `Coordination`
 * (e.g. `picket-puid/redis`). `puidHooks` imports this module when a client is given a
 * coordination, so a client that paces alone never loads it.
 */
import { abortable, sleep } from "../core/abort.js";
import { base64url } from "../core/base64.js";
import type { SharedPace, SharedSlot } from "../core/coordination.js";
import type { Pacer } from "../core/pacer.js";
import type { SharedPacing } from "./api.js";

/** How long before its slot a request asks whether the previous slot's request was answered. */
const SETTLE_AHEAD_MS = 25;
/** Added to the server's window after the previous answer: the clocks' uncertainty (see `picket-puid/redis`). */
const SETTLE_SLACK_MS = 10;

/**
 * A `/v1/ids` turn with a shared pace: this client's own turn first (its requests in order, each
 * after the previous answer), then the next slot of the account's shared pace; shortly before
 * that slot, a look at when the previous slot's request was answered: if it went out late, this
 * one waits until a window after that answer (for at most one more window). If the store fails,
 * the own turn stands alone. A call that gives up during the shared wait frees its own turn and
 * reports its slot unused; the slot stays spent (giving it back could let two requests into one
 * window).
 *
 * `marginMs` widens each interval as the client's own pacer does.
 */
export function sharedTurn(pacer: Pacer, requestsPerSecond: number, marginMs: number, shared: SharedPacing): (signal: AbortSignal) => Promise<() => void> {
  const intervalMs = (1000 + marginMs) / requestsPerSecond;
  const windowMs = 1000 / requestsPerSecond;
  // An API key's hash is worked out now, not in the first call's turn, where it would delay the request.
  const { account } = shared;
  const key = "apiKey" in account ? apiKeyAccount(account.apiKey) : Promise.resolve(account.name);
  let pace: Promise<SharedPace> | undefined;
  /** The store failed: this client's own pace holds. */
  const alone = (signal: AbortSignal) => (error: unknown) => {
    if (signal.aborted) throw error;
    return null;
  };
  return async (signal) => {
    const release = await pacer.acquire(signal);
    let slot: SharedSlot | null = null;
    try {
      pace ??= key.then((name) => shared.coordination.pace(name));
      const current = await abortable(pace, signal);
      slot = await abortable(current.claim(intervalMs), signal).catch(alone(signal));
      if (slot === null) return release;
      const at = performance.now() + slot.wait;
      if (slot.settle) {
        await sleep(slot.wait - SETTLE_AHEAD_MS, signal);
        const later = (await abortable(slot.settle(windowMs + SETTLE_SLACK_MS, SETTLE_AHEAD_MS + windowMs), signal).catch(alone(signal))) ?? 0;
        await sleep(Math.max(at - performance.now(), later), signal);
      } else await sleep(slot.wait, signal);
      const claimed = slot;
      return () => {
        release();
        claimed.answered?.();
      };
    } catch (error) {
      release();
      slot?.answered?.();
      throw error;
    }
  };
}

/** The key an API key's account is paced under in a shared store: a hash, never the key. */
async function apiKeyAccount(apiKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(apiKey));
  return `key:${base64url(new Uint8Array(digest))}`;
}
