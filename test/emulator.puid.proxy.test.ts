// The PUID emulator behind Prism as a validating proxy (openapi/puid.yaml, errors: true): every
// request is checked against the document on its way in and every answer on its way back, so an
// answer of the emulator that the document does not allow comes back as Prism's violation report.
//
// Only requests the document describes are sent: a request the document refuses (n=11, an unknown
// grant type) is answered by Prism itself, so such requests are left out where they would be, with
// a comment saying so.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { documents, startProxy, type Mock } from "../scripts/mock.mjs";
import { createPuidEmulator, type PuidEmulator } from "../src/emulator/puid.js";
import { manualClock, type Listening } from "../src/emulator/serve.js";
import { decodePuid } from "../src/puid/codec.js";
import { Puid, PuidError } from "../src/puid/index.js";
import { s256 } from "./support/puid-emulator.js";
import { rejection as rejectionOf } from "./support/rejection.js";

const PRISM_ERROR = "https://stoplight.io/prism/errors#";
const NOON = Date.UTC(2026, 5, 1, 12);

let clock: ReturnType<typeof manualClock>;
let emulator: PuidEmulator;
let server: Listening;
let proxy: Mock;
/** Every answer that came back through the proxy, with what Prism said about it. */
const answers: { request: string; status: number; violation: string | null }[] = [];

/** What Prism said about an answer: its `sl-violations` header, or its own error report; `null` if nothing. */
async function violationOf(response: Response): Promise<string | null> {
  let type: unknown = null;
  try {
    type = ((await response.clone().json()) as { type?: unknown }).type;
  } catch {
    // not JSON: not a Prism report either
  }
  return response.headers.get("sl-violations") ?? (typeof type === "string" && type.startsWith(PRISM_ERROR) ? `${response.status} ${type}` : null);
}

/** `fetch` through the proxy that records whether Prism flagged the answer, then hands it on unchanged. */
async function checked(input: Request | string, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request && init === undefined ? input : new Request(input, init);
  const response = await fetch(request);
  answers.push({ request: `${request.method} ${new URL(request.url).pathname}`, status: response.status, violation: await violationOf(response) });
  return response;
}

const rejection = (call: Promise<unknown>) => rejectionOf(PuidError, call);
const json = (fields: Record<string, unknown>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify(fields),
});

