// The Puid facade against the PUID emulator: through its fetch handler, and once over a real port.
// The emulator's clock is stepped by hand; where the facade would pace or wait in real time, the
// test turns pacing off and steps the clock between requests instead.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPuidEmulator, type PuidEmulator } from "../src/emulator/puid.js";
import { manualClock, type Listening } from "../src/emulator/serve.js";
import { decodePuid, encodePuid } from "../src/puid/codec.js";
import { Puid, PuidError } from "../src/puid/index.js";
import { rejection as rejectionOf } from "./support/rejection.js";
import { facadeSignIn } from "./support/puid-emulator.js";
import { expectNoSecret } from "./support/secrets.js";

const endpoint = "http://127.0.0.1/api";
const NOON = Date.UTC(2026, 5, 1, 12);
const rejection = (call: Promise<unknown>) => rejectionOf(PuidError, call);

function setup(options: Parameters<typeof createPuidEmulator>[0] = {}) {
  const clock = manualClock(NOON);
  const emulator = createPuidEmulator({ now: clock.now, ...options });
  /** The emulator as the facade's fetch, one second later for every request: a client that never outruns the rate limit. */
  const stepping = (request: Request) => {
    clock.advance(1000);
    return emulator.fetch(request);
  };
  return { clock, emulator, stepping, apiKey: emulator.apiKeys[0]! };
}

