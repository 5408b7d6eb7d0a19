/**
 * `POST /oauth2/token` (reference §4.9, §12): exchange an authorization code and its PKCE
 * verifier for an access token.
 *
 * The body may be JSON (picket-js) or `application/x-www-form-urlencoded` (the docs), with
 * snake_case fields. `Authorization` is optional: public PKCE clients send none, picket-js sends
 * Basic with the publishable key; when present it must be one of the project's keys. A `client_id`
 * in the body must be the publishable key the code was issued to.
 *
 * Refusals are `{msg, code}`: 400 `invalid_request` (missing or malformed field),
 * `unsupported_grant_type` (anything but `authorization_code`), `invalid_grant` (unknown, expired
 * or already exchanged code, another `redirect_uri`, a verifier that does not hash to the
 * challenge), and 401 `invalid_client` (an unknown key).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { base64urlnopad } from "@scure/base";
import type { SchemaOAuthTokenResponse } from "../../generated/picket.js";
import { keyFromHeader, kindOfKey } from "./api-keys.js";
import { oauthFailure, PicketFailure } from "./failure.js";
import { isRecord, json } from "./http.js";
import type { EmulatorState } from "./state.js";

const invalidRequest = (msg: string) => oauthFailure(400, "invalid_request", msg);
const invalidGrant = (msg: string) => oauthFailure(400, "invalid_grant", msg);
const invalidClient = (msg: string) => oauthFailure(401, "invalid_client", `invalid project key: ${msg}`);

/** Handle a token request; see the module's description for the answers. */
export async function exchangeToken(state: EmulatorState, request: Request): Promise<Response> {
  checkClientHeader(state, request.headers.get("authorization") ?? undefined);
  const fields = await tokenFields(request);
  const clientId = fields.get("client_id");
  if (clientId !== undefined && kindOfKey(state.keys, clientId) !== "publishable") throw invalidClient("client_id must be the project's publishable key");
  const grantType = required(fields, "grant_type");
  if (grantType !== "authorization_code") throw oauthFailure(400, "unsupported_grant_type", `unsupported grant_type: ${grantType}`);
  const code = required(fields, "code");
  const verifier = required(fields, "code_verifier");
  const redirectUri = required(fields, "redirect_uri");
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw invalidRequest("code_verifier must be 43 to 128 unreserved characters (RFC 7636)");
  const record = state.codes.usable(code);
  if (!record) throw invalidGrant("authorization code is invalid, expired or already used");
  if (clientId !== undefined && clientId !== record.clientId) throw invalidGrant("the authorization code was issued to another client");
  if (redirectUri !== record.redirectUri) throw invalidGrant("redirect_uri differs from the one of the authorization request");
  if (base64urlnopad.encode(sha256(utf8ToBytes(verifier))) !== record.codeChallenge) throw invalidGrant("code_verifier does not match the code_challenge");
  state.codes.use(record);
  const { accessToken } = await state.tokens.issue(record.user, "oauth");
  const answer: SchemaOAuthTokenResponse = { accessToken, tokenType: "Bearer", expiresIn: state.tokenTtlSeconds, user: record.user };
  return json(answer);
}

/** An `Authorization` header is optional here, but when sent it must name one of the project's keys. */
function checkClientHeader(state: EmulatorState, header: string | undefined): void {
  let key: string | undefined;
  try {
    key = keyFromHeader(header);
  } catch (error) {
    if (error instanceof PicketFailure) throw invalidClient("the Authorization header must be `Basic base64(<key>:)`");
    throw error;
  }
  if (key !== undefined && !kindOfKey(state.keys, key)) throw invalidClient("this key belongs to no project");
}

/** The body's fields, from a form or a JSON object of strings. */
async function tokenFields(request: Request): Promise<Map<string, string>> {
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
    const form = new URLSearchParams(text);
    for (const name of new Set(form.keys())) if (form.getAll(name).length > 1) throw invalidRequest(`${name} must be given once`);
    return new Map(form);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidRequest("the body must be JSON or application/x-www-form-urlencoded");
  }
  if (!isRecord(body)) throw invalidRequest("the body must be a JSON object");
  const fields = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== "string") throw invalidRequest(`${name} must be a string`);
    fields.set(name, value);
  }
  return fields;
}

function required(fields: Map<string, string>, name: string): string {
  const value = fields.get(name);
  if (!value) throw invalidRequest(`${name} is required`);
  return value;
}
