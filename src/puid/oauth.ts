/**
 * PUID's OAuth flows (puid-api.md §4, §14): the token requests, and what each `Puid` factory
 * needs from them. Tokens are asked for as JSON with `client_id` and `client_secret` in the body,
 * the only form the server accepts from a backend. `Puid`'s static methods import this module on
 * first use (see `puid.ts`), so nothing here may be needed by a client that only makes calls.
 */
import { unreadableArguments, type Api } from "../core/api.js";
import { abortable } from "../core/abort.js";
import { checkBaseUrl } from "../core/endpoint.js";
import { refuseInBrowser } from "../core/env.js";
import type { Coordination, SharedTokens } from "../core/coordination.js";
import { classify } from "../core/failure.js";
import { checkKeys, DEFAULT_TIMEOUT } from "../core/options.js";
import { pkce, randomToken } from "../core/pkce.js";
import { TokenSource, type Token } from "../core/token-source.js";
import type { RequestOptions } from "../core/transport.js";
import { optionalString, requireText } from "../core/validate.js";
import { describeValue, fieldsOf } from "../core/values.js";
import type { paths, SchemaAuthorizationServerMetadata, SchemaClientRegistration, SchemaTokenRequest } from "../generated/puid.js";
import { checkCoordination, CLIENT_OPTIONS, defaultEndpoint, OPTION_HINTS, puidApi, type PuidClientOptions, type PuidOptions } from "./api.js";
import { CoreCode } from "../core/errors.js";
import { PuidCode, puidArgument, puidErrors } from "./errors.js";

/** The scope every `/v1` call needs; a token without it is refused on all of them (puid-api.md §2, §14). */
const REQUIRED_SCOPE = "puid:generate";

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

/** What a `Puid` factory builds its client from: the options it was given, and a token source. */
export type Authorized = PuidOptions & { tokenSource: TokenSource };

/** Whether a space-separated scope list holds `puid:generate`. */
const grantsGenerate = (scope: string): boolean => scope.split(" ").includes(REQUIRED_SCOPE);

/** The client-credentials grant: a first token now, and the same exchange to renew it. */
export async function clientCredentials(init: ClientCredentialsInit): Promise<Authorized> {
  const fields = known(init, ["clientId", "clientSecret", "scope"]);
  refuseInBrowser(puidErrors, "A client secret", fields.dangerouslyAllowBrowser);
  const { clientId, clientSecret, scope = REQUIRED_SCOPE, ...options } = fields;
  requireText(clientId, "clientId", puidArgument(PuidCode.invalidClient));
  requireText(clientSecret, "clientSecret", puidArgument(PuidCode.invalidClient));
  requireGenerateScope(scope);
  const api = puidApi({}, withoutPacing(options));
  // Client credentials carry no refresh token (RFC 6749 §4.4.3): renewing is asking again.
  const exchange = () => requestToken(api, { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope });
  // With a coordination, one token for this client id is shared by every process (sealed with
  // the client secret, which only the client's holders have), and one of them renews it for all.
  const shared = sharedTokens(checkCoordination(options.coordination), clientId, clientSecret);
  const tokenSource = new TokenSource(exchange, null, { shared, account: `client:${clientId}` });
  // The first token now: a refused client fails here, not on its first call. Bounded like a call:
  // by the signal; a shared store that hands over no token within half the timeout is left for a
  // token of this client's own (see `TokenSource`), whose request has the timeout and retries of
  // any other.
  const { signal, timeout = DEFAULT_TIMEOUT } = options;
  await abortable(tokenSource.accessToken({ signal, timeout }), signal).catch((error: unknown) => {
    throw classify(puidErrors, error, signal, timeout, "POST /oauth/token");
  });
  return { ...options, tokenSource };
}

/** The coordination's shared token of `clientId`; a `tokens()` that throws is a store that failed: the client keeps a token of its own. */
function sharedTokens(coordination: Coordination | undefined, clientId: string, clientSecret: string): SharedTokens | undefined {
  try {
    return coordination?.tokens(clientId, clientSecret);
  } catch {
    return undefined;
  }
}