describe("Puid facade → emulator.fetch", () => {
  test("generate(25): 25 distinct ids in 3 requests, whose codec decodes equal the server's ordinals; quota goes down", async () => {
    const { emulator, stepping, apiKey } = setup();
    const puid = new Puid({ apiKey, endpoint, fetch: stepping, requestsPerSecond: false });
    expect(await puid.quota()).toEqual({ plan: "free", used: 0, limit: 1000, remaining: 1000 });
    const ids: string[] = [];
    for await (const id of puid.generate(25)) ids.push(id);
    expect(new Set(ids).size).toBe(25);
    for (const id of ids) expect(await puid.ordinal(id)).toBe(decodePuid(id));
    expect(emulator.issued.map(({ id, ordinal }) => [id, ordinal])).toEqual(ids.map((id) => [id, decodePuid(id)]));
    expect(emulator.log.filter(({ path }) => path.startsWith("/api/v1/ids")).map(({ path }) => path)).toEqual([
      "/api/v1/ids?n=10",
      "/api/v1/ids?n=10",
      "/api/v1/ids?n=5",
    ]);
    expect(await puid.quota()).toEqual({ plan: "free", used: 25, limit: 1000, remaining: 975 });
  });

  test("two quick calls: the second is rate_limited with retryAfterMs from the body and the Retry-After header", async () => {
    const { emulator, clock, apiKey } = setup();
    const puid = new Puid({ apiKey, endpoint, fetch: emulator.fetch, requestsPerSecond: false, maxRetries: 0 });
    await puid.ids(2);
    clock.advance(400);
    const error = await rejection(puid.ids(2));
    expect(error).toMatchObject({ status: 429, code: "rate_limited", retryAfterMs: 600, upgradeUrl: "http://127.0.0.1/upgrade" });
    expect(error.headers?.get("retry-after")).toBe("1");
  });

  test("402 quota_exceeded at the daily limit, and ids again after 00:00 UTC", async () => {
    const { clock, stepping, apiKey } = setup({ dailyLimit: 20 });
    const puid = new Puid({ apiKey, endpoint, fetch: stepping, requestsPerSecond: false, maxRetries: 0 });
    await puid.ids(10);
    await puid.ids(10);
    const error = await rejection(puid.ids(1));
    expect(error).toMatchObject({ status: 402, code: "quota_exceeded", upgradeUrl: "http://127.0.0.1/upgrade" });
    expect(error.body).toMatchObject({ used: 20, limit: 20, plan: "free" });
    expect((await puid.quota()).remaining).toBe(0);
    clock.set(Date.UTC(2026, 5, 2));
    expect(await puid.quota()).toEqual({ plan: "free", used: 0, limit: 20, remaining: 20 });
    expect(await puid.ids(3)).toHaveLength(3);
  });

  test("a wrong key is unauthorized; a bad character in ordinal never leaves the client", async () => {
    const { emulator } = setup();
    const puid = new Puid({ apiKey: "puid_live_wrongwrongwrongwrongwron", endpoint, fetch: emulator.fetch, maxRetries: 0 });
    expect(await rejection(puid.ids(1))).toMatchObject({
      status: 401,
      code: "unauthorized",
      message: expect.stringContaining("The server said: Send X-API-Key or a Bearer token. Sign in at /dashboard to get one."),
    });
    expect(await rejection(puid.quota())).toMatchObject({ status: 401, message: expect.stringContaining("check it is current") });
    expect(await rejection(puid.ordinal("a-b"))).toMatchObject({ status: null, code: "invalid_puid" });
  });

  test("ordinal() is exact up to 2^128 − 1: the server's decimal string becomes the bigint the codec encoded", async () => {
    const { emulator, apiKey } = setup();
    const puid = new Puid({ apiKey, endpoint, fetch: emulator.fetch });
    for (const ordinal of [0n, 2n ** 53n + 1n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 127n + 12345n, 2n ** 128n - 1n]) {
      expect(await puid.ordinal(encodePuid(ordinal))).toBe(ordinal);
    }
    expect(emulator.usage().used).toBe(0); // decoding spends nothing
  });

  test("quota() on an unlimited plan: limit and remaining are null, used still counts", async () => {
    const { stepping } = setup({ accounts: [{ id: "team_pro", plan: "pro", apiKeys: ["puid_live_ProTeamKey0123456789abcd"] }] });
    const puid = new Puid({ apiKey: "puid_live_ProTeamKey0123456789abcd", endpoint, fetch: stepping, requestsPerSecond: false });
    expect(await puid.quota()).toEqual({ plan: "pro", used: 0, limit: null, remaining: null });
    await puid.ids(10);
    expect(await puid.quota()).toEqual({ plan: "pro", used: 10, limit: null, remaining: null });
  });

  test("the key shows in none of the errors the server really answers (401, 429, 402), nor in the client", async () => {
    const { emulator, clock, apiKey } = setup({ dailyLimit: 1 });
    const puid = new Puid({ apiKey, endpoint, fetch: emulator.fetch, requestsPerSecond: false, maxRetries: 0 });
    const wrongKey = `${apiKey.slice(0, -1)}${apiKey.endsWith("x") ? "y" : "x"}`;
    await puid.ids(1);
    const errors = [
      await rejection(new Puid({ apiKey: wrongKey, endpoint, fetch: emulator.fetch, maxRetries: 0 }).quota()),
      await rejection(puid.ids(1)),
      await (async () => {
        clock.advance(1000);
        return rejection(puid.ids(1));
      })(),
    ];
    expect(errors.map(({ status }) => status)).toEqual([401, 429, 402]);
    for (const error of errors) expectNoSecret(error, [apiKey, wrongKey]);
    expectNoSecret(puid, [apiKey]);
  });

  test("registerClient() and authorizationServerMetadata() (JSON and GET, so the gate lets them by)", async () => {
    const { emulator } = setup();
    const client = await Puid.registerClient({ clientName: "Facade", redirectUris: ["https://app.example/cb"], endpoint, fetch: emulator.fetch });
    expect(client).toMatchObject({ client_id: expect.stringMatching(/^client_/), redirect_uris: ["https://app.example/cb"] });
    expect(emulator.clients.map(({ clientName }) => clientName)).toEqual(["Facade"]);
    const metadata = await Puid.authorizationServerMetadata({ endpoint, fetch: emulator.fetch });
    expect(metadata.token_endpoint).toBe("http://127.0.0.1/api/oauth/token");
  });

  // The facade sends /oauth/token as JSON, so its OAuth flows pass the production CSRF gate (§14),
  // which is on in every emulator here.
  describe("OAuth flows, with the production CSRF gate on", () => {
    test("fromClientCredentials(): ids for the client's own pseudo-account and rate bucket", async () => {
      const { emulator, apiKey } = setup();
      const { client_id: clientId, client_secret: clientSecret } = await Puid.registerClient({
        redirectUris: ["https://app.example/cb"],
        endpoint,
        fetch: emulator.fetch,
      });
      const app = await Puid.fromClientCredentials({ clientId, clientSecret, endpoint, fetch: emulator.fetch, requestsPerSecond: false, maxRetries: 0 });
      const team = new Puid({ apiKey, endpoint, fetch: emulator.fetch, requestsPerSecond: false, maxRetries: 0 });
      expect(await team.ids(2)).toHaveLength(2);
      expect(await app.ids(3)).toHaveLength(3);
      expect(await app.quota()).toEqual({ plan: "free", used: 3, limit: 1000, remaining: 997 });
      expect(emulator.usage(`client:${clientId}`).used).toBe(3);
      expect(await rejection(app.ids(1))).toMatchObject({ status: 429 });
      const wrong = await rejection(Puid.fromClientCredentials({ clientId, clientSecret: "secret_wrong", endpoint, fetch: emulator.fetch }));
      expect(wrong).toMatchObject({ status: 401, code: "invalid_client" });
    });

    test("authorizationUrl() → the emulator's authorize page → fromAuthorizationCode() with PKCE S256; renewal by refresh token after expiry", async () => {
      const { emulator, clock } = setup();
      const signIn = await facadeSignIn(emulator, endpoint);
      expect(signIn.redirect.status).toBe(302);
      expect(signIn.back.searchParams.get("state")).toBe(signIn.request.state);
      const puid = await signIn.exchange({ requestsPerSecond: false });
      expect(await puid.ids(2)).toHaveLength(2);
      expect(emulator.usage().used).toBe(2); // the approving team's quota
      const reused = await rejection(signIn.exchange());
      expect(reused).toMatchObject({ status: 400, code: "invalid_grant" });

      clock.advance(3_601_000); // the access token has expired on the emulator's clock
      expect(await puid.quota()).toMatchObject({ used: 2 });
      const refreshes = emulator.log.filter(({ path, status }) => path === "/api/oauth/token" && status === 200);
      expect(refreshes).toHaveLength(2); // the code exchange, then one refresh after the 401
      expect(emulator.tokens.filter(({ kind }) => kind === "refresh")).toHaveLength(2);
    });

    test("a wrong PKCE verifier: invalid_grant with the server's detail", async () => {
      const { emulator } = setup();
      const signIn = await facadeSignIn(emulator, endpoint);
      const error = await rejection(signIn.exchange({ codeVerifier: `${signIn.request.codeVerifier}x` }));
      expect(error).toMatchObject({ status: 400, code: "invalid_grant", message: "invalid_grant: PKCE failed" });
    });
  });
});

