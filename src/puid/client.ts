import type { Client } from "openapi-fetch";
import { createApi, type Api, type EndpointOptions } from "../core/api.js";
import { createLowLevelClient } from "../core/client.js";
import type { RequestOptions, TransportConfig } from "../core/transport.js";
import type { paths } from "../generated/puid.js";
import { requireCredential } from "../core/validate.js";
import { PuidError, puidErrors } from "./errors.js";

/** The production PUID API. Self-hosted deployments pass their own `endpoint`, e.g. `https://ids.example.com/api`. */
export const PUID_ENDPOINT = "https://puid.dev/api";

/** Exactly one credential: a team API key (`puid_live_…`) or an OAuth2 access token (`puid_at_…`). */
export type PuidCredentials =
  | { /** A team API key, sent as `X-API-Key`. */ apiKey: string; accessToken?: undefined }
  | { /** An OAuth2 access token with scope `puid:generate`, sent as `Authorization: Bearer`. */ accessToken: string; apiKey?: undefined };

/** Options of a PUID client: where the API is, and the defaults of every request. */
export interface PuidClientOptions extends RequestOptions, EndpointOptions {
  /** Base URL of the API, default `https://puid.dev/api`. A trailing slash is harmless. */
  endpoint?: string | undefined;
}

/** The typed low-level client: `client.GET("/v1/ids", { params: { query: { n: 3 } } })`. */
export type PuidClient = Client<paths, "application/json">;

/**
 * Which PUID requests may be repeated after they could have reached the server: the reads.
 * `GET /v1/ids` spends quota and the OAuth endpoints mint credentials, so they are only repeated
 * when the server refused them outright (429) or no connection was made.
 */
export const puidTransport: TransportConfig = {
  makeError: puidErrors.make,
  idempotent: (request) => request.method === "GET" && !isIdsRequest(request.url),
  bodyRetryHint: (body) => {
    const hint = (body as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
    return typeof hint === "number" ? hint : null;
  },
};

/** Whether a request spends ids: it is paced, and never repeated after it may have been served. */
export function isIdsRequest(url: string): boolean {
  return /\/v1\/ids(\?|$)/.test(url);
}

/**
 * Check that exactly one non-empty credential was given, and return the headers it is sent as.
 * Throws `PuidError` (`status: null`, code `invalid_credentials`) otherwise.
 */
export function puidAuthHeaders(credentials: PuidCredentials): Record<string, string> {
  const { apiKey, accessToken } = (credentials ?? {}) as { apiKey?: unknown; accessToken?: unknown };
  const given = [apiKey, accessToken].filter((value) => value !== undefined && value !== null);
  if (given.length !== 1) {
    throw new PuidError({ status: null, code: "invalid_credentials", message: "Pass exactly one of `apiKey` or `accessToken`." });
  }
  const [value] = given;
  const name = apiKey !== undefined && apiKey !== null ? "apiKey" : "accessToken";
  requireCredential(value, name, (message) => new PuidError({ status: null, code: "invalid_credentials", message }));
  return name === "apiKey" ? { "x-api-key": value } : { authorization: `Bearer ${value}` };
}

/** What a client instance adds to PUID's transport: its pacing and its way to renew a token. */
export type PuidHooks = Pick<TransportConfig, "pace" | "authorize" | "reauthorize">;

/** The client the facade builds on: typed paths, PUID's transport, and per-call options. */
export function puidApi(auth: Record<string, string>, options: PuidClientOptions = {}, hooks: PuidHooks = {}): Api<paths> {
  const { endpoint = PUID_ENDPOINT, allowInsecureHttp, ...requestOptions } = options ?? {};
  return createApi<paths>({
    baseUrl: endpoint,
    allowInsecureHttp,
    auth,
    transport: { ...puidTransport, ...hooks },
    errors: puidErrors,
    options: requestOptions,
  });
}

/**
 * Create the typed low-level PUID client (openapi-fetch), which adds `X-API-Key` or
 * `Authorization: Bearer`, `Accept: application/json` and a `User-Agent` to every request, and
 * sends through the package's transport (timeouts, safe retries, typed errors).
 *
 * ```ts
 * const puid = createPuidClient({ apiKey: process.env.PUID_API_KEY! });
 * const { data, error } = await puid.GET("/v1/ids", { params: { query: { n: 3 } } });
 * ```
 *
 * @throws {PuidError} `invalid_credentials` unless exactly one of `apiKey`, `accessToken` is given.
 */
export function createPuidClient(options: PuidCredentials & PuidClientOptions): PuidClient {
  const headers = puidAuthHeaders(options);
  const { apiKey: _apiKey, accessToken: _accessToken, ...rest } = options;
  return createLowLevelClient(puidApi({}, rest), headers, rest);
}
