/**
 * Picket's OAuth 2.0 login with PKCE (picket-api.md §4.8, §4.9, §12): the authorize URL as
 * picket-js builds it, and the code exchange. `Picket` imports this module on first use (see
 * `picket.ts`), so nothing here may be needed by a client that only makes the other calls.
 */
import type { Call } from "../core/api.js";
import { checkBaseUrl } from "../core/endpoint.js";
import { env } from "../core/env.js";
import { checkKeys } from "../core/options.js";
import { pkce, randomToken } from "../core/pkce.js";
import { requireObject, requireText } from "../core/validate.js";
import { describeValue, fieldsOf } from "../core/values.js";
import type { RequestOptions } from "../core/transport.js";
import type { paths, SchemaAuthorizationRequirements, SchemaSigningMessageContext } from "../generated/picket.js";
import { answers } from "./answers.js";
import { OPTION_HINTS, PICKET_BASE_URL } from "./api.js";
import { invalidParameter, picketErrors } from "./errors.js";
import { REQUIREMENT_KEYS, type ChainSlug, type OAuthTokenResponse } from "./types.js";

/** Arguments of `Picket.authorizationUrl`. */
export interface PicketAuthorizationUrlInit {
  /** The project's publishable key: Picket's OAuth client id. */
  clientId: string;
  /** Where the browser comes back; must be on the project's allow-list (a trailing slash matters). */
  redirectUri: string;
  /** An opaque value to check on the way back; a random one is made when left out. */
  state?: string | undefined;
  /** `code` (a redirect back, default) or `web_message` (a popup posts the answer to its opener). */
  responseMode?: "code" | "web_message" | undefined;
  /** BCP-47 language of the login page, default `en`. */
  locale?: string | undefined;
  /** Preselect a chain and wallet, or pass a signature made beforehand. */
  chain?: ChainSlug | undefined;
  walletAddress?: string | undefined;
  signature?: string | undefined;
  /**
   * Token-gating requirements the login must meet: `contractAddress`, `minTokenBalance`,
   * `creatorAddress`, and the lists `collection`, `tokenIds`, `allowedWallets` (sent as repeated
   * parameters). Empty values and a zero `minTokenBalance` are left out, as Picket's own library
   * does; any other key is refused (`parameter_invalid`), since the login page would not see it.
   */
  requirements?: SchemaAuthorizationRequirements | undefined;
  /** SIWE context of a pre-signed message (`chainId` and `chainType` are not sent, as Picket's own library does). */
  context?: Partial<Pick<SchemaSigningMessageContext, "domain" | "uri" | "issuedAt" | "locale">> | undefined;
  /** The API base URL: default the `PICKET_BASE_URL` environment variable, else `https://picketapi.com/api/v1`. */
  baseURL?: string | undefined;
  allowInsecureHttp?: boolean | undefined;
}

/** What `Picket.authorizationUrl` returns: send the browser to `url`, keep `codeVerifier` and `state` for the way back. */
export interface PicketAuthorizationRequest {
  url: string;
  codeVerifier: string;
  state: string;
}

/** Arguments of `Picket.exchangeAuthorizationCode`. */
export interface AuthorizationCodeExchange {
  /** The `code` from the redirect. */
  code: string;
  /** The `codeVerifier` that `authorizationUrl` returned. */
  codeVerifier: string;
  /** The same `redirectUri` the authorization used. */
  redirectUri: string;
}

/** The requirement keys Picket's authorize page reads from its query (picket-js `getAuthorizationURL`). */
export const AUTHORIZE_REQUIREMENT_KEYS: readonly string[] = [...REQUIREMENT_KEYS, "minTokenBalance"];

/** What `Picket.authorizationUrl` takes; any other name is `invalid_option`, as for the constructor. */
const AUTHORIZATION_URL_OPTIONS: readonly string[] = [
  "clientId",
  "redirectUri",
  "state",
  "responseMode",
  "locale",
  "chain",
  "walletAddress",
  "signature",
  "requirements",
  "context",
  "baseURL",
  "allowInsecureHttp",
];

/** The authorize URL with a fresh PKCE S256 challenge. */
export async function authorizationUrl(init: PicketAuthorizationUrlInit): Promise<PicketAuthorizationRequest> {
  const fields = fieldsOf(init);
  checkKeys(picketErrors, fields, AUTHORIZATION_URL_OPTIONS, { endpoint: OPTION_HINTS.endpoint! });
  const {
    clientId,
    redirectUri,
    state = randomToken(32),
    responseMode = "code",
    locale = "en",
    requirements = {},
    context = {},
    baseURL = env("PICKET_BASE_URL") ?? PICKET_BASE_URL,
  } = fields;
  for (const [name, value] of Object.entries({ clientId, redirectUri, state })) requireText(value, name, invalidParameter);
  if (responseMode !== "code" && responseMode !== "web_message")
    throw invalidParameter(`'responseMode' must be code or web_message; got ${describeValue(responseMode)}`);
  requireObject(requirements, "requirements", invalidParameter);
  const unknown = Object.keys(requirements).filter((key) => !AUTHORIZE_REQUIREMENT_KEYS.includes(key));
  if (unknown.length)
    throw invalidParameter(`'requirements' has keys Picket's login page does not read: ${unknown.join(", ")}; known: ${AUTHORIZE_REQUIREMENT_KEYS.join(", ")}`);
  const base = checkBaseUrl(baseURL, fields.allowInsecureHttp, picketErrors);
  const { codeVerifier, codeChallenge } = await pkce();
  const query = new URLSearchParams({
    client_id: clientId!,
    redirect_uri: redirectUri!,
    state,
    code_challenge: codeChallenge,
    code_challenge_method: "S256",
    response_mode: responseMode,
    locale: context.locale ?? locale,
  });
  const { minTokenBalance, ...rest } = requirements;
  const optional: Record<string, unknown> = {
    chain: fields.chain,
    walletAddress: fields.walletAddress,
    signature: fields.signature,
    ...rest,
    // Zero means "any balance", which is what leaving it out says (picket-js leaves it out too).
    minTokenBalance: Number(minTokenBalance) === 0 ? undefined : minTokenBalance,
    domain: context.domain,
    uri: context.uri,
    issuedAt: context.issuedAt,
  };
  for (const [name, value] of Object.entries(optional)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null || item === "") continue;
      if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") {
        throw invalidParameter(`'${name}' must be a string or a list of strings; got ${describeValue(item)}`);
      }
      query.append(name, String(item));
    }
  }
  return { url: `${base}/oauth2/authorize?${query}`, codeVerifier, state };
}

/** The code from the redirect, with its PKCE verifier, exchanged for the user's access token (`POST /oauth2/token`). */
export async function exchangeAuthorizationCode(
  call: Call<paths>,
  args: AuthorizationCodeExchange,
  options: RequestOptions | undefined,
): Promise<OAuthTokenResponse> {
  const { code, codeVerifier, redirectUri } = fieldsOf(args);
  for (const [name, value] of Object.entries({ code, codeVerifier, redirectUri })) requireText(value, name, invalidParameter);
  const body = { grant_type: "authorization_code" as const, code: code!, code_verifier: codeVerifier!, redirect_uri: redirectUri! };
  return answers.oauthToken(await call("POST", "/oauth2/token", { body }, options));
}
