import type { Api } from "../core/api.js";
import type { Token } from "../core/token-source.js";
import type { RequestOptions } from "../core/transport.js";
import type { paths, SchemaTokenRequest } from "../generated/puid.js";
import { PuidError } from "./errors.js";

/** The scope every `/v1` call needs; a token without it is refused on all of them (puid-api.md §2, §14). */
export const REQUIRED_SCOPE = "puid:generate";

/** The error for a missing OAuth argument: `code` is the OAuth error it would have caused. */
export const oauthArgument = (code: string) => (message: string) => new PuidError({ status: null, code, message });

/** Whether a space-separated scope list holds `puid:generate`. */
export const grantsGenerate = (scope: string): boolean => scope.split(" ").includes(REQUIRED_SCOPE);

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
export async function requestToken(api: Api<paths>, grant: SchemaTokenRequest, options?: RequestOptions | null): Promise<Token> {
  const issued = Date.now();
  const token = await api.call("POST", "/oauth/token", { body: grant }, options);
  if (typeof token.access_token !== "string" || token.access_token === "") {
    // The official clients' code for this case.
    throw new PuidError({ status: 200, code: "invalid_client", message: "The token endpoint answered without an access_token." });
  }
  // It goes into a header on every call: anything but visible ASCII would break that header, and
  // the runtime's complaint would quote the token. Refused here, without repeating it.
  if (!/^[\x21-\x7e]+$/.test(token.access_token)) {
    throw new PuidError({ status: 200, code: "invalid_response", message: "The token endpoint answered with an access token that cannot be sent in a header (it has spaces, line breaks or other control characters)." });
  }
  // RFC 6749 §5.1 lets a server leave `scope` out when it granted what was asked; PUID always sends it.
  const granted = typeof token.scope === "string" ? token.scope : "scope" in grant && typeof grant.scope === "string" ? grant.scope : REQUIRED_SCOPE;
  if (!grantsGenerate(granted)) {
    throw new PuidError({
      status: 200,
      code: "insufficient_scope",
      message: `The token endpoint granted scope ${JSON.stringify(granted)}, without ${REQUIRED_SCOPE}, which every /v1 call needs; ask for it (and check the client may have it).`,
    });
  }
  return {
    accessToken: token.access_token,
    expiresAt: typeof token.expires_in === "number" ? issued + token.expires_in * 1000 : null,
    refreshToken: token.refresh_token ?? null,
  };
}
