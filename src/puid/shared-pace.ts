/**
 * The pace of `/v1/ids` shared with other clients, in any process, through a `Coordination`
 * (e.g. `picket-puid/redis`). `puidHooks` imports this module when a client is given a
 * coordination, so a client that paces alone never loads it.
 */
import { abortable, sleep } from "../core/abort.js";
import { base64url } from "../core/base64.js";
import type { SharedPace, SharedSlot } from "../core/coordination.js";
import { QueueTimeout } from "../core/failure.js";
import type { Pacer } from "../core/pacer.js";
import type { Turn } from "../core/transport.js";
import type { SharedPacing } from "./api.js";

/** How long before its slot a request asks whether the previous slot's request was answered. */
const SETTLE_AHEAD_MS = 25;
/** Added to the server's window after the previous answer: the clocks' uncertainty (see `picket-puid/redis`). */
const SETTLE_SLACK_MS = 10;

/** A wait a coordination may answer: a finite number of ms >= 0. Anything else could send early. */
const isWait = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;

/** Call `f`, turning a synchronous throw into a rejection: a custom coordination may throw either way. */
function attempt<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (error) {
    return Promise.reject(error); // whatever was thrown, passed on as it is
  }
}

/** Report a slot's answer; a custom coordination's `answered()` that throws costs nothing (the ids are the caller's). */
function report(slot: SharedSlot | null, unsent = false): void {
  try {
    if (unsent) slot?.answered?.(true);
    else slot?.answered?.();
  } catch {
    // It must not throw (see `SharedSlot.answered`); if it does, the report is lost, nothing else.
  }
}

/**
 * A `/v1/ids` turn with a shared pace: this client's own turn first (its requests in order, each
 * after the previous answer), then the next slot of the account's shared pace; shortly before
 * that slot, a look at when the previous slot's request was answered: if it went out late, this
 * one waits until a window after that answer (for at most one more window); a request given up
 * before its slot is reported unsent, so the next one does not wait for it. If the store fails
 * (or answers something that is not a wait), the own turn stands alone. A call that gives up
 * during the shared wait frees its own turn and reports its slot unused; the slot stays spent
 * (giving it back could let two requests into one window).
 *
 * The claim carries what is left of the call's timeout: a slot further away than that is not
 * claimed, and the call fails at once with `timeout` (a `QueueTimeout` saying how long the shared
 * queue is), so callers that cannot wait never push the slots of the rest further away.
 *
 * `marginMs` widens each interval as the client's own pacer does.
 */
export function sharedTurn(pacer: Pacer, requestsPerSecond: number, marginMs: number, shared: SharedPacing): Turn {
  const intervalMs = (1000 + marginMs) / requestsPerSecond;
  const windowMs = 1000 / requestsPerSecond;
  // An API key's hash is worked out now, not in the first call's turn, where it would delay the request.
  const { account } = shared;
  const key = "apiKey" in account ? apiKeyAccount(account.apiKey) : Promise.resolve(account.name);
  let pace: Promise<SharedPace> | undefined;
  /** The account's pace, asked for once; a `pace()` that failed is asked again on the next call, not remembered. */
  const paceOf = (): Promise<SharedPace> => {
    const asked = (pace ??= key.then((name) => {
      const current = shared.coordination.pace(name);
      if (typeof current?.claim !== "function") throw new TypeError("the coordination's pace() gave no claim()");
      return current;
    }));
    asked.catch(() => {
      if (pace === asked) pace = undefined;
    });
    return asked;
  };
  /** The store failed: this client's own pace holds. */
  const alone = (signal: AbortSignal) => (error: unknown) => {
    if (signal.aborted) throw error;
    return null;
  };
  return async (signal, maxWaitMs = Infinity) => {
    const started = performance.now();
    const release = await pacer.acquire(signal);
    let slot: SharedSlot | null = null;
    try {
      const left = maxWaitMs - (performance.now() - started);
      const claimed = await abortable(
        attempt(async () => (await paceOf()).claim(intervalMs, Number.isFinite(left) ? Math.max(0, left) : undefined)),
        signal,
      ).catch(alone(signal));
      // A claim that is not a slot with a usable wait is a store that failed: the own turn stands.
      if (claimed === null || typeof claimed !== "object" || !isWait(claimed.wait)) return release;
      slot = claimed;
      if (slot.refused === true) {
        slot = null; // nothing was claimed: nothing to report
        throw new QueueTimeout(claimed.wait, left);
      }
      if (slot.wait > left) throw new QueueTimeout(slot.wait, left); // claimed (by a store that did not check), but too late to use
      const at = performance.now() + slot.wait;
      if (typeof slot.settle === "function") {
        const settle = slot.settle.bind(slot);
        await sleep(slot.wait - SETTLE_AHEAD_MS, signal);
        const later = await abortable(
          attempt(() => settle(windowMs + SETTLE_SLACK_MS, SETTLE_AHEAD_MS + windowMs)),
          signal,
        ).catch(alone(signal));
        // An answer that is not a wait (NaN, negative, Infinity) is no answer: the slot alone decides.
        await sleep(Math.max(at - performance.now(), isWait(later) ? later : 0), signal);
      } else await sleep(slot.wait, signal);
      const mine = slot;
      return () => {
        release();
        report(mine);
      };
    } catch (error) {
      release(false); // never sent: the next local turn waits only for the request before this one
      // Never sent: the next slot's request need not wait a window after this one (waiting from
      // now would chain: callers giving up one after another would hold every later one back).
      report(slot, true);
      throw error;
    }
  };
}

/** The key an API key's account is paced under in a shared store: a hash, never the key. */
async function apiKeyAccount(apiKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(apiKey));
  return `key:${base64url(new Uint8Array(digest))}`;
}
