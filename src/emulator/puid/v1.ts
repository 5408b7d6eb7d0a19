/** The public service endpoints: `/v1/ids`, `/v1/ordinal/{puid}`, `/v1/quota` (§3). */
import type { Context } from "hono";
import { decodeBase62Mod128, NotBase62 } from "./base62.js";
import type { Env, State } from "./context.js";
import { json } from "./http.js";

/** The most ids one request may ask for (§3.1 `MAX_PER_REQUEST`). */
export const MAX_PER_REQUEST = 10;
/** Where the id starts in an ordinal path, after trailing slashes are gone. */
export const ORDINAL_PREFIX = "/api/v1/ordinal/";

type Handler = (c: Context<Env>) => Response | Promise<Response>;

/** The 401 of each endpoint: same code, three different messages (§3). */
const unauthorized = (message: string) => json({ error: "unauthorized", message }, 401);

/** Who the request is, recorded for the log; `null` means answer 401. */
function principal(state: State, c: Context<Env>) {
  const who = state.accounts.principal(c.req.raw, state.grants, c.get("at"));
  if (who) c.set("account", who.account);
  return who;
}

/**
 * `/v1/ids` (§3.1), checked in the server's order: credentials, rate limit, `n`, quota, then the
 * allocation. A 400 or 402 has already used the second's rate-limit slot, as on the server.
 */
export const ids =
  (state: State): Handler =>
  (c) => {
    const at = c.get("at");
    const who = principal(state, c);
    if (!who) return unauthorized("Send X-API-Key or a Bearer token. Sign in at /dashboard to get one.");
    const url = new URL(c.req.url);
    const upgradeUrl = `${url.origin}/upgrade`;
    const retryAfterMs = state.limits.take(who.account, at);
    if (retryAfterMs !== null) {
      const body = { error: "rate_limited", message: "One request per second. Want more? That requires an upgrade.", retryAfterMs, upgrade_url: upgradeUrl };
      return json(body, 429, { "retry-after": String(Math.ceil((retryAfterMs || 1000) / 1000)) }); // §7, formula as written
    }
    const n = Number(url.searchParams.get("n") ?? "1"); // so `n=` is 0 and `n=0x5` is 5 (§3.1)
    if (!Number.isInteger(n) || n < 1 || n > MAX_PER_REQUEST) return json({ error: "bad_request", message: "n must be 1..10." }, 400);
    const used = state.limits.usedToday(who.account, at);
    const limit = state.limits.limitOf(who.plan);
    if (limit !== null && used + n > limit) {
      // All or nothing, and `used` is before this request (§3.1, §6).
      const message = `Free tier is ${limit} numbers/day. Upgrade to count higher.`;
      return json({ error: "quota_exceeded", used, limit, plan: who.plan, message, upgrade_url: upgradeUrl }, 402);
    }
    const issued = state.counter.allocate(n, who.account);
    state.limits.spend(who.account, n, at);
    c.set("ids", issued);
    return json({ ids: issued, count: n, quota: { used: used + n, limit } });
  };

/**
 * `/v1/ordinal/{puid}` (§3.2, §14): credentials, then any base62 string of any length, reduced mod
 * 2^128, with the permutation undone. No rate limit, no quota. The id is the rest of the path, so
 * `a/b` is a bad character `/` (our choice: the reference does not say whether a `/` ends the
 * route). It is percent-decoded where nothing catches a malformed escape, so that is the server's
 * 500 (the app's error handler).
 */
export const ordinal =
  (state: State): Handler =>
  (c) => {
    if (!principal(state, c)) return unauthorized("Send X-API-Key or a Bearer token.");
    const puid = decodeURIComponent(c.req.path.slice(ORDINAL_PREFIX.length)); // throws URIError: 500
    let value: bigint;
    try {
      value = decodeBase62Mod128(puid);
    } catch (error) {
      if (error instanceof NotBase62) return json({ error: "bad_request", message: `Not a valid PUID: ${error.message}` }, 400);
      throw error;
    }
    return json({ puid, ordinal: state.counter.codec.unpermute(value).toString() });
  };

/** `/v1/quota` (§3.3): today's usage, without spending anything and without a rate limit. */
export const quota =
  (state: State): Handler =>
  (c) => {
    const who = principal(state, c);
    if (!who) return unauthorized("Send X-API-Key.");
    return json(state.limits.usage(who.account, who.plan, c.get("at")));
  };
