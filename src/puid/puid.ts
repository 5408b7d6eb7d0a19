import { checkBaseUrl, type Api } from "../core/api.js";
import { describeValue as describe, expectShape } from "../core/call.js";
import { createPacer } from "../core/pacer.js";
import { pkce, randomToken } from "../core/pkce.js";
import { TokenSource, type Token } from "../core/token-source.js";
import type { RequestOptions } from "../core/transport.js";
import type { paths, SchemaAuthorizationServerMetadata, SchemaClientRegistration, SchemaQuotaResponse } from "../generated/puid.js";
import {
  PUID_ENDPOINT,
  puidApi,
  puidAuthHeaders,
  puidTransport,
  isIdsRequest,
  type PuidClientOptions,
  type PuidCredentials,
  type PuidHooks,
} from "./client.js";
import { PuidError, puidErrors } from "./errors.js";
import { grantsGenerate, oauthArgument, REQUIRED_SCOPE, requestToken } from "./oauth.js";
import { optionalString, requireText } from "../core/validate.js";

/** Options of a `Puid` client beyond those of the low-level one. */
export interface PuidOptions extends PuidClientOptions {
  /**
   * How many `/v1/ids` requests this client may start per second, default 1 (the server's limit
   * per account). Concurrent calls wait their turn, in order, with a 50 ms margin per interval so
   * the server, which measures arrival times, never sees two inside its window. `false` turns
   * pacing off (for a deployment without the limit, or when pacing happens elsewhere).
   */
  requestsPerSecond?: number | false | undefined;
}

/** Credentials and options of a `Puid` client. */
export type PuidInit = PuidCredentials & PuidOptions;

/** Used by the OAuth factories to hand a renewing token to the constructor; not part of the API. */
const TOKEN_SOURCE = Symbol("tokenSource");
type InternalInit = PuidOptions & { [TOKEN_SOURCE]: TokenSource };

/** Added to the server's 1000 ms window (spread over `requestsPerSecond`), against clock granularity. */
const PACING_MARGIN_MS = 50;

/** Today's usage of the account (UTC day). `limit` and `remaining` are `null` on an unlimited plan. */
export type PuidQuota = SchemaQuotaResponse;

/** Arguments of `Puid.fromClientCredentials`. */
export interface ClientCredentialsInit extends PuidOptions {
  /** The OAuth client id (`client_…`). */
  clientId: string;
  /** The OAuth client secret (`secret_…`). Never put in a URL, a message or a log. */
  clientSecret: string;
  /**
   * Space-separated scopes to ask for; default `puid:generate`, which every /v1 call needs (a
   * scope without it is refused before any request, and so is a token granted without it).
   */
  scope?: string | undefined;
}

/** Arguments of `Puid.authorizationUrl`. */
export interface AuthorizationUrlInit {
  clientId: string;
  /** Where the browser comes back with `?code=…&state=…`; must be registered for the client. */
  redirectUri: string;
  /** Space-separated scopes, default `puid:generate`; it must hold `puid:generate`, which every /v1 call needs. */
  scope?: string | undefined;
  /** An opaque value to check on the way back; a random one is made when left out. */
  state?: string | undefined;
  /** The API endpoint, default `https://puid.dev/api`; the authorize page is at its site root. */
  endpoint?: string | undefined;
  allowInsecureHttp?: boolean | undefined;
}

/** What `Puid.authorizationUrl` returns: send the user to `url`, keep `codeVerifier` and `state` for the way back. */
export interface AuthorizationRequest {
  url: string;
  codeVerifier: string;
  state: string;
}

/** Arguments of `Puid.registerClient`. */
export interface RegisterClientInit extends PuidClientOptions {
  /**
   * A name for the app, shown to the team in its dashboard's list of authorized apps (where it
   * can revoke the app). PUID's consent page does not show it: it shows the user's account and
   * the scopes. The server stores "Unnamed App" when it is left out.
   */
  clientName?: string | undefined;
  /** Where the authorize page may send users back; compared exactly. */
  redirectUris: string[];
}

/** Arguments of `Puid.fromAuthorizationCode`. */
export interface AuthorizationCodeInit extends PuidOptions {
  clientId: string;
  /** The `code` from the redirect. */
  code: string;
  /** The `codeVerifier` that `authorizationUrl` returned. */
  codeVerifier: string;
  /** The same `redirectUri` the authorization used. */
  redirectUri: string;
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
  readonly #api: Api<paths>;