/** The authorization-code grant: the code exchanged now, then the refresh token to renew. */
export async function authorizationCode(init: AuthorizationCodeInit): Promise<Authorized> {
  const { clientId, code, codeVerifier, redirectUri, ...options } = known(init, ["clientId", "code", "codeVerifier", "redirectUri"]);
  requireText(clientId, "clientId", puidArgument(PuidCode.invalidClient));
  for (const [name, value] of Object.entries({ code, codeVerifier, redirectUri })) requireText(value, name, puidArgument(PuidCode.invalidGrant));
  const api = puidApi({}, withoutPacing(options));
  const first = await requestToken(api, {
    grant_type: "authorization_code",
    code: code!,
    code_verifier: codeVerifier!,
    redirect_uri: redirectUri!,
    client_id: clientId,
  });
  const renew = async (current: Token | null): Promise<Token> => {
    const refreshToken = current?.refreshToken;
    if (!refreshToken) throw puidArgument(PuidCode.invalidGrant)("The access token expired and the server gave no refresh token; authorize again.");
    const next = await requestToken(api, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId });
    // A new refresh token is optional (RFC 6749 §6): without one, the old one stays in use.
    return { ...next, refreshToken: next.refreshToken ?? refreshToken };
  };
  return { ...options, tokenSource: new TokenSource(renew, first) };
}