beforeAll(async () => {
  clock = manualClock(NOON);
  emulator = createPuidEmulator({ now: clock.now, dailyLimit: 20 });
  server = await emulator.listen();
  proxy = await startProxy(documents.puid, server.url);
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

test("the check sees Prism's own reports (a request the document refuses)", async () => {
  const refused = await fetch(`${proxy.url}/v1/ids?n=11`, { headers: { "x-api-key": emulator.apiKeys[0]! } });
  expect(await violationOf(refused)).toMatch(/^422 https:\/\/stoplight\.io\/prism\/errors#/);
});

describe("the emulator's answers are valid against openapi/puid.yaml", () => {
  test("ids, ordinal and quota through the facade: 200, 401, 429 and 402", async () => {
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: proxy.url, fetch: checked, requestsPerSecond: false, maxRetries: 0 });
    const ids = await puid.ids(10);
    for (const id of [...ids, "3Mtz7WcPd0ttE9g3dyetSH", "6YKQzsazwRh7qAYbtk4uy6", "7n42DGM5Tflk9n8mt7Fhc7"])
      expect(await puid.ordinal(id)).toBe(decodePuid(id));
    expect(await puid.quota()).toEqual({ plan: "free", used: 10, limit: 20, remaining: 10 });
    expect(await rejection(puid.ids(1))).toMatchObject({ status: 429 });
    clock.advance(1000);
    expect(await puid.ids(10)).toHaveLength(10);
    clock.advance(1000);
    expect(await rejection(puid.ids(1))).toMatchObject({ status: 402, code: "quota_exceeded" });
    expect(await puid.quota()).toMatchObject({ remaining: 0 });

    const stranger = new Puid({ apiKey: "puid_live_wrongwrongwrongwrongwron", endpoint: proxy.url, fetch: checked, maxRetries: 0 });
    for (const call of [() => stranger.ids(1), () => stranger.ordinal("64qAN39GjJh5kbi4HROOxh"), () => stranger.quota()]) {
      expect(await rejection(call())).toMatchObject({ status: 401 });
    }
    // Not sent: `n` outside 1..10, an ordinal with a non-base62 character or longer than 22, and an
    // empty ordinal. The document (rightly) refuses those requests, so Prism answers them itself
    // and the emulator's 400 / 404 never come back through it.
  });

  test("discovery and registration through the facade", async () => {
    const metadata = await Puid.authorizationServerMetadata({ endpoint: proxy.url, fetch: checked });
    expect(metadata.issuer).toBe(server.origin);
    const client = await Puid.registerClient({ clientName: "Through Prism", redirectUris: ["https://app.example/cb"], endpoint: proxy.url, fetch: checked });
    expect(client.client_id).toMatch(/^client_/);
    // Not sent: a registration without redirect URIs; the document's request schema refuses it.
  });

  test("the token endpoint with JSON bodies: every grant, and its 400 and 401 answers", async () => {
    const { client_id: clientId, client_secret: clientSecret } = await Puid.registerClient({
      redirectUris: ["https://app.example/cb"],
      endpoint: proxy.url,
      fetch: checked,
    });
    const token = `${proxy.url}/oauth/token`;
    const credentials = await checked(token, json({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }));
    expect(credentials.status).toBe(200);
    const { access_token: accessToken } = (await credentials.json()) as { access_token: string };
    expect((await checked(`${proxy.url}/v1/ids?n=2`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    expect((await checked(token, json({ grant_type: "client_credentials", client_id: clientId, client_secret: "secret_wrong" }))).status).toBe(401);

    // The authorize page is at the site root and outside the document: it is asked directly.
    const verifier = "a-verifier-of-enough-length-0123456789-abcdefghij";
    const authorize = async () => {
      const query = new URLSearchParams({
        client_id: clientId,
        redirect_uri: "https://app.example/cb",
        state: "s",
        code_challenge: s256(verifier),
        code_challenge_method: "S256",
      });
      const redirect = await fetch(`${server.origin}/oauth/authorize?${query}`, { redirect: "manual" });
      return new URL(redirect.headers.get("location")!).searchParams.get("code")!;
    };
    const exchange = (code: string, codeVerifier: string) =>
      checked(
        token,
        json({ grant_type: "authorization_code", code, client_id: clientId, redirect_uri: "https://app.example/cb", code_verifier: codeVerifier }),
      );
    const code = await authorize();
    const exchanged = await exchange(code, verifier);
    expect(exchanged.status).toBe(200);
    const { refresh_token: refreshToken } = (await exchanged.json()) as { refresh_token: string };
    expect((await exchange(code, verifier)).status).toBe(400);
    expect((await exchange(await authorize(), `${verifier}-wrong`)).status).toBe(400);
    expect((await checked(token, json({ grant_type: "refresh_token", refresh_token: refreshToken }))).status).toBe(200);
    expect((await checked(token, json({ grant_type: "refresh_token", refresh_token: "puid_rt_unknown" }))).status).toBe(400);
    // Not sent: an unknown grant_type (the document's TokenRequest is a oneOf of the three grants,
    // so Prism refuses it before the emulator's 400 unsupported_grant_type).
  });

  test("the production CSRF gate's 403 for a form body without Origin, in both of its bodies", async () => {
    const form = (accept: string): RequestInit => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: "client_x", client_secret: "secret_x" }).toString(),
    });
    const asJson = await checked(`${proxy.url}/oauth/token`, form("application/json"));
    expect(asJson.status).toBe(403);
    expect(await asJson.json()).toEqual({ message: "Cross-site POST form submissions are forbidden" });
    const asText = await checked(`${proxy.url}/oauth/token`, form("text/plain"));
    expect(asText.status).toBe(403);
    expect(await asText.text()).toBe("Cross-site POST form submissions are forbidden");
  });

  test("the server's own description, as JSON and as YAML", async () => {
    const described = await checked(`${proxy.url}/openapi.json`, { headers: { accept: "application/json" } });
    expect(described.status).toBe(200);
    expect(await described.json()).toMatchObject({ openapi: "3.1.0", servers: [{ url: server.url }] });
    const yaml = await checked(`${proxy.url}/openapi.yaml`, { headers: { accept: "application/yaml" } });
    expect(yaml.status).toBe(200);
    expect(await yaml.text()).toMatch(/^openapi: "?3\.1\.0"?$/m);
  });

  test("the facade's OAuth flows, with the production CSRF gate on: they send JSON", async () => {
    const options = { endpoint: proxy.url, fetch: checked, requestsPerSecond: false as const, maxRetries: 0 };
    const { client_id: clientId, client_secret: clientSecret } = await Puid.registerClient({ redirectUris: ["https://app.example/cb"], ...options });
    const app = await Puid.fromClientCredentials({ clientId, clientSecret, ...options });
    expect(await app.ids(3)).toHaveLength(3);
    expect(await rejection(Puid.fromClientCredentials({ clientId, clientSecret: "secret_wrong", ...options }))).toMatchObject({ status: 401 });
    const request = await Puid.authorizationUrl({ clientId, redirectUri: "https://app.example/cb", endpoint: server.url });
    const code = new URL((await fetch(request.url, { redirect: "manual" })).headers.get("location")!).searchParams.get("code")!;
    const user = await Puid.fromAuthorizationCode({ clientId, code, codeVerifier: request.codeVerifier, redirectUri: "https://app.example/cb", ...options });
    expect(await user.quota()).toMatchObject({ plan: "free" });
    const refreshes = emulator.tokens.filter(({ kind }) => kind === "refresh").length;
    clock.advance(3_601_000); // expired on the emulator: the facade refreshes it first
    expect(await user.quota()).toMatchObject({ plan: "free" });
    expect(emulator.tokens.filter(({ kind }) => kind === "refresh")).toHaveLength(refreshes + 1);
  });

  test("Prism flagged no answer", () => {
    expect(answers.length).toBeGreaterThan(30);
    expect(answers.filter(({ violation }) => violation !== null)).toEqual([]);
  });
});
