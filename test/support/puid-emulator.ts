// Small helpers for driving the PUID emulator with plain requests, as a client on the wire would.
import { createHash } from "node:crypto";
import { createPuidEmulator, type PuidEmulator, type PuidEmulatorOptions } from "../../src/emulator/puid.js";
import { manualClock } from "../../src/emulator/serve.js";
import { Puid } from "../../src/puid/index.js";

/** Noon UTC on a fixed day, where every test's clock starts: a day boundary is far unless a test goes there. */
export const NOON = Date.UTC(2026, 5, 1, 12);

/** A fresh emulator on a manual clock at `NOON`, and its first API key. */
export function setup(options: PuidEmulatorOptions = {}) {
  const clock = manualClock(NOON);
  const emulator = createPuidEmulator({ now: clock.now, ...options });
  return { clock, emulator, key: emulator.apiKeys[0]! };
}

/** The origin the tests' requests carry when they go straight to `emulator.fetch`. */
export const ORIGIN = "http://127.0.0.1";

/** A request to `path` (under the origin) straight into the emulator. */
export function send(emulator: PuidEmulator, path: string, init: RequestInit = {}): Promise<Response> {
  return emulator.fetch(new Request(ORIGIN + path, init));
}

/** A `/v1` GET with an API key. */
export function withKey(emulator: PuidEmulator, path: string, apiKey = emulator.apiKeys[0]!, init: RequestInit = {}): Promise<Response> {
  return send(emulator, path, { ...init, headers: { "x-api-key": apiKey, ...(init.headers as Record<string, string>) } });
}

/** A `/v1` GET with a bearer token. */
export function withToken(emulator: PuidEmulator, path: string, accessToken: string): Promise<Response> {
  return send(emulator, path, { headers: { authorization: `Bearer ${accessToken}` } });
}

/** The status and JSON body of an answer. */
export async function read(response: Response | Promise<Response>): Promise<{ status: number; body: any; headers: Headers }> {
  const answer = await response;
  return { status: answer.status, headers: answer.headers, body: await answer.json() };
}

/** `POST /api/oauth/token` with a JSON body (which passes the CSRF gate). */
export function tokenRequest(emulator: PuidEmulator, fields: Record<string, unknown>): Promise<Response> {
  return send(emulator, "/api/oauth/token", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fields) });
}

/** `POST /api/oauth/register` with a JSON body; the registered client's id and secret. */
export async function registerClient(emulator: PuidEmulator, redirectUris = ["https://app.example/cb"]) {
  const { status, body } = await read(
    send(emulator, "/api/oauth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_name: "Test App", redirect_uris: redirectUris }),
    }),
  );
  if (status !== 200) throw new Error(`registration failed with ${status}`);
  return { clientId: body.client_id as string, clientSecret: body.client_secret as string, redirectUri: redirectUris[0]! };
}

/** A client-credentials access token (JSON body). */
export async function clientToken(emulator: PuidEmulator, client: { clientId: string; clientSecret: string }, scope?: string): Promise<string> {
  const fields = {
    grant_type: "client_credentials",
    client_id: client.clientId,
    client_secret: client.clientSecret,
    ...(scope === undefined ? {} : { scope }),
  };
  const { status, body } = await read(tokenRequest(emulator, fields));
  if (status !== 200) throw new Error(`client_credentials failed with ${status}`);
  return body.access_token as string;
}

/** `GET /oauth/authorize` at the site root; the redirect's `Location` as a URL. */
export async function authorize(emulator: PuidEmulator, query: Record<string, string>): Promise<URL> {
  const response = await send(emulator, `/oauth/authorize?${new URLSearchParams(query)}`);
  if (response.status !== 302) throw new Error(`authorize answered ${response.status}`);
  return new URL(response.headers.get("location")!);
}

/** An authorization code for `client` (approved by the emulator's configured account). */
export async function authorizationCode(
  emulator: PuidEmulator,
  client: { clientId: string; redirectUri: string },
  extra: Record<string, string> = {},
): Promise<string> {
  const location = await authorize(emulator, { client_id: client.clientId, redirect_uri: client.redirectUri, state: "s", ...extra });
  return location.searchParams.get("code")!;
}

/**
 * A user's sign-in through the facade: a client registered with `redirectUri`, its authorize URL,
 * and the emulator's authorize page (which approves at once). `exchange` is
 * `Puid.fromAuthorizationCode` with that code and verifier, on the emulator; `overrides` change
 * what a test needs (a wrong verifier, pacing, another fetch).
 */
export async function facadeSignIn(emulator: PuidEmulator, endpoint: string, redirectUri = "https://app.example/cb") {
  const { client_id: clientId } = await Puid.registerClient({ redirectUris: [redirectUri], endpoint, fetch: emulator.fetch });
  const request = await Puid.authorizationUrl({ clientId, redirectUri, endpoint });
  const redirect = await emulator.fetch(request.url);
  const back = new URL(redirect.headers.get("location")!);
  const code = back.searchParams.get("code")!;
  const exchange = (overrides: Partial<Parameters<typeof Puid.fromAuthorizationCode>[0]> = {}) =>
    Puid.fromAuthorizationCode({ clientId, code, codeVerifier: request.codeVerifier, redirectUri, endpoint, fetch: emulator.fetch, ...overrides });
  return { clientId, request, redirect, back, code, exchange };
}

/** The PKCE S256 challenge of a verifier, computed with Node's own crypto (independent of the emulator). */
export const s256 = (verifier: string): string => createHash("sha256").update(verifier).digest("base64url");

/** Plain base62 of a non-negative bigint (no permutation), for building ordinal-path inputs. */
export function base62(value: bigint): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let text = "";
  do {
    text = alphabet[Number(value % 62n)]! + text;
    value /= 62n;
  } while (value > 0n);
  return text;
}

/** The plain base62 value of a string (no permutation undone). */
export function fromBase62(text: string): bigint {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let value = 0n;
  for (const char of text) value = value * 62n + BigInt(alphabet.indexOf(char));
  return value;
}
