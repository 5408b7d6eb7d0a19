import { base64 } from "../core/base64.js";
import type { Api } from "../core/api.js";
import type { Token } from "../core/token-source.js";
import type { paths, SchemaTokenRequest } from "../generated/puid.js";
import { PuidError } from "./errors.js";

/**
 * How the client proves who it is to the token endpoint (RFC 6749 §2.3.1):
 * - `client_secret_post` (default): `client_id` and `client_secret` in the form body — the only
 *   method the PUID server accepts;
 * - `client_secret_basic`: `Authorization: Basic`, for deployments that follow the RFC default.
 */
export type ClientAuthentication = "client_secret_post" | "client_secret_basic";

/** A client's credentials at the token endpoint. */
export interface ClientCredentials {
  clientId: string;
  clientSecret?: string | undefined;
  clientAuthentication?: ClientAuthentication | undefined;
}

/** The error for a missing OAuth argument: `code` is the OAuth error it would have caused. */
export const oauthArgument = (code: string) => (message: string) => new PuidError({ status: null, code, message });

/** `application/x-www-form-urlencoded` encoding of one value, as RFC 6749 §2.3.1 wants for Basic. */
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

/**
 * `POST /oauth/token` with a form body, returning the token with its expiry as a time.
 * A refusal is the server's OAuth error as a `PuidError` (`invalid_client`, `invalid_grant`, ...).
 */
export async function requestToken(
  api: Api<paths>,
  grant: Record<string, string>,
  client: ClientCredentials,
): Promise<Token> {
  const body: Record<string, string> = { ...grant };
  const headers: Record<string, string> = {};
  if (client.clientAuthentication === "client_secret_basic" && client.clientSecret !== undefined) {
    headers.Authorization = `Basic ${base64(`${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`)}`;
  } else {
    body.client_id = client.clientId;
    if (client.clientSecret !== undefined) body.client_secret = client.clientSecret;
  }
  const issued = Date.now();
  const token = await api.call("POST", "/oauth/token", { body: body as SchemaTokenRequest, form: true, headers });
  if (typeof token.access_token !== "string" || token.access_token === "") {
    throw new PuidError({ status: 200, code: "invalid_client", message: "The token endpoint answered without an access_token." });
  }
  return {
    accessToken: token.access_token,
    expiresAt: typeof token.expires_in === "number" ? issued + token.expires_in * 1000 : null,
    refreshToken: token.refresh_token ?? null,
  };
}