describe("Puid facade → emulator.listen() on a real port", () => {
  let emulator: PuidEmulator;
  let server: Listening;
  let clock: ReturnType<typeof manualClock>;

  beforeAll(async () => {
    clock = manualClock(NOON);
    emulator = createPuidEmulator({ now: clock.now });
    server = await emulator.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => server.close());

  test("url is the origin + /api; ids, ordinal, quota and the 429 over HTTP", async () => {
    expect(server.url).toBe(`${server.origin}/api`);
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: server.url, requestsPerSecond: false, maxRetries: 0 });
    const ids = await puid.ids(5);
    expect(await Promise.all(ids.map((id) => puid.ordinal(id)))).toEqual(ids.map(decodePuid));
    const error = await rejection(puid.ids(1));
    expect(error).toMatchObject({ status: 429, code: "rate_limited", upgradeUrl: `${server.origin}/upgrade` });
    expect(error.headers?.get("retry-after")).toBe("1");
    clock.advance(1000);
    expect(await puid.ids(1)).toHaveLength(1);
    expect(await puid.quota()).toMatchObject({ used: 6 });
  });

  test("the authorize page at the site root redirects with a code; the discovery document names this origin", async () => {
    const client = await Puid.registerClient({ redirectUris: ["https://app.example/cb"], endpoint: server.url });
    const request = await Puid.authorizationUrl({ clientId: client.client_id, redirectUri: "https://app.example/cb", endpoint: server.url });
    expect(request.url.startsWith(`${server.origin}/oauth/authorize?`)).toBe(true);
    const response = await fetch(request.url, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^https:\/\/app\.example\/cb\?code=code_/);
    expect((await Puid.authorizationServerMetadata({ endpoint: server.url })).issuer).toBe(server.origin);
  });

  test("the CSRF gate compares Origin with the listening origin", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect((await fetch(`${server.url}/oauth/token`, { method: "POST", headers: form, body: "grant_type=x" })).status).toBe(403);
    const same = await fetch(`${server.url}/oauth/token`, { method: "POST", headers: { ...form, origin: server.origin }, body: "grant_type=x" });
    expect(same.status).toBe(400);
    expect(await same.json()).toEqual({ error: "unsupported_grant_type" });
  });
});
