/**
 * PUID's wiring: where the API is, how a credential is sent, which requests are safe to repeat,
 * and the error class. The facade (`puid.ts`) and the typed client (`client.ts`) both build on it.
 */
import { createApi, type Api } from "../core/api.js";
import type { EndpointOptions } from "../core/endpoint.js";
import { env, refuseInBrowser } from "../core/env.js";
import type { LogOptions } from "../core/log.js";
import { REQUEST_OPTIONS } from "../core/options.js";
import { abortable, MAX_TIMER_MS } from "../core/abort.js";
import type { Coordination } from "../core/coordination.js";
import { createPacer } from "../core/pacer.js";
import type { TokenSource } from "../core/token-source.js";
import type { RequestOptions, TransportConfig, Turn } from "../core/transport.js";
import { requireCredential } from "../core/validate.js";
import { describeValue } from "../core/values.js";
import type { paths } from "../generated/puid.js";
import { CoreCode } from "../core/errors.js";
import { PuidCode, puidArgument, puidErrors } from "./errors.js";

/** The production PUID API. Self-hosted deployments pass their own `endpoint`, e.g. `https://ids.example.com/api`. */
export const PUID_ENDPOINT = "https://puid.dev/api";

/**
 * Exactly one credential: a team API key (`puid_live_…`), an OAuth2 access token (`puid_at_…`),
 * or a `TokenSource` that supplies and renews tokens (what `Puid.fromClientCredentials` and
 * `Puid.fromAuthorizationCode` build; pass your own to supply tokens from elsewhere). None given
 * (left out or `undefined`): the `PUID_API_KEY` (else `PUID_ACCESS_TOKEN`) environment variable.
 *
 * A key or token may be typed `string | undefined`, so `{ apiKey: process.env.PUID_API_KEY }`
 * compiles, as with `@puid-dev/client`; two credentials at once do not.
 */
export type PuidCredentials =
  | { /** A team API key, sent as `X-API-Key`. */ apiKey?: string | undefined; accessToken?: undefined; tokenSource?: undefined }
  | {
      /** An OAuth2 access token with scope `puid:generate`, sent as `Authorization: Bearer`. */ accessToken?: string | undefined;
      apiKey?: undefined;
      tokenSource?: undefined;
    }
  | {
      /**
       * Tokens on demand: asked before each attempt (it renews ahead of expiry) and once more
       * after a 401, then the refused request is replayed once.
       */
      tokenSource: TokenSource;
      apiKey?: undefined;
      accessToken?: undefined;
    };

