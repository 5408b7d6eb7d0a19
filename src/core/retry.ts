/**
 * Whether to try a request again, and how long to wait first: the whole decision, for both APIs.
 * Each API only says which of its requests are safe to repeat, and where its own wait hint is.
 */
import type { Outgoing } from "./attempt.js";
import type { Reply } from "./body.js";
import { CoreCode, type PicketPuidError } from "./errors.js";
import { neverConnected } from "./failure.js";

/** Statuses worth another attempt: the request timed out, was refused for rate, or the server failed. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** A server hint longer than this is not waited for: the call fails and the caller decides. */
export const MAX_HINT_MS = 60_000;

/** What an API tells the retry decision. */
export interface RetryRules {
  /**
   * Whether repeating the request after it may have reached the server (a 5xx, a timeout) is
   * safe: it is for reads, not for a call that spends quota or mints something.
   */
  idempotent: (request: Outgoing) => boolean;
  /** The API's own wait hint from a parsed error body (PUID's `retryAfterMs`), if it has one. */
  bodyRetryHint?: ((body: unknown) => number | null) | undefined;
}

/** Exponential backoff from 0.5 s, doubling up to 8 s, shortened by up to 25 % of jitter. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** retry, 8_000);
  return base * (1 - 0.25 * random());
}

/** An HTTP date in the one form a server may send (RFC 9110 §5.6.7, IMF-fixdate). */
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** A wait that can be honoured: a finite, non-negative number of ms no larger than a safe integer. */
const usable = (ms: number): number | null => (Number.isFinite(ms) && ms >= 0 && ms <= Number.MAX_SAFE_INTEGER ? ms : null);

/**
 * The wait a response asks for, in ms, or `null` when it names none. `retry-after-ms` (a decimal
 * number of milliseconds) wins, then the API's own hint from the body, then `Retry-After` as
 * delta-seconds or an IMF-fixdate. Parsed strictly: anything else (`-1`, two values joined as
 * `1, 2`, a date in another format) is ignored rather than read as "now", and a value too large to
 * hold is ignored too, so the result is always finite.
 */
export function retryAfterMs(headers: Headers, bodyHint: number | null = null, now: number = Date.now()): number | null {
  const ms = headers.get("retry-after-ms")?.trim() ?? "";
  if (/^\d+(\.\d+)?$/.test(ms) && usable(Number(ms)) !== null) return Number(ms);
  if (bodyHint !== null && usable(bodyHint) !== null) return bodyHint;
  const value = headers.get("retry-after")?.trim() ?? "";
  if (/^\d+$/.test(value)) return usable(Number(value) * 1000);
  return IMF_FIXDATE.test(value) ? usable(Math.max(0, Date.parse(value) - now)) : null;
}

/**
 * The wait an error answer asks for, as its error reports it: only a 429 or a 503 asks to wait;
 * for any other status the headers say nothing about when to come back.
 */
export function errorRetryHint(status: number, headers: Headers, bodyHint: number | null): number | null {
  return status === 429 || status === 503 ? retryAfterMs(headers, bodyHint) : null;
}

/**
 * Milliseconds to wait before retry number `retry + 1` of `request`, or `null` when this outcome
 * is final (an answer that is not worth repeating, or a failure after which repeating could do
 * something twice).
 */
export function retryDelay(
  rules: RetryRules,
  request: Outgoing,
  outcome: { reply: Reply | null; failure: PicketPuidError | null },
  retry: number,
): number | null {
  const { reply, failure } = outcome;
  if (failure) {
    // A request that never reached the server (no connection could be made) is always repeated.
    // Anything later — a reset, a timeout — may have been processed, so only a request that is
    // safe to repeat is tried again.
    const again =
      (failure.code === CoreCode.networkError && (neverConnected(failure.cause) || rules.idempotent(request))) ||
      (failure.code === CoreCode.timeout && rules.idempotent(request));
    return again ? backoffMs(retry) : null;
  }
  if (!reply || !RETRY_STATUSES.has(reply.status)) return null;
  // 408 and 429 mean the server refused the request before doing anything; a 5xx may be half done.
  if (reply.status >= 500 && !rules.idempotent(request)) return null;
  const hint = retryAfterMs(reply.headers, rules.bodyRetryHint?.(reply.data) ?? null);
  if (hint !== null) return hint <= MAX_HINT_MS ? hint : null;
  return backoffMs(retry);
}
