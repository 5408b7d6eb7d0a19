/**
 * A stateful, in-memory PUID server (puid.dev) as a Web-standard fetch handler: the routes, the
 * quirks and the error bodies of the reference server (`/work/shared/reference/puid-api.md`
 * §1–§8, §14), on a clock the caller controls.
 *
 * ```ts
 * import { createPuidEmulator, manualClock } from "picket-puid/emulator";
 * import { Puid } from "picket-puid/puid";
 *
 * const clock = manualClock();
 * const emulator = createPuidEmulator({ now: clock.now });
 * const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: "http://127.0.0.1/api", fetch: emulator.fetch });
 * await puid.ids(3);
 * clock.advance(1000); // the next /v1/ids is within the rate limit again
 * ```
 */
import { createPuidCodec } from "../puid/codec.js";
import { createAccounts, newApiKey, newTeamId, type Account, type AccountInit } from "./puid/accounts.js";
import { createApp } from "./puid/app.js";
import type { AuthorizeDecision, LoggedRequest, State } from "./puid/context.js";
import { createCounter, type IssuedId } from "./puid/counter.js";
import { createGrants, type Client, type Token } from "./puid/grants.js";
import { createLimits, FREE_DAILY_LIMIT, type Usage } from "./puid/limits.js";
import { listen, type Listening, type ListenOptions, type Now } from "./serve.js";

export type { AuthorizeDecision, IssuedId, LoggedRequest, Token, Usage };
/** A team account of the emulator: its id (`team_…`), plan and API keys. */
export type PuidEmulatorAccount = Account;
/** How an extra team account is given: `plan` defaults to `free`. */
export type PuidEmulatorAccountInit = AccountInit;

/** A pre-registered OAuth client, as if `POST /api/oauth/register` had made it. */
export interface PuidEmulatorClientInit {
  clientId: string;
  clientSecret: string;
  /** Where `/oauth/authorize` may send the browser back; compared string for string. */
  redirectUris: readonly string[];
  /** Default "Unnamed App", as for a registration without a name. */
  clientName?: string | undefined;
}

/** A registered OAuth client as the views show it: everything but the secret. */
export type PuidEmulatorClient = Omit<Client, "clientSecret">;

/** Options of `createPuidEmulator`; all are optional. */
export interface PuidEmulatorOptions {
  /**
   * The API keys of one default team account on plan `free`. Default: one generated key
   * (`puid_live_` + 24 base62), or no default account at all when `accounts` is given.
   */
  apiKeys?: readonly string[] | undefined;
  /** Team accounts (after the default one, if any), e.g. `{ id: "team_pro", plan: "pro", apiKeys: [...] }`. Ids start with `team_`. */
  accounts?: readonly PuidEmulatorAccountInit[] | undefined;
  /** OAuth clients known from the start (more can register over HTTP). */
  clients?: readonly PuidEmulatorClientInit[] | undefined;
  /** The clock of every rate window, UTC day and expiry. Default `Date.now`; tests pass `manualClock().now`. */
  now?: Now | undefined;
  /**
   * SvelteKit's production CSRF gate (§14): a form-like POST/PUT/PATCH/DELETE without the
   * request's own `Origin` gets 403 before any route. Default `true`, as in production; `false`
   * behaves like the server under `vite dev`, where the official SDKs' tests run.
   */
  csrf?: boolean | undefined;
  /**
   * What `/oauth/authorize` does in place of its login and consent page: approve at once for
   * `{ account }` (default: the first account) or `"deny"`.
   */
  authorize?: AuthorizeDecision | undefined;
  /** Ids per UTC day on the `free` plan. Default 1000, as on the server. */
  dailyLimit?: number | undefined;
  /**
   * The four Feistel round keys ids are made with (§5). Default puid.dev's public ones; a
   * self-hosted deployment has its own, so its ids decode only with its keys.
   */
  roundKeys?: readonly bigint[] | undefined;
}

