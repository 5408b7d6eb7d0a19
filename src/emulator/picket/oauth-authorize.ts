/**
 * `GET /oauth2/authorize` (reference §4.8, §12): the first step of Picket's OAuth 2.0
 * Authorization Code flow with PKCE.
 *
 * The real service shows a login page. The emulator has none, so it serves the one case that
 * needs no page: a **pre-signed** request that carries `walletAddress` and `signature` (a
 * signature over the wallet's current nonce, made with `domain`, `uri` and `issuedAt` as SIWE
 * context and the chain's own `chainId`, since picket-js does not send it). That login is checked
 * exactly like `POST /auth`, and the browser is sent back:
 *
 * - `response_mode=code`: 302 to `redirect_uri?code=…&state=…`, or on a refused login
 *   `redirect_uri?error=access_denied&error_description=…&state=…`;
 * - `response_mode=web_message`: a page that posts `{type: "authorization_response", response}`
 *   to its opener (the redirect URI's origin), as picket-js's popup expects.
 *
 * A malformed request is answered directly (never redirected) with `{msg, code}`: 400
 * `invalid_request` (missing or malformed parameter, no `signature`: there is no login page),
 * 401 `invalid_client` (`client_id` is not the project's publishable key), 400
 * `unauthorized_client` (`redirect_uri` not on the allow-list, as our document's example says).
 */
import { kindOfKey } from "./api-keys.js";
import { chainFromBody, walletAddressOf } from "./chains.js";
import { oauthFailure, PicketFailure } from "./failure.js";
import { login } from "./login.js";
import { parseRequirements } from "./requirements.js";
import type { EmulatorState } from "./state.js";
import type { TokenUser } from "./tokens.js";

/** What the browser is sent back with: a code, or why the login was refused. */
type Outcome = { code: string } | { error: string; error_description: string };

const badRequest = (msg: string) => oauthFailure(400, "invalid_request", msg);

/** Handle an authorize request; see the module's description for the answers. */
export function authorizeOAuth(state: EmulatorState, url: URL): Response {
  const query = url.searchParams;
  const one = (name: string, required = false): string | undefined => {
    const values = query.getAll(name);
    if (values.length > 1) throw badRequest(`${name} must be given once`);
    if (required && !values[0]) throw badRequest(`${name} is required`);
    return values[0] || undefined;
  };
  const clientId = one("client_id", true)!;
  if (kindOfKey(state.keys, clientId) !== "publishable")
    throw oauthFailure(401, "invalid_client", "invalid project key: client_id must be the project's publishable key");
  const redirectUri = one("redirect_uri", true)!;
  if (!state.redirectUris.includes(redirectUri)) throw oauthFailure(400, "unauthorized_client", "redirect_uri is not allowed for this project");
  const returned = one("state", true)!;
  const codeChallenge = one("code_challenge", true)!;
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) throw badRequest("code_challenge must be base64url(sha256(code_verifier)): 43 characters");
  if (one("code_challenge_method", true) !== "S256") throw badRequest("code_challenge_method must be S256");
  const mode = one("response_mode", true);
  if (mode !== "code" && mode !== "web_message") throw badRequest("response_mode must be code or web_message");
  one("locale"); // accepted (once) and unused: the project has one statement
  const signed = signedLogin(state, query, one);
  const outcome: Outcome = "user" in signed ? { code: state.codes.issue({ user: signed.user, clientId, redirectUri, codeChallenge }) } : signed;
  const fields = { ...outcome, state: returned };
  return mode === "code" ? redirect(redirectUri, fields) : popupPage(redirectUri, fields);
}

/** Check the pre-signed login in the query: the user (as a code's payload) or an `access_denied` outcome. */
function signedLogin(
  state: EmulatorState,
  query: URLSearchParams,
  one: (name: string) => string | undefined,
): { user: TokenUser } | Exclude<Outcome, { code: string }> {
  const walletAddress = one("walletAddress");
  const signature = one("signature");
  if (!walletAddress || !signature) {
    throw badRequest("the emulator has no interactive login page: pass walletAddress and signature (a login signed beforehand over the wallet's nonce)");
  }
  const list = (name: string) => query.getAll(name).filter((value) => value !== "");
  const collections = list("collection");
  try {
    const chain = chainFromBody(one("chain"));
    walletAddressOf(walletAddress, chain);
    const requirements = parseRequirements({
      contractAddress: one("contractAddress"),
      minTokenBalance: one("minTokenBalance"),
      creatorAddress: one("creatorAddress"),
      collection: collections.length === 1 ? collections[0] : collections,
      tokenIds: list("tokenIds"),
      allowedWallets: list("allowedWallets"),
    });
    // picket-js sends no chainId here, so a siwe message can only carry the chain's own.
    if (state.format === "siwe" && chain.chainId === undefined)
      throw badRequest(`a siwe login cannot be pre-signed on ${chain.chainSlug} here: the chain has no chainId and authorize takes none`);
    const context = { domain: one("domain"), uri: one("uri"), issuedAt: one("issuedAt"), chainId: chain.chainId };
    return { user: login(state, { chain, walletAddress, signature, context, requirements }) };
  } catch (error) {
    if (!(error instanceof PicketFailure)) throw error;
    if (error.denial) return { error: "access_denied", error_description: error.message } satisfies Outcome;
    throw badRequest(error.message);
  }
}

/** 302 to the redirect URI with the outcome added to its query. */
function redirect(redirectUri: string, fields: Record<string, string>): Response {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(fields)) target.searchParams.set(name, value);
  return new Response(null, { status: 302, headers: { location: target.href, "cache-control": "no-store" } });
}

/** The popup's page: posts the outcome to the opener at the redirect URI's origin, then closes. */
function popupPage(redirectUri: string, response: Record<string, string>): Response {
  const message = JSON.stringify({ type: "authorization_response", response }).replace(/</g, "\\u003c");
  const origin = JSON.stringify(new URL(redirectUri).origin).replace(/</g, "\\u003c");
  const html = `<!doctype html><meta charset="utf-8"><title>Picket emulator</title><script>if (window.opener) window.opener.postMessage(${message}, ${origin}); window.close();</script>`;
  return new Response(html, { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