  /**
   * @param init exactly one of `apiKey` (sent as `X-API-Key`) or `accessToken` (sent as
   *   `Authorization: Bearer`), plus `endpoint` (default `https://puid.dev/api`) and request options.
   * @throws {PuidError} code `invalid_credentials`, `status: null`, unless exactly one credential is given.
   */
  constructor(init: PuidInit) {
    const source = (init as Partial<InternalInit> | undefined)?.[TOKEN_SOURCE];
    const headers = source ? null : puidAuthHeaders(init);
    const { apiKey: _apiKey, accessToken: _accessToken, requestsPerSecond = 1, ...options } = init;
    const hooks: PuidHooks = {};
    if (requestsPerSecond !== false) {
      if (typeof requestsPerSecond !== "number" || !(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) {
        throw new PuidError({ status: null, code: "invalid_option", message: `requestsPerSecond must be a positive number or false; got ${describe(requestsPerSecond)}.` });
      }
      const pacer = createPacer(requestsPerSecond, PACING_MARGIN_MS);
      hooks.pace = async (request, signal) => (isIdsRequest(request.url) ? pacer.acquire(signal) : undefined);
    }
    if (source) {
      // The token is added per attempt inside the transport, so getting or renewing it is
      // bounded by the call's signal like the rest of the call.
      hooks.authorize = async () => {
        const { token, fresh } = await source.accessToken();
        return { headers: { authorization: `Bearer ${token}` }, fresh };
      };
      hooks.reauthorize = async (sent) => {
        const token = sent.authorization?.replace(/^Bearer\s+/i, "");
        return token ? { authorization: `Bearer ${await source.afterRejection(token)}` } : null;
      };
    }
    this.#api = puidApi(headers ?? {}, options, hooks);
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
  async ids(count: number = 1, options?: RequestOptions): Promise<string[]> {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > MAX_IDS_PER_REQUEST) {
      throw new PuidError({
        status: null,
        code: "invalid_count",
        message: `count must be an integer from 1 to ${MAX_IDS_PER_REQUEST}; got ${describe(count)}.`,
      });
    }
    const data = await this.#api.call("GET", "/v1/ids", { query: { n: count } }, options);
    expectShape(Array.isArray(data.ids) && data.ids.length > 0 && data.ids.every((id) => typeof id === "string"), puidErrors, "list of ids", data);
    return data.ids.slice(0, count); // never more than asked for, whatever the server sends
  }

  /**
   * Issue `total` ids, yielded as they arrive: requests of 10 at the paced rate (so
   * `generate(25)` makes 3 requests), with no 429 from this client's own pace. When the daily
   * quota runs out it ends with a `PuidError` (`quota_exceeded`) after yielding every id it got.
   *
   * ```ts
   * for await (const id of puid.generate(1000)) save(id);
   * ```
   *
   * @throws {PuidError} `invalid_count` (before any request) unless `total` is a whole number ≥ 0.
   */
  async *generate(total: number, options?: RequestOptions): AsyncGenerator<string, void, undefined> {
    if (typeof total !== "number" || !Number.isSafeInteger(total) || total < 0) {
      throw new PuidError({ status: null, code: "invalid_count", message: `total must be a whole number of ids; got ${describe(total)}.` });
    }
    for (let left = total; left > 0; ) {
      const batch = await this.ids(Math.min(MAX_IDS_PER_REQUEST, left), options);
      left -= batch.length;
      yield* batch;
    }
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
    const data = await this.#api.call("GET", "/v1/ordinal/{puid}", { path: { puid } }, options);
    expectShape(typeof data.ordinal === "string" && /^[0-9]+$/.test(data.ordinal), puidErrors, "decimal ordinal", data);
    return BigInt(data.ordinal);
  }

  /** Today's usage (UTC day) without spending an id: `{ plan, used, limit, remaining }`. */
  async quota(options?: RequestOptions): Promise<PuidQuota> {
    const data = await this.#api.call("GET", "/v1/quota", {}, options);
    const { plan, used, limit, remaining } = data;
    expectShape(typeof plan === "string" && typeof used === "number", puidErrors, "plan and usage", data);
    return { plan, used, limit: limit ?? null, remaining: remaining ?? null };
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
  static async fromClientCredentials(init: ClientCredentialsInit): Promise<Puid> {
    const { clientId, clientSecret, scope = REQUIRED_SCOPE, ...options } = init ?? ({} as ClientCredentialsInit);
    requireText(clientId, "clientId", oauthArgument("invalid_client"));
    requireText(clientSecret, "clientSecret", oauthArgument("invalid_client"));
    requireGenerateScope(scope);
    const api = puidApi({}, withoutPacing(options));
    // Client credentials carry no refresh token (RFC 6749 §4.4.3): renewing is asking again.
    const exchange = () => requestToken(api, { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope });
    return Puid.#withTokens(new TokenSource(exchange, await exchange()), options);
  }

  /**
   * Start the authorization-code flow with PKCE (S256): the URL of PUID's authorize page (at the
   * site root, not under `/api`) with a fresh code challenge, and the `codeVerifier` and `state`
   * to keep until the browser comes back.
   *
   * @throws {PuidError} `invalid_client` / `invalid_request` (status null) for missing arguments.
   */
  static async authorizationUrl(init: AuthorizationUrlInit): Promise<AuthorizationRequest> {
    const { clientId, redirectUri, scope = REQUIRED_SCOPE, state = randomToken(32), endpoint = PUID_ENDPOINT } = init ?? ({} as AuthorizationUrlInit);
    requireText(clientId, "clientId", oauthArgument("invalid_client"));
    requireText(redirectUri, "redirectUri", oauthArgument("invalid_request"));
    requireText(state, "state", oauthArgument("invalid_request"));
    requireGenerateScope(scope);
    const base = checkBaseUrl(endpoint, init.allowInsecureHttp, puidTransport);
    const { codeVerifier, codeChallenge } = await pkce();
    const url = new URL("../oauth/authorize", `${base}/`);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      scope,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: "S256",
    }).toString();
    return { url: url.href, codeVerifier, state };
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
  static async fromAuthorizationCode(init: AuthorizationCodeInit): Promise<Puid> {
    const { clientId, code, codeVerifier, redirectUri, ...options } = init ?? ({} as AuthorizationCodeInit);
    requireText(clientId, "clientId", oauthArgument("invalid_client"));
    requireText(code, "code", oauthArgument("invalid_grant"));
    requireText(codeVerifier, "codeVerifier", oauthArgument("invalid_grant"));
    requireText(redirectUri, "redirectUri", oauthArgument("invalid_grant"));
    const api = puidApi({}, withoutPacing(options));
    const first = await requestToken(api, { grant_type: "authorization_code", code, code_verifier: codeVerifier, redirect_uri: redirectUri, client_id: clientId });
    const renew = async (current: Token | null): Promise<Token> => {
      const refreshToken = current?.refreshToken;
      if (!refreshToken) {
        throw new PuidError({ status: null, code: "invalid_grant", message: "The access token expired and the server gave no refresh token; authorize again." });
      }
      const next = await requestToken(api, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId });
      // A new refresh token is optional (RFC 6749 §6): without one, the old one stays in use.
      return { ...next, refreshToken: next.refreshToken ?? refreshToken };
    };
    return Puid.#withTokens(new TokenSource(renew, first), options);
  }

