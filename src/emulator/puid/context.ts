/** What the routes share: the emulator's state, and the per-request values Hono carries. */
import type { Now } from "../serve.js";
import type { Accounts } from "./accounts.js";
import type { Counter } from "./counter.js";
import type { Grants } from "./grants.js";
import type { Limits } from "./limits.js";

/** What `/oauth/authorize` does instead of a login and consent page: approve for a team, or deny. */
export type AuthorizeDecision = { readonly account: string } | "deny";

/** One request as the emulator saw it. */
export interface LoggedRequest {
  /** When it arrived, on the emulator's clock (ms since the epoch). */
  readonly at: number;
  readonly method: string;
  /** The path and query as sent, e.g. `/api/v1/ids?n=3`. */
  readonly path: string;
  readonly status: number;
  /** The account it acted for (a team id or `client:<clientId>`), or `null`. */
  readonly account: string | null;
  /** The ids it issued (empty unless a `/v1/ids` success). */
  readonly ids: readonly string[];
}

/** The state of one emulator; every route reads and changes only this. */
export interface State {
  readonly now: Now;
  readonly accounts: Accounts;
  readonly limits: Limits;
  readonly grants: Grants;
  readonly counter: Counter;
  readonly authorize: AuthorizeDecision;
  readonly csrf: boolean;
  readonly log: LoggedRequest[];
}

/** Per-request values: the one instant every decision of the request uses, and what goes in the log. */
export interface Env {
  Variables: {
    at: number;
    account: string;
    ids: readonly string[];
  };
}
