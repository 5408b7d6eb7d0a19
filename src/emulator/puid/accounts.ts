/** Team accounts, their API keys and plans, and who a request is (§2, §8). */
import type { Grants } from "./grants.js";
import { randomBase62 } from "./random.js";

/** The plan with a daily limit; every other plan is unlimited (§8). */
export const FREE_PLAN = "free";

/** A team account as the emulator holds it. */
export interface Account {
  /** `team_…`: the account a key acts for, the key of its rate bucket and its quota. */
  readonly id: string;
  /** `free` (limited) or any other string (unlimited). */
  readonly plan: string;
  readonly apiKeys: readonly string[];
}

/** How an account is given to `createPuidEmulator`. */
export interface AccountInit {
  id: string;
  plan?: string | undefined;
  apiKeys: readonly string[];
}

/** Who made a request: the account it acts for and that account's plan. */
export interface Principal {
  readonly account: string;
  readonly plan: string;
}

export type Accounts = ReturnType<typeof createAccounts>;

/**
 * The accounts of one emulator. Checks the configuration: ids start with `team_` (the server looks
 * plans up only for `team_` ids; §4.4 note), and no key belongs to two accounts.
 *
 * @throws {TypeError} for an account without keys, a bad id, or a key used twice.
 */
export function createAccounts(init: readonly AccountInit[]) {
  const byKey = new Map<string, Account>();
  const byId = new Map<string, Account>();
  for (const { id, plan = FREE_PLAN, apiKeys } of init) {
    if (typeof id !== "string" || !/^team_\S+$/.test(id) || byId.has(id))
      throw new TypeError(`Each account needs its own id starting with "team_"; got ${JSON.stringify(id)}.`);
    if (typeof plan !== "string" || plan === "") throw new TypeError(`The plan of ${id} must be a non-empty string.`);
    if (!Array.isArray(apiKeys) || apiKeys.length === 0) throw new TypeError(`Account ${id} needs at least one API key.`);
    const account: Account = Object.freeze({ id, plan, apiKeys: Object.freeze(Array.from<string>(apiKeys)) });
    for (const key of apiKeys) {
      if (typeof key !== "string" || key === "" || byKey.has(key))
        throw new TypeError(`Each API key must be a non-empty string used once; ${id} repeats or lacks one.`);
      byKey.set(key, account);
    }
    byId.set(id, account);
  }

  /** A team's plan; a `client:<id>` pseudo-account has no row, so it is `free` (§4.4 note). */
  const planOf = (account: string): string => byId.get(account)?.plan ?? FREE_PLAN;

  return {
    /** Every account, in the order given. */
    list: [...byId.values()] as readonly Account[],
    has: (id: string): boolean => byId.has(id),
    planOf,

    /**
     * ROUTER `principalFromRequest` (§2, §14): `X-API-Key`, else a `Bearer puid_live_…` value, as
     * an API key; if that is absent or unknown, a `Bearer puid_at_…` token with `puid:generate`.
     * `Bearer ` is case-sensitive. Anything else is `null` (the route answers 401).
     */
    principal(request: Request, grants: Grants, at: number): Principal | null {
      const authorization = request.headers.get("authorization");
      const bearer = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : null;
      const apiKey = request.headers.get("x-api-key") || (bearer?.startsWith("puid_live_") ? bearer : null);
      const team = apiKey ? byKey.get(apiKey) : undefined;
      if (team) return { account: team.id, plan: team.plan };
      const account = bearer?.startsWith("puid_at_") ? grants.accountOf(bearer, at) : null;
      return account === null ? null : { account, plan: planOf(account) };
    },
  };
}

/** A key in the server's format: `puid_live_` + 24 base62 characters (§2, DATA `create-key`). */
export const newApiKey = (): string => randomBase62("puid_live_", 24);

/** A team id in the server's format: `team_` + 16 base62 characters (§9). */
export const newTeamId = (): string => randomBase62("team_", 16);