  /**
   * Register an OAuth client (RFC 7591 style, no credential needed). The answer holds the
   * `client_secret`, shown this once.
   *
   * @throws {PuidError} `invalid_redirect_uris` (before any request, or from the server) without
   *   at least one redirect URI.
   */
  static async registerClient(init: RegisterClientInit, options?: RequestOptions): Promise<SchemaClientRegistration> {
    const { clientName, redirectUris, ...clientOptions } = init ?? ({} as RegisterClientInit);
    if (!Array.isArray(redirectUris) || redirectUris.length === 0 || !redirectUris.every((uri) => typeof uri === "string" && uri !== "")) {
      throw new PuidError({ status: null, code: "invalid_redirect_uris", message: "`redirectUris` must be a non-empty array of URLs." });
    }
    optionalString(clientName, "clientName", oauthArgument("invalid_request"));
    const body = clientName === undefined ? { redirect_uris: redirectUris } : { client_name: clientName, redirect_uris: redirectUris };
    const api = puidApi({}, withoutPacing(clientOptions));
    return api.call("POST", "/oauth/register", { body }, options);
  }

  /** The server's OAuth metadata (RFC 8414 style; served under the API base, not the site root). */
  static async authorizationServerMetadata(init: PuidClientOptions = {}, options?: RequestOptions): Promise<SchemaAuthorizationServerMetadata> {
    const api = puidApi({}, init);
    return api.call("GET", "/.well-known/oauth-authorization-server", {}, options);
  }

  static #withTokens(source: TokenSource, options: PuidOptions): Puid {
    return new Puid({ ...options, [TOKEN_SOURCE]: source } as InternalInit as unknown as PuidInit);
  }
}

/** A scope without `puid:generate` gives a token every /v1 call refuses: say so before asking for it. */
function requireGenerateScope(scope: unknown): void {
  requireText(scope, "scope", oauthArgument("invalid_scope"));
  if (!grantsGenerate(scope)) {
    throw new PuidError({
      status: null,
      code: "insufficient_scope",
      message: `scope must include ${REQUIRED_SCOPE}: every /v1 call (ids, ordinal, quota) needs it, and a token without it is refused everywhere; got ${describe(scope)}.`,
    });
  }
}

/** The token endpoint is not rate limited: its client needs no pacing option. */
function withoutPacing({ requestsPerSecond: _pace, ...options }: PuidOptions): PuidClientOptions {
  return options;
}
