import { trimEndpoint, type ApiClient } from "../core/client.js";
import { callWith, type CallInit } from "../core/facade.js";
import { describeValue as describe, type CallResult } from "../core/call.js";
import type { RequestOptions } from "../core/transport.js";
import type { paths, SchemaQuotaResponse } from "../generated/puid.js";
import { PUID_ENDPOINT, puidApiClient, puidAuthHeaders, type PuidClientOptions, type PuidCredentials } from "./client.js";
import { PuidError, puidErrors } from "./errors.js";

/** Credentials and options of a `Puid` client. */
export type PuidInit = PuidCredentials & PuidClientOptions;

/** Today's usage of the account (UTC day). `limit` and `remaining` are `null` on an unlimited plan. */
export type PuidQuota = SchemaQuotaResponse;

/** Arguments of `Puid.fromClientCredentials`. */
export interface ClientCredentialsInit extends PuidClientOptions {
  /** The OAuth client id (`client_…`). */
  clientId: string;
  /** The OAuth client secret (`secret_…`). Sent in the form body (`client_secret_post`), never in a URL or a log. */
  clientSecret: string;
  /** Space-separated scopes to ask for; default `puid:generate`, which every /v1 call needs. */
  scope?: string | undefined;
}

/** The most ids one request may ask for. */
export const MAX_IDS_PER_REQUEST = 10;
const ID_PATTERN = /^[0-9A-Za-z]{1,22}$/;

/**
 * The PUID client: ids, ordinal decoding and quota in one line each, with typed errors.
 *
 * ```ts
 * const puid = new Puid({ apiKey: process.env.PUID_API_KEY! });
 * const [a, b, c] = await puid.ids(3);
 * const n = await puid.ordinal(a); // bigint
 * ```
 *
 * Every method takes a trailing `RequestOptions` (`timeout`, `maxRetries`, `signal`, `headers`,
 * `fetch`) over the client's own, and rejects only with `PuidError`.
 */
export class Puid {
  /** The API base URL this client calls, without a trailing slash. */
  readonly endpoint: string;
  readonly #api: ApiClient<paths>;

  /**
   * @param init exactly one of `apiKey` (sent as `X-API-Key`) or `accessToken` (sent as
   *   `Authorization: Bearer`), plus `endpoint` (default `https://puid.dev/api`) and request options.
   * @throws {PuidError} code `invalid_credentials`, `status: null`, unless exactly one credential is given.
   */
  constructor(init: PuidInit) {
    const headers = puidAuthHeaders(init);
    const { apiKey: _apiKey, accessToken: _accessToken, ...options } = init;
    this.#api = puidApiClient(() => headers, options);
    this.endpoint = trimEndpoint(options.endpoint ?? PUID_ENDPOINT);
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
  async ids(count: number = 1, options?: RequestOptions): Promise<string[]> {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > MAX_IDS_PER_REQUEST) {
      throw new PuidError({
        status: null,
        code: "invalid_count",
        message: `count must be an integer from 1 to ${MAX_IDS_PER_REQUEST}; got ${describe(count)}.`,
      });
    }
    const data = await this.#call(options, (c, init) => c.GET("/v1/ids", { params: { query: { n: count } }, ...init }));
    return data.ids;
  }

  /** Issue one new id. Same rules as `ids(1)`. */
  async id(options?: RequestOptions): Promise<string> {
    const [id] = await this.ids(1, options);
    return id!;
  }

  /**
   * Decode an id back to the counter value it was made from, exactly (up to 2^128 − 1). Does not
   * spend quota and is not rate limited.
   *
   * @throws {PuidError} `invalid_puid` (before any request) unless `puid` is 1–22 base62
   *   characters; `unauthorized` (401), ...
   */
  async ordinal(puid: string, options?: RequestOptions): Promise<bigint> {
    if (typeof puid !== "string" || !ID_PATTERN.test(puid)) {
      throw new PuidError({
        status: null,
        code: "invalid_puid",
        message: `puid must be a string of 1 to 22 characters 0-9, A-Z, a-z; got ${describe(puid)}.`,
      });
    }
    const data = await this.#call(options, (c, init) => c.GET("/v1/ordinal/{puid}", { params: { path: { puid } }, ...init }));
    if (!/^[0-9]+$/.test(data.ordinal)) {
      throw new PuidError({ status: 200, code: "invalid_response", message: "The server sent an ordinal that is not a decimal integer.", body: data });
    }
    return BigInt(data.ordinal);
  }

  /** Today's usage (UTC day) without spending an id: `{ plan, used, limit, remaining }`. */
  async quota(options?: RequestOptions): Promise<PuidQuota> {
    const { plan, used, limit, remaining } = await this.#call(options, (c, init) => c.GET("/v1/quota", { ...init }));
    return { plan, used, limit, remaining };
  }

  /**
   * Exchange OAuth client credentials for an access token (`POST /oauth/token`, form-encoded,
   * `client_secret_post`) and return a client that sends it as `Authorization: Bearer`.
   *
   * @throws {PuidError} `invalid_client` (before any request) for a missing id or secret; the
   *   server's OAuth error (`invalid_client` 401, `invalid_grant` / `unsupported_grant_type` 400)
   *   when it refuses; `invalid_client` when its answer holds no `access_token`.
   */
  static async fromClientCredentials(init: ClientCredentialsInit): Promise<Puid> {
    const { clientId, clientSecret, scope = "puid:generate", ...options } = init ?? ({} as ClientCredentialsInit);
    for (const [name, value] of [["clientId", clientId], ["clientSecret", clientSecret]] as const) {
      if (typeof value !== "string" || value.trim() === "") {
        throw new PuidError({ status: null, code: "invalid_client", message: `\`${name}\` must be a non-empty string.` });
      }
    }
    const api = puidApiClient(() => ({}), options);
    const token = await callWith(api, puidErrors, undefined, (c, call) =>
      c.POST("/oauth/token", {
        body: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope },
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        fetch: call.fetch,
      }),
    );
    if (typeof token.access_token !== "string" || token.access_token === "") {
      throw new PuidError({ status: 200, code: "invalid_client", message: "The token endpoint answered without an access_token." });
    }
    return new Puid({ ...options, accessToken: token.access_token });
  }

  #call<T>(options: RequestOptions | undefined, send: (client: ApiClient<paths>["client"], init: CallInit) => Promise<CallResult<T>>): Promise<T> {
    return callWith(this.#api, puidErrors, options, send);
  }
}