/** The URL of the authorize page (site root, not under `/api`) with a fresh PKCE S256 challenge. */
export async function authorizationUrl(init: AuthorizationUrlInit): Promise<AuthorizationRequest> {
  const names = ["clientId", "redirectUri", "scope", "state", "endpoint", "allowInsecureHttp"];
  const fields = readFields(init, names);
  checkKeys(puidErrors, fields, names, OPTION_HINTS);
  const { clientId, redirectUri, scope = REQUIRED_SCOPE, state = randomToken(32), endpoint = defaultEndpoint(), allowInsecureHttp } = fields;
  requireText(clientId, "clientId", puidArgument(PuidCode.invalidClient));
  requireText(redirectUri, "redirectUri", puidArgument(CoreCode.invalidRequest));
  requireText(state, "state", puidArgument(CoreCode.invalidRequest));
  requireGenerateScope(scope);
  const base = checkBaseUrl(endpoint, allowInsecureHttp, puidErrors);
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

/** Dynamic client registration (RFC 7591 style, no credential). */
export async function registerClient(init: RegisterClientInit, options?: RequestOptions): Promise<SchemaClientRegistration> {
  const { clientName, redirectUris, ...clientOptions } = known(init, ["clientName", "redirectUris"]);
  if (!Array.isArray(redirectUris) || redirectUris.length === 0 || !redirectUris.every((uri) => typeof uri === "string" && uri !== "")) {
    throw puidArgument(PuidCode.invalidRedirectUris)("`redirectUris` must be a non-empty array of URLs.");
  }
  optionalString(clientName, "clientName", puidArgument(CoreCode.invalidRequest));
  const body = clientName === undefined ? { redirect_uris: redirectUris } : { client_name: clientName, redirect_uris: redirectUris };
  return puidApi({}, withoutPacing(clientOptions)).call("POST", "/oauth/register", { body }, options);
}

/** The discovery document (served under the API base, not the site root). */
export async function serverMetadata(init: PuidClientOptions = {}, options?: RequestOptions): Promise<SchemaAuthorizationServerMetadata> {
  return puidApi({}, withoutPacing(known(init, []))).call("GET", "/.well-known/oauth-authorization-server", {}, options);
}

/**
 * A caller's argument object read once, field by field, into a plain object: a getter or Proxy
 * that throws is `invalid_request` ("the arguments could not be read") here, and nothing read
 * later can throw.
 */
function readFields<T extends object>(init: T, names: readonly string[]): Partial<T> {
  const fields = fieldsOf(init);
  try {
    const copy: Record<string, unknown> = {};
    // Its own keys (which checkKeys judges), and the names taken, wherever they come from (a prototype too).
    for (const name of new Set([...Object.keys(fields), ...names])) if (name in fields) copy[name] = (fields as Record<string, unknown>)[name];
    return copy as Partial<T>;
  } catch (error) {
    throw unreadableArguments(puidErrors, error);
  }
}

/**
 * The fields of an OAuth factory's argument, with its own `names` and the client options allowed:
 * any other name is `invalid_option`, with a hint for a known mistake (`clientAuthentication`, which
 * this package no longer takes: the PUID server never reads Basic credentials).
 */
function known<T extends object>(init: T, names: readonly string[]): Partial<T> {
  // `requestsPerSecond` is taken everywhere (a client's options can be passed on as they are); the
  // OAuth endpoints are not rate limited, so it only matters to the client a factory returns.
  const taken = [...names, "requestsPerSecond", "coordination", ...CLIENT_OPTIONS];
  const fields = readFields(init, taken);
  checkKeys(puidErrors, fields, taken, {
    ...OPTION_HINTS,
    clientAuthentication: "it is gone: credentials always go in the JSON body (client_secret_post), the only form the PUID server reads",
  });
  return fields;
}

/**
 * `POST /oauth/token` with a JSON body, returning the token with its expiry as a time.
 *
 * JSON, not a form: in production the server's framework refuses a form-encoded POST without a
 * same-origin `Origin` header with 403 before the OAuth code runs (puid-api.md §14), and a
 * server-side `fetch` sends no `Origin`. The client authenticates with `client_id` and
 * `client_secret` in the body (`client_secret_post`), the only method the server reads.
 *
 * A token whose granted `scope` lacks `puid:generate` is refused here (`insufficient_scope`):
 * every `/v1` call would answer it with 401, and renewing it could not help.
 *
 * @throws {PuidError} the server's OAuth error (`invalid_client`, `invalid_grant`, ...);
 *   `invalid_client` when the answer holds no access token (as the official clients say),
 *   `invalid_response` when it holds one that cannot travel in a header; `insufficient_scope`.
 */
async function requestToken(api: Api<paths>, grant: SchemaTokenRequest, options?: RequestOptions | null): Promise<Token> {
  const issued = Date.now();
  const token = await api.call("POST", "/oauth/token", { body: grant }, options);
  if (typeof token.access_token !== "string" || token.access_token === "") {
    // The official clients' code for this case.
    throw puidErrors.make({ status: 200, code: PuidCode.invalidClient, message: "The token endpoint answered without an access_token." });
  }
  // It goes into a header on every call: anything but visible ASCII would break that header, and
  // the runtime's complaint would quote the token. Refused here, without repeating it.
  if (!/^[\x21-\x7e]+$/.test(token.access_token)) {
    throw puidErrors.make({
      status: 200,
      code: CoreCode.invalidResponse,
      message: "The token endpoint answered with an access token that cannot be sent in a header (it has spaces, line breaks or other control characters).",
    });
  }
  // RFC 6749 §5.1 lets a server leave `scope` out when it granted what was asked; PUID always sends it.
  const granted = typeof token.scope === "string" ? token.scope : "scope" in grant && typeof grant.scope === "string" ? grant.scope : REQUIRED_SCOPE;
  if (!grantsGenerate(granted)) {
    throw puidErrors.make({
      status: 200,
      code: PuidCode.insufficientScope,
      message: `The token endpoint granted scope ${JSON.stringify(granted)}, without ${REQUIRED_SCOPE}, which every /v1 call needs; ask for it (and check the client may have it).`,
    });
  }
  return {
    accessToken: token.access_token,
    expiresAt: typeof token.expires_in === "number" ? issued + token.expires_in * 1000 : null,
    refreshToken: token.refresh_token ?? null,
  };
}

/** A scope without `puid:generate` gives a token every /v1 call refuses: say so before asking for it. */
function requireGenerateScope(scope: unknown): asserts scope is string {
  requireText(scope, "scope", puidArgument(PuidCode.invalidScope));
  if (!grantsGenerate(scope)) {
    throw puidArgument(PuidCode.insufficientScope)(
      `scope must include ${REQUIRED_SCOPE}: every /v1 call (ids, ordinal, quota) needs it, and a token without it is refused everywhere; got ${describeValue(scope)}.`,
    );
  }
}

/** The token endpoint is not rate limited: its client needs no pacing option. */
function withoutPacing({ requestsPerSecond: _pace, coordination: _shared, ...options }: PuidOptions): PuidClientOptions {
  return options;
}
