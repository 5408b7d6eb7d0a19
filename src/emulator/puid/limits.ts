/** The rate limit of `/v1/ids` (§7) and the daily quota (§8), per account. */
import { FREE_PLAN } from "./accounts.js";

/** One `/v1/ids` request per this many ms per account, on every plan (§7 `RATE_WINDOW_MS`). */
export const RATE_WINDOW_MS = 1000;
/** The free plan's ids per UTC day (§8). */
export const FREE_DAILY_LIMIT = 1000;
const DAY_MS = 86_400_000;

/** Today's usage of one account, the shape of `GET /v1/quota` (§3.3). */
export interface Usage {
  plan: string;
  used: number;
  /** `null` on an unlimited plan. */
  limit: number | null;
  /** `max(0, limit - used)`, or `null` on an unlimited plan. */
  remaining: number | null;
}

export type Limits = ReturnType<typeof createLimits>;

/** The limiter and the usage rows of one emulator; `freeLimit` is the free plan's daily limit. */
export function createLimits(freeLimit: number) {
  const lastAllowed = new Map<string, number>();
  const spent = new Map<string, { n: number; at: number }[]>();

  const limitOf = (plan: string): number | null => (plan === FREE_PLAN ? freeLimit : null);

  /** DATA `quota`: the sum of `n` over the account's usage rows since 00:00 UTC of `at`'s day. */
  const usedToday = (account: string, at: number): number => {
    const dayStart = Math.floor(at / DAY_MS) * DAY_MS;
    let used = 0;
    for (const row of spent.get(account) ?? []) if (row.at >= dayStart) used += row.n;
    return used;
  };

  return {
    limitOf,
    usedToday,

    /**
     * DATA `rateLimit`: the upsert that only advances when `at - last >= 1000`. Returns `null` when
     * the request may go on (its time is now the account's last), else `retryAfterMs`:
     * `max(0, 1000 - (at - last))`, which exceeds 1000 if the clock was set back.
     */
    take(account: string, at: number): number | null {
      const last = lastAllowed.get(account);
      if (last === undefined || at - last >= RATE_WINDOW_MS) {
        lastAllowed.set(account, at);
        return null;
      }
      return Math.max(0, RATE_WINDOW_MS - (at - last));
    },

    /** One usage row `(account, n, at)`, written with the counter update (§3.1). */
    spend(account: string, n: number, at: number): void {
      const rows = spent.get(account) ?? [];
      rows.push({ n, at });
      spent.set(account, rows);
    },

    /** `GET /v1/quota`'s numbers (DATA `quota-status`). */
    usage(account: string, plan: string, at: number): Usage {
      const used = usedToday(account, at);
      const limit = limitOf(plan);
      return { plan, used, limit, remaining: limit === null ? null : Math.max(0, limit - used) };
    },
  };
}
