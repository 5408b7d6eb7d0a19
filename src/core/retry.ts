/** When to try a request again, and how long to wait first. */

/** Statuses worth another attempt: the request timed out, was refused for rate, or the server failed. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** A server hint longer than this is not waited for: the call fails and the caller decides. */
export const MAX_HINT_MS = 60_000;

/** Exponential backoff from 0.5 s, doubling up to 8 s, shortened by up to 25 % of jitter. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** retry, 8_000);
  return base * (1 - 0.25 * random());
}

/**
 * The wait a response asks for, in ms, or `null` when it names none. `retry-after-ms` (a float of
 * milliseconds) wins, then the API's own hint from the body, then `Retry-After` in seconds or as
 * an HTTP date. Negative or unreadable values are ignored.
 */
export function retryAfterMs(headers: Headers, bodyHint: number | null = null, now: number = Date.now()): number | null {
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  if (bodyHint !== null && Number.isFinite(bodyHint) && bodyHint >= 0) return bodyHint;
  const value = headers.get("retry-after")?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
