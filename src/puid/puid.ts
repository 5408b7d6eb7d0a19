import { expectShape, guard, type Api } from "../core/api.js";
import type { ApiPromise } from "../core/api-promise.js";
import { onDemand } from "../core/on-demand.js";
import { checkKeys, readOptions } from "../core/options.js";
import type { RequestOptions } from "../core/transport.js";
import { describeValue } from "../core/values.js";
import type { paths, SchemaAuthorizationServerMetadata, SchemaClientRegistration, SchemaQuotaResponse } from "../generated/puid.js";
import {
  checkCoordination,
  CLIENT_OPTIONS,
  OPTION_HINTS,
  puidApi,
  puidCredential,
  puidHooks,
  type PuidClientOptions,
  type PuidCredentials,
  type PuidOptions,
} from "./api.js";
import { PuidCode, puidArgument, puidErrors } from "./errors.js";
import type { AuthorizationCodeInit, AuthorizationRequest, AuthorizationUrlInit, ClientCredentialsInit, RegisterClientInit } from "./oauth.js";

/** Credentials and options of a `Puid` client. */
export type PuidInit = PuidCredentials & PuidOptions;

/** Today's usage of the account (UTC day). `limit` and `remaining` are `null` on an unlimited plan. */
export interface PuidQuota extends SchemaQuotaResponse {}

/** The options `new Puid(...)` takes. */
const PUID_OPTIONS: readonly string[] = ["apiKey", "accessToken", "tokenSource", "requestsPerSecond", "coordination", ...CLIENT_OPTIONS];

/** The most ids one request may ask for. */
export const MAX_IDS_PER_REQUEST = 10;
const ID_PATTERN = /^[0-9A-Za-z]{1,22}$/;

/**
 * Run one of the OAuth flows, which (with the token source they build) are imported on first use:
 * a bundler that splits code keeps them out of what loads with `Puid`, and a client with an API
 * key or an access token never loads them. Rejects only with `PuidError`, as a method does.
 */
const oauth = <T>(flow: (flows: typeof import("./oauth.js")) => Promise<T>): Promise<T> =>
  guard(puidErrors, async () => flow(await onDemand(puidErrors, "OAuth flows", () => import("./oauth.js"))));

/**
 * The PUID client: ids, ordinal decoding and quota in one line each, with typed errors.
 *
 * ```ts
 * import { Puid } from "picket-puid/puid";
 *
 * const puid = new Puid({ apiKey: process.env.PUID_API_KEY! });
 * const ids = await puid.ids(3); // string[]
 * const n = await puid.ordinal(ids[0]!); // bigint
 * ```
 *
 * Every method takes a trailing `RequestOptions` (`timeout`, `maxRetries`, `signal`, `headers`,
 * `fetch`) over the client's own, and rejects only with `PuidError`.
 */
export class Puid {
  /** The API base URL this client calls, without a trailing slash. */
  readonly endpoint: string;
  readonly #api: Api<paths>;

  /**
   * @param init exactly one of `apiKey` (sent as `X-API-Key`), `accessToken` (sent as
   *   `Authorization: Bearer`) or `tokenSource` (tokens on demand, renewed after a 401), plus
   *   `endpoint` (default `https://puid.dev/api`) and request options.
   * @throws {PuidError} code `invalid_credentials`, `status: null`, unless exactly one credential is given.
   */
  constructor(init: PuidInit = {}) {
    const read = readOptions(puidErrors, init ?? {});
    checkKeys(puidErrors, read, PUID_OPTIONS, OPTION_HINTS);
    const credential = puidCredential(read);
    const { apiKey, accessToken: _accessToken, tokenSource, requestsPerSecond = 1, coordination: given, ...options } = read;
    const coordination = checkCoordination(given);
    // Pacing is shared per account: an API key's, or a token source's that knows its account.
    const key = "headers" in credential ? credential.headers["x-api-key"] : undefined;
    const account = key ? { apiKey: key } : tokenSource?.account ? { name: tokenSource.account } : null;
    const hooks = puidHooks(requestsPerSecond, tokenSource ?? null, coordination && account ? { coordination, account } : undefined);
    this.#api = puidApi("headers" in credential ? credential.headers : {}, options, hooks);
    this.endpoint = this.#api.baseUrl;
  }

