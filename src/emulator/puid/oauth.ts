/** The OAuth endpoints (§4): discovery, registration, the token endpoint, and the authorize page. */
import type { Context } from "hono";
import type { Env, State } from "./context.js";
import { GRANT_TYPES, knownScopes, SCOPES, type Fields } from "./grants.js";
import { json } from "./http.js";

type Handler = (c: Context<Env>) => Response | Promise<Response>;

/** `/api/.well-known/oauth-authorization-server` (§4.1), with every URL on the request's origin (§1). */
export const metadata = (): Handler => (c) => {
  const { origin } = new URL(c.req.url);
  return json({
    issuer: origin,
    authorization_endpoint: `${origin}/oauth/authorize`,
    token_endpoint: `${origin}/api/oauth/token`,
    registration_endpoint: `${origin}/api/oauth/register`,
    scopes_supported: SCOPES,
    response_types_supported: ["code"],
    grant_types_supported: GRANT_TYPES,
    code_challenge_methods_supported: ["S256", "plain"],
  });
};

/**
 * `POST /api/oauth/register` (§4.2): no authentication. The body is read as JSON whatever its
 * type; one that is not JSON, or not an object, counts as empty and so gets the 400.
 */
export const register =
  (state: State): Handler =>
  async (c) => {
    let body: unknown = null;
    try {
      body = JSON.parse(await c.req.raw.text());
    } catch {
      // Not JSON: counts as an empty body.
    }
    const fields = (typeof body === "object" && body !== null ? body : {}) as Fields;
    const uris = fields.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0) return json({ error: "invalid_redirect_uris" }, 400);
    const name = typeof fields.client_name === "string" && fields.client_name !== "" ? fields.client_name : "Unnamed App";
    const client = state.grants.register(name, uris as string[]);
    return json({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      grant_types: GRANT_TYPES,
      scopes_supported: SCOPES,
    });
  };

/** `POST /api/oauth/token` (§4.4): one of three grants, answered 200, 400 or 401. */
export const token =
  (state: State): Handler =>
  async (c) => {
    const result = state.grants.exchange(await readTokenRequest(c.req.raw), c.get("at"));
    if (result.account !== null) c.set("account", result.account);
    return json(result.body, result.status);
  };

/**
 * The token request's fields: JSON whenever the Content-Type contains `application/json`, else the
 * platform's `formData()` (a urlencoded or multipart form). `formData()` throws for any other
 * type, and so does bad JSON: both reach the error handler as the server's 500 (§4.4, §14).
 */
async function readTokenRequest(request: Request): Promise<Fields> {
  const type = request.headers.get("content-type") ?? "";
  const body: unknown = type.includes("application/json") ? await request.json() : Object.fromEntries(await request.formData());
  // The server reads fields off the body, which fails on a JSON `null`: also a 500 (§14).
  if (body === null) throw new TypeError("The token request's JSON body is null.");
  return typeof body === "object" ? (body as Fields) : {};
}

/**
 * `GET /oauth/authorize` at the site root (§4.3). The client and the exact redirect URI are
 * checked (JSON errors, not redirects); then, in place of the login and consent page, the
 * configured decision is taken at once, as `POST /oauth/decision` would answer it.
 */
export const authorize =
  (state: State): Handler =>
  (c) => {
    const query = new URL(c.req.url).searchParams;
    const client = state.grants.client(query.get("client_id") ?? undefined);
    if (!client) return json({ error: "invalid_client" }, 400);
    const redirectUri = query.get("redirect_uri");
    if (redirectUri === null || !client.redirectUris.includes(redirectUri)) return json({ error: "invalid_redirect_uri" }, 400);
    // The consent form carries `state` as a hidden input, so a missing one comes back empty.
    const returned = `state=${encodeURIComponent(query.get("state") ?? "")}`;
    // The reference writes the denial with `?` always, and the approval with `?` or `&`.
    if (state.authorize === "deny") return found(`${redirectUri}?error=access_denied&${returned}`);
    const requested = (query.get("scope") ?? "").trim();
    const code = state.grants.issueCode(
      {
        clientId: client.clientId,
        account: state.authorize.account,
        redirectUri,
        scope: requested === "" ? SCOPES.join(" ") : knownScopes(requested), // none asked: both granted
        codeChallenge: query.get("code_challenge") || null,
        codeChallengeMethod: query.get("code_challenge_method") || null,
      },
      c.get("at"),
    );
    c.set("account", state.authorize.account);
    return found(`${redirectUri}${redirectUri.includes("?") ? "&" : "?"}code=${code}&${returned}`);
  };

const found = (location: string): Response => new Response(null, { status: 302, headers: { location } });