/** Options of a PUID client: where the API is, the defaults of every request, and where to log. */
export interface PuidClientOptions extends RequestOptions, EndpointOptions, LogOptions {
  /**
   * Base URL of the API: default the `PUID_ENDPOINT` environment variable, else
   * `https://puid.dev/api`. A trailing slash is harmless.
   */
  endpoint?: string | undefined;
  /**
   * In a web page, a client refuses an API key or a client secret (anyone could read them there)
   * unless this is `true`. Access tokens from a user's own login need no such permission.
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/** The options every PUID client takes, and mistakes worth a hint. */
export const CLIENT_OPTIONS: readonly string[] = [...REQUEST_OPTIONS, "endpoint", "allowInsecureHttp", "logger", "logLevel", "dangerouslyAllowBrowser"];
export const OPTION_HINTS: Record<string, string> = {
  baseURL: "did you mean 'endpoint'? (baseURL is the Picket client's name for it)",
  baseUrl: "did you mean 'endpoint'?",
  secretKey: "did you mean 'apiKey'? (secretKey is the Picket client's)",
};

/** Options of a `Puid` client beyond those of the low-level one. */
export interface PuidOptions extends PuidClientOptions {
  /**
   * How many `/v1/ids` requests this client may start per second, default 1 (the server's limit
   * per account). Concurrent calls wait their turn, in order, with a 50 ms margin per interval so
   * the server, which measures arrival times, never sees two inside its window. `false` turns
   * pacing off (for a deployment without the limit, or when pacing happens elsewhere).
   */
  requestsPerSecond?: number | false | undefined;
  /**
   * Share the pace of `/v1/ids` and the OAuth token with every client (in any process) that uses
   * the same `Coordination` — e.g. `createRedisCoordination({ client })` from `picket-puid/redis`.
   * Pacing is shared per account: an API key's (processes using the same key), or a client
   * credentials client's; a bare access token is paced by this client alone. When the store is
   * slow or down, the client paces itself and keeps its own token, and tries the store again on
   * the next call (the store logs one warning per outage).
   */
  coordination?: Coordination | undefined;
}

/**
 * The `coordination` option, checked when a client is made: a value without `pace()` and
 * `tokens()` would otherwise fail every `ids()` call later, far from the mistake.
 * @throws {PuidError} `invalid_option`.
 */
export function checkCoordination(value: unknown): Coordination | undefined {
  if (value === undefined) return undefined;
  const { pace, tokens } = (typeof value === "object" && value !== null ? value : {}) as Partial<Coordination>;
  if (typeof pace === "function" && typeof tokens === "function") return value as Coordination;
  throw puidErrors.make({
    status: null,
    code: CoreCode.invalidOption,
    message: `coordination must be a Coordination, with pace() and tokens() (e.g. createRedisCoordination({ client }) from picket-puid/redis); got ${describeValue(value)}.`,
  });
}

/** Added to the server's 1000 ms window (spread over `requestsPerSecond`), against clock granularity. */
const PACING_MARGIN_MS = 50;

/** The endpoint when none is given: the `PUID_ENDPOINT` environment variable, else production. */
export const defaultEndpoint = (): string => env("PUID_ENDPOINT") ?? PUID_ENDPOINT;

/** Whether a request spends ids: it is paced, and never repeated after it may have been served. */
export function isIdsRequest(url: string): boolean {
  return /\/v1\/ids(\?|$)/.test(url);
}

/**
 * Which PUID requests may be repeated after they could have reached the server: the reads.
 * `GET /v1/ids` spends quota and the OAuth endpoints mint credentials, so they are only repeated
 * when the server refused them outright (429) or no connection was made.
 */
export const puidTransport: TransportConfig = {
  errors: puidErrors,
  idempotent: (request) => request.method === "GET" && !isIdsRequest(request.url),
  bodyRetryHint: (body) => {
    const hint = (body as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
    return typeof hint === "number" ? hint : null;
  },
};

/** What a client instance adds to PUID's transport: its pacing and its way to renew a token. */
export type PuidHooks = Pick<TransportConfig, "pace" | "authorize" | "reauthorize">;

/**
 * What a `Puid` client adds to the transport: pacing of its `/v1/ids` requests (unless
 * `requestsPerSecond` is `false`), and, for a token source, the token of each attempt and its
 * renewal after a 401.
 */
export function puidHooks(requestsPerSecond: unknown, tokenSource: TokenSource | null, shared?: SharedPacing): PuidHooks {
  const hooks: PuidHooks = {};
  if (requestsPerSecond !== false) {
    // The interval must fit a timer (about 24.8 days): a slower rate would overflow it and fire at once.
    if (typeof requestsPerSecond !== "number" || !Number.isFinite(requestsPerSecond) || !((1000 + PACING_MARGIN_MS) / requestsPerSecond <= MAX_TIMER_MS)) {
      throw puidErrors.make({
        status: null,
        code: CoreCode.invalidOption,
        message: `requestsPerSecond must be a positive number (at least one request every 24 days) or false; got ${describeValue(requestsPerSecond)}.`,
      });
    }
    const pacer = createPacer(requestsPerSecond, PACING_MARGIN_MS);
    const own: Turn = (signal) => pacer.acquire(signal);
    let turn = own;
    if (shared) {
      // The shared pace's code is imported when a client is given a coordination (a client that
      // paces alone never loads it), and from now on, so a call seldom waits for it. Should it not
      // load (a file a web page could not fetch), the client paces itself, as when the store is down.
      const loaded = import("./shared-pace.js").then(
        (module) => module.sharedTurn(pacer, requestsPerSecond, PACING_MARGIN_MS, shared),
        () => own,
      );
      turn = async (signal, maxWaitMs) => (await abortable(loaded, signal))(signal, maxWaitMs);
    }
    hooks.pace = (request) => (isIdsRequest(request.url) ? turn : undefined);
  }
  if (tokenSource) {
    // The token is added per attempt inside the transport, so getting or renewing it is
    // bounded by the call's signal and timeout like the rest of the call.
    hooks.authorize = async (signal, timeout) => {
      const { token, fresh } = await tokenSource.accessToken({ signal, timeout });
      return { headers: bearer(token), fresh };
    };
    hooks.reauthorize = async (sent, signal, timeout) => {
      const token = sent.authorization?.replace(/^Bearer\s+/i, "");
      return token ? bearer(await tokenSource.afterRejection(token, { signal, timeout })) : null;
    };
  }
  return hooks;
}

/** A pace shared with other clients: the coordination, and the account whose pace it is. */
export interface SharedPacing {
  coordination: Coordination;
  /** An API key's account (kept in the store under a hash of the key, never the key), or the one a token source names. */
  account: { apiKey: string } | { name: string };
}

/**
 * The header a token source's token is sent in. A token that cannot travel in a header (a line
 * break, a NUL) is refused without being quoted: the runtime's own complaint would quote it.
 */
function bearer(token: unknown): Record<string, string> {
  if (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token)) {
    throw puidErrors.make({
      status: null,
      code: CoreCode.invalidResponse,
      message: "The token source gave an access token that cannot be sent in a header (empty, or with spaces, line breaks or other control characters).",
    });
  }
  return { authorization: `Bearer ${token}` };
}

/**
 * The one credential given, checked; `tokenSource` is returned as is, the others as their headers.
 * With none given, the `PUID_API_KEY` (else `PUID_ACCESS_TOKEN`) environment variable is used.
 */
export function puidCredential(
  credentials: PuidCredentials & Pick<PuidClientOptions, "dangerouslyAllowBrowser">,
): { headers: Record<string, string> } | { tokenSource: TokenSource } {
  const { apiKey, accessToken, tokenSource } = (credentials ?? {}) as { apiKey?: unknown; accessToken?: unknown; tokenSource?: unknown };
  let given = Object.entries({ apiKey, accessToken, tokenSource }).filter(([, value]) => value !== undefined && value !== null);
  const fail = puidArgument(PuidCode.invalidCredentials);
  if (given.length > 1) throw fail(`Both ${given.map(([name]) => `\`${name}\``).join(" and ")} were given: pass exactly one credential.`);
  if (given.length === 0)
    given = Object.entries({ apiKey: env("PUID_API_KEY"), accessToken: env("PUID_ACCESS_TOKEN") })
      .filter(([, value]) => value !== undefined)
      .slice(0, 1);
  if (given.length === 0)
    throw fail("No credential: pass `apiKey` (a team key, puid_live_…), `accessToken` or `tokenSource`, or set the PUID_API_KEY environment variable.");
  const [[name, value]] = given as [[string, unknown]];
  if (name === "apiKey") refuseInBrowser(puidErrors, "An API key", credentials.dangerouslyAllowBrowser);
  if (name === "tokenSource") {
    if (typeof (value as TokenSource).accessToken !== "function") throw fail("`tokenSource` must be a TokenSource.");
    return { tokenSource: value as TokenSource };
  }
  requireCredential(value, name, fail);
  return { headers: name === "apiKey" ? { "x-api-key": value } : { authorization: `Bearer ${value}` } };
}

/** The client the facade builds on: typed paths, PUID's transport, and per-call options. */
export function puidApi(auth: Record<string, string>, options: PuidClientOptions = {}, hooks: PuidHooks = {}): Api<paths> {
  const { endpoint = defaultEndpoint(), allowInsecureHttp, dangerouslyAllowBrowser: _allowed, ...requestOptions } = options ?? {};
  return createApi<paths>({ baseUrl: endpoint, allowInsecureHttp, auth, transport: { ...puidTransport, ...hooks }, options: requestOptions });
}