  /**
   * Issue `count` new ids (1–10, default 1) in one request. Spends `count` of today's quota.
   *
   * Retried on 429 (the server refused before spending anything) and on connection failures;
   * never after a 5xx or a timeout, which may have spent quota.
   *
   * @throws {PuidError} `invalid_count` (before any request) unless `count` is an integer 1–10;
   *   `rate_limited` (429, with `retryAfterMs`), `quota_exceeded` (402, with `upgradeUrl`),
   *   `unauthorized` (401), ...
   */
  ids(count: number = 1, options?: RequestOptions): ApiPromise<string[]> {
    return this.#api.run(async (call) => {
      if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > MAX_IDS_PER_REQUEST) {
        throw puidArgument(PuidCode.invalidCount)(`count must be an integer from 1 to ${MAX_IDS_PER_REQUEST}; got ${describeValue(count)}.`);
      }
      const data = await call("GET", "/v1/ids", { query: { n: count } }, options);
      // Every id must be one `ordinal()` would take: not "", not a path, not a megabyte.
      expectShape(
        Array.isArray(data.ids) && data.ids.length > 0 && data.ids.every((id) => typeof id === "string" && ID_PATTERN.test(id)),
        puidErrors,
        "list of ids (1-22 base62 characters each)",
        undefined,
      );
      return data.ids.slice(0, count); // never more than asked for, whatever the server sends
    });
  }

  /**
   * Issue `total` ids, yielded as they arrive: requests of 10 at the paced rate (so
   * `generate(25)` makes 3 requests), with no 429 from this client's own pace. When the daily
   * quota runs out it ends with a `PuidError` (`quota_exceeded`) after yielding every id it got.
   *
   * ```ts
   * import { Puid } from "picket-puid/puid";
   *
   * const puid = new Puid();
   * const saved: string[] = [];
   * for await (const id of puid.generate(25)) saved.push(id);
   * ```
   *
   * @throws {PuidError} `invalid_count` (before any request) unless `total` is a whole number ≥ 0.
   */
  async *generate(total: number, options?: RequestOptions): AsyncGenerator<string, void, undefined> {
    if (typeof total !== "number" || !Number.isSafeInteger(total) || total < 0) {
      throw puidArgument(PuidCode.invalidCount)(`total must be a whole number of ids; got ${describeValue(total)}.`);
    }
    for (let left = total; left > 0;) {
      const batch = await this.ids(Math.min(MAX_IDS_PER_REQUEST, left), options);
      left -= batch.length;
      yield* batch;
    }
  }

  /** Issue one new id. Same rules as `ids(1)`. */
  id(options?: RequestOptions): ApiPromise<string> {
    return this.#api.run(async (call) => {
      const data = await call("GET", "/v1/ids", { query: { n: 1 } }, options);
      expectShape(
        Array.isArray(data.ids) && typeof data.ids[0] === "string" && ID_PATTERN.test(data.ids[0]),
        puidErrors,
        "id (1-22 base62 characters)",
        undefined,
      );
      return data.ids[0]!;
    });
  }

  /**
   * Decode an id back to the counter value it was made from, exactly (up to 2^128 − 1). Does not
   * spend quota and is not rate limited.
   *
   * @throws {PuidError} `invalid_puid` (before any request) unless `puid` is 1–22 base62
   *   characters; `unauthorized` (401), ...
   */
  ordinal(puid: string, options?: RequestOptions): ApiPromise<bigint> {
    return this.#api.run(async (call) => {
      if (typeof puid !== "string" || !ID_PATTERN.test(puid)) {
        throw puidArgument(PuidCode.invalidPuid)(`puid must be a string of 1 to 22 characters 0-9, A-Z, a-z; got ${describeValue(puid)}.`);
      }
      const data = await call("GET", "/v1/ordinal/{puid}", { path: { puid } }, options);
      expectShape(typeof data.ordinal === "string" && /^[0-9]{1,39}$/.test(data.ordinal), puidErrors, "decimal ordinal", undefined);
      return BigInt(data.ordinal);
    });
  }

  /** Today's usage (UTC day) without spending an id: `{ plan, used, limit, remaining }`. */
  quota(options?: RequestOptions): ApiPromise<PuidQuota> {
    return this.#api.run(async (call) => {
      const data = await call("GET", "/v1/quota", {}, options);
      const { plan, used, limit, remaining } = data;
      expectShape(typeof plan === "string" && typeof used === "number", puidErrors, "plan and usage", data);
      return { plan, used, limit: limit ?? null, remaining: remaining ?? null };
    });
  }

  /**
   * Exchange OAuth client credentials for an access token (`POST /oauth/token`, as JSON with
   * `client_id` and `client_secret` in the body: the only form the PUID server accepts from a
   * backend) and return a client that sends it as `Authorization: Bearer`. The client renews
   * the token by itself — ahead of its expiry, once for any number of concurrent calls, and once
   * after a 401 (then replays the refused request once). No call mints more than one token.
   *
   * The client acts as the pseudo-account `client:<clientId>` (its own daily quota and rate
   * limit), not as any team.
   *
   * @throws {PuidError} `invalid_client` (before any request) for a missing id or secret;
   *   `insufficient_scope` for a `scope` without `puid:generate` (before any request) or a token
   *   granted without it; the server's OAuth error (`invalid_client` 401, `invalid_grant` /
   *   `unsupported_grant_type` 400) when it refuses.
   */
  static fromClientCredentials(init: ClientCredentialsInit): Promise<Puid> {
    return oauth(async (flows) => new this(await flows.clientCredentials(init)));
  }

  /**
   * Start the authorization-code flow with PKCE (S256): the URL of PUID's authorize page (at the
   * site root, not under `/api`) with a fresh code challenge, and the `codeVerifier` and `state`
   * to keep until the browser comes back.
   *
   * @throws {PuidError} `invalid_client` / `invalid_request` (status null) for missing arguments;
   *   `insufficient_scope` for a `scope` without `puid:generate`.
   */
  static authorizationUrl(init: AuthorizationUrlInit): Promise<AuthorizationRequest> {
    return oauth((flows) => flows.authorizationUrl(init));
  }

  /**
   * Finish the authorization-code flow: exchange the code (with its PKCE verifier) for tokens
   * (as JSON, see `fromClientCredentials`) and return a client acting for the team that
   * approved. When the access token expires the client renews it with the refresh token, by
   * itself.
   *
   * @throws {PuidError} `invalid_client` / `invalid_grant` (status null) for missing arguments;
   *   the server's `invalid_grant` (400) for a used, expired or mismatched code or a failed PKCE
   *   check; `insufficient_scope` when the token was granted without `puid:generate`.
   */
  static fromAuthorizationCode(init: AuthorizationCodeInit): Promise<Puid> {
    return oauth(async (flows) => new this(await flows.authorizationCode(init)));
  }

  /**
   * Register an OAuth client (RFC 7591 style, no credential needed). The answer holds the
   * `client_secret`, shown this once.
   *
   * @throws {PuidError} `invalid_redirect_uris` (before any request, or from the server) without
   *   at least one redirect URI.
   */
  static registerClient(init: RegisterClientInit, options?: RequestOptions): Promise<SchemaClientRegistration> {
    return oauth((flows) => flows.registerClient(init, options));
  }

  /** The server's OAuth metadata (RFC 8414 style; served under the API base, not the site root). */
  static authorizationServerMetadata(init: PuidClientOptions = {}, options?: RequestOptions): Promise<SchemaAuthorizationServerMetadata> {
    return oauth((flows) => flows.serverMetadata(init, options));
  }
}