/** A running emulator: its fetch handler, a way to serve it on a port, and read-only views of its state. */
export interface PuidEmulator {
  /**
   * The server as a fetch function (called like the global `fetch`): pass it as any client's
   * `fetch`. Every answer is one the real server would give, its undocumented 500s included.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Serve on a real port (default 127.0.0.1, a free port); `url` is the origin + `/api`. */
  listen(options?: ListenOptions): Promise<Listening>;
  /** Every API key it accepts, in account order. */
  readonly apiKeys: readonly string[];
  /** Its team accounts, in order; the first is the default. */
  readonly accounts: readonly PuidEmulatorAccount[];
  /** Every id issued so far, in counter order, with its ordinal and account (a fresh frozen copy). */
  readonly issued: readonly IssuedId[];
  /** Every request so far, in arrival order (a fresh frozen copy). */
  readonly log: readonly LoggedRequest[];
  /** Registered clients, without their secrets. */
  readonly clients: readonly PuidEmulatorClient[];
  /** Every token minted (access and refresh, expired ones included), without its value. */
  readonly tokens: readonly Token[];
  /**
   * Today's usage (UTC day on the emulator's clock) of a team (default: the first account) or of
   * a client-credentials pseudo-account `client:<clientId>`: what `GET /v1/quota` would say.
   * @throws {RangeError} for an account the emulator does not know.
   */
  usage(account?: string): Usage;
}

/**
 * Create an in-memory PUID server. Nothing is shared between emulators: each has its own
 * accounts, counter, limits, clients and tokens.
 *
 * @throws {TypeError} for options that do not describe a valid set of accounts and clients;
 *   the codec's `PuidError` (`invalid_option`) for round keys that are not four 64-bit values.
 */
export function createPuidEmulator(options: PuidEmulatorOptions = {}): PuidEmulator {
  const { now = Date.now, csrf = true, dailyLimit = FREE_DAILY_LIMIT } = options;
  if (typeof now !== "function") throw new TypeError("`now` must be a function returning ms since the epoch.");
  if (!Number.isSafeInteger(dailyLimit) || dailyLimit < 1) throw new TypeError(`\`dailyLimit\` must be a whole number >= 1; got ${String(dailyLimit)}.`);
  const accounts = createAccounts(accountsOf(options));
  const clients = (options.clients ?? []).map(clientOf);
  if (new Set(clients.map((client) => client.clientId)).size !== clients.length) throw new TypeError("Each client needs its own clientId.");
  const grants = createGrants(clients);
  const authorize = options.authorize ?? { account: accounts.list[0]!.id };
  if (authorize !== "deny" && !accounts.has(authorize?.account)) throw new TypeError('`authorize` must be "deny" or { account } naming one of the accounts.');
  const state: State = {
    now,
    accounts,
    grants,
    authorize,
    csrf: csrf !== false,
    limits: createLimits(dailyLimit),
    counter: createCounter(createPuidCodec(options.roundKeys)),
    log: [],
  };
  const app = createApp(state);
  const frozen = <T>(items: readonly T[]): readonly T[] => Object.freeze([...items]);

  const emulator: PuidEmulator = {
    fetch: async (input, init) => app.fetch(input instanceof Request && init === undefined ? input : new Request(input, init)),
    listen: (where) => listen((request) => emulator.fetch(request), "/api", where),
    apiKeys: frozen(accounts.list.flatMap((account) => account.apiKeys)),
    accounts: frozen(accounts.list),
    get issued() {
      return frozen(state.counter.issued());
    },
    get log() {
      return frozen(state.log);
    },
    get clients() {
      return frozen(grants.clients().map(({ clientSecret: _secret, ...client }) => Object.freeze(client)));
    },
    get tokens() {
      return frozen(grants.tokens());
    },
    usage(account = accounts.list[0]!.id) {
      const known = accounts.has(account) || (account.startsWith("client:") && grants.client(account.slice("client:".length)) !== undefined);
      if (!known) throw new RangeError(`No account ${JSON.stringify(account)} in this emulator.`);
      return state.limits.usage(account, accounts.planOf(account), now());
    },
  };
  return Object.freeze(emulator);
}

/** The accounts the options describe: the default one (unless only `accounts` is given), then the rest. */
function accountsOf({ apiKeys, accounts = [] }: PuidEmulatorOptions): AccountInit[] {
  const withDefault = apiKeys !== undefined || accounts.length === 0;
  return withDefault ? [{ id: newTeamId(), plan: "free", apiKeys: apiKeys ?? [newApiKey()] }, ...accounts] : [...accounts];
}

function clientOf(init: PuidEmulatorClientInit): Client {
  const { clientId, clientSecret, redirectUris, clientName = "Unnamed App" } = init ?? ({} as PuidEmulatorClientInit);
  if (typeof clientId !== "string" || clientId === "" || typeof clientSecret !== "string" || clientSecret === "") {
    throw new TypeError("Each client needs a non-empty clientId and clientSecret.");
  }
  if (!Array.isArray(redirectUris) || !redirectUris.every((uri) => typeof uri === "string"))
    throw new TypeError(`The redirectUris of ${clientId} must be an array of strings.`);
  return { clientId, clientSecret, clientName, redirectUris };
}
