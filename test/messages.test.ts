// What an error's message tells the person reading it: after retries, how many attempts over how
// long; after a timeout, which request timed out and what "timed out" means; after a refusal
// (401, invalid_client, 404), what was sent or called — never a secret — and what to check; and
// for a client made with the wrong number of credentials, whether none or several were given.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createPicketEmulator } from "../src/emulator/picket.js";
import { createPuidEmulator } from "../src/emulator/puid.js";
import { Picket, PicketError } from "../src/picket/index.js";
import { createPuidClient, Puid, PuidError, TokenSource } from "../src/puid/index.js";
import { json, quota, server, timed } from "./support/fault-server.js";
import { rejection } from "./support/rejection.js";
import { closedPort, serveHtml } from "./support/servers.js";

const apiKey = "puid_live_MessageTestKey0123456789ab";

beforeEach(() => {
  vi.stubEnv("PUID_API_KEY", undefined);
  vi.stubEnv("PUID_ACCESS_TOKEN", undefined);
});
afterEach(() => vi.unstubAllEnvs());

/** The seconds in a "(N attempts over X s)" ending, checked to be there with `attempts`. */
function tally(message: string, attempts: number): number {
  const match = new RegExp(` \\(${attempts} attempts over (\\d+\\.\\d) s\\)$`).exec(message);
  expect(match, `"${message}" should end with (${attempts} attempts over … s)`).not.toBeNull();
  return Number(match![1]);
}

describe("a call that failed after retries says how many attempts, over how long", () => {
  test("no connection: the network failure, then (3 attempts over X s), X within what the call took", async () => {
    const endpoint = await closedPort();
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint, maxRetries: 2 }).quota());
    expect(error).toBeInstanceOf(PuidError);
    expect(error).toMatchObject({ status: null, code: "network_error" });
    const message = (error as Error).message;
    expect(message).toMatch(/^The request could not be completed: /);
    const seconds = tally(message, 3);
    // Two backoff waits of at least 375 ms and 750 ms came between the three attempts.
    expect(seconds).toBeGreaterThanOrEqual(1.1);
    expect(seconds).toBeLessThanOrEqual(ms / 1000 + 0.05);
  });

  test("an error answer: the server's own message, then the tally (PUID and Picket)", async () => {
    const s = await server((req, res) =>
      json(res, 503, req.url!.startsWith("/chains") ? { msg: "picket is down" } : { error: "unavailable", message: "puid is down" }, {
        "retry-after-ms": "20",
      }),
    );
    const puid = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, maxRetries: 1 }).quota());
    expect(puid).toMatchObject({ status: 503, code: "unavailable" });
    expect(puid.message.startsWith("puid is down (2 attempts over ")).toBe(true);
    expect(tally(puid.message, 2)).toBeLessThan(5);
    const picket = await rejection(PicketError, new Picket("sk_MessageTestKey0123", { baseURL: s.url, maxRetries: 2 }).chains());
    expect(picket.message.startsWith("picket is down (3 attempts over ")).toBe(true);
    expect(picket.msg).toBe(picket.message);
  });

  test("a call that failed at its first attempt says nothing of attempts", async () => {
    const s = await server((_req, res) => json(res, 400, { error: "bad_request", message: "n must be 1..10." }));
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error.message).toBe("n must be 1..10.");
  });
});

describe("a timeout says which request timed out, and that no complete answer came within the limit", () => {
  /** A server that never completes an answer; with `partial`, it sends the headers and half a body first. */
  async function stalling(partial = false) {
    return server((_req, res) => {
      if (partial) {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"plan":"free",');
      }
      // Otherwise nothing: the answer never completes.
    });
  }

  test("nothing came back: the request and the limit are named", async () => {
    const s = await stalling();
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, timeout: 200, maxRetries: 0 }).quota());
    expect(error).toMatchObject({ status: null, code: "timeout", message: "GET /v1/quota timed out: no complete answer within 200 ms" });
  });

  test("the headers came and the body stalled: the same words, still true (the answer was not complete)", async () => {
    const s = await stalling(true);
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, timeout: 200, maxRetries: 0 }).quota());
    expect(error).toMatchObject({ status: null, code: "timeout", message: "GET /v1/quota timed out: no complete answer within 200 ms" });
  });

  test("a read repeated after timeouts: the limit is each attempt's, and the tally says how long the call took", async () => {
    const s = await stalling();
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, timeout: 150, maxRetries: 1 }).quota());
    expect(error.message.startsWith("GET /v1/quota timed out: no complete answer within 150 ms (2 attempts over ")).toBe(true);
    expect(tally(error.message, 2)).toBeGreaterThanOrEqual(0.6); // 2 × 150 ms, and a backoff of at least 375 ms
  });

  test("a token renewal that timed out during a call names the token request, not the call's, which was never sent", async () => {
    let tokens = 0;
    const s = await server((req, res) => {
      if (!req.url!.startsWith("/oauth/token")) return json(res, 200, quota);
      tokens++;
      // The first token lives one second; its renewal never gets an answer.
      if (tokens === 1) json(res, 200, { access_token: "puid_at_MessageTestToken0123456789abcd", token_type: "Bearer", expires_in: 1, scope: "puid:generate" });
    });
    const puid = await Puid.fromClientCredentials({
      clientId: "client_message",
      clientSecret: "secret_MessageTestSecret0123456789",
      endpoint: s.url,
      timeout: 300,
      maxRetries: 0,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const error = await rejection(PuidError, puid.quota());
    expect(error).toMatchObject({ status: null, code: "timeout", message: "POST /oauth/token timed out: no complete answer within 300 ms" });
    expect(s.requests.map(({ method, url }) => `${method} ${url}`)).toEqual(["POST /oauth/token", "POST /oauth/token"]);
  });

  test("a wait for a turn under the rate limit that outlasts the timeout says so, and that nothing was sent", async () => {
    const s = await server((_req, res) => json(res, 200, { ids: ["64qAN39GjJh5kbi4HROOxh"], count: 1, quota: { used: 1, limit: 1000 } }));
    const puid = new Puid({ apiKey, endpoint: s.url, timeout: 300 });
    await puid.ids(1);
    const error = await rejection(PuidError, puid.ids(1));
    expect(error).toMatchObject({
      status: null,
      code: "timeout",
      message: "The request waited longer than its timeout (300 ms) for its turn under the rate limit, and was not sent.",
    });
    expect(s.requests).toHaveLength(1);
  });
});

describe("a refusal says what was sent or called, never the secret, and what to check", () => {
  test("401 to an API key names the key's header, not the key, and what to check", async () => {
    const emulator = createPuidEmulator();
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: "http://127.0.0.1/api", fetch: emulator.fetch }).quota());
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
    expect(error.message).toBe(
      "HTTP 401 unauthorized for GET /api/v1/quota: the API key (sent as X-API-Key) was refused: check it is current (not revoked or expired). The server said: Send X-API-Key.",
    );
    expect(error.message).not.toContain(apiKey);
  });

  test("401 to an access token says it was a token, sent as Bearer, and to check its expiry and scope", async () => {
    const emulator = createPuidEmulator();
    const accessToken = "puid_at_MessageTestToken0123456789abcd";
    const error = await rejection(PuidError, new Puid({ accessToken, endpoint: "http://127.0.0.1/api", fetch: emulator.fetch }).ids(1));
    expect(error.message).toMatch(
      /^HTTP 401 unauthorized for GET \/api\/v1\/ids: the access token \(sent as Authorization: Bearer\) was refused: check it is current \(not revoked or expired\) and has the scope puid:generate\. The server said: /,
    );
    expect(error.message).not.toContain(accessToken);
  });

  test("401 to a renewed token (client credentials): a token was sent, and neither it nor the client secret shows", async () => {
    const clientSecret = "secret_MessageTestSecret0123456789";
    let minted = 0;
    const s = await server((req, res) => {
      if (req.url!.startsWith("/oauth/token"))
        return json(res, 200, {
          access_token: `puid_at_MessageMinted${++minted}abcdefghijklmnopq`,
          token_type: "Bearer",
          expires_in: 3600,
          scope: "puid:generate",
        });
      json(res, 401, { error: "unauthorized", message: `no such token ${req.headers.authorization}` });
    });
    const puid = await Puid.fromClientCredentials({ clientId: "client_message", clientSecret, endpoint: s.url });
    const error = await rejection(PuidError, puid.quota());
    expect(error.message).toContain("the access token (sent as Authorization: Bearer) was refused");
    for (const secret of [clientSecret, "puid_at_MessageMinted1abcdefghijklmnopq", "puid_at_MessageMinted2abcdefghijklmnopq"])
      expect(error.message).not.toContain(secret);
    expect(minted).toBe(2); // renewed once after the first 401, then final
  });

  test("the typed client's 401 comes back as data, and its error body never holds the key", async () => {
    const emulator = createPuidEmulator();
    const { error, response } = await createPuidClient({ apiKey, endpoint: "http://127.0.0.1/api", fetch: emulator.fetch }).GET("/v1/quota");
    expect(response.status).toBe(401);
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });

  test("invalid_client from the token endpoint explains what to check, without the secret", async () => {
    const clientSecret = "secret_WrongSecret0123456789abcdefgh";
    const emulator = createPuidEmulator({
      clients: [{ clientId: "client_known", clientSecret: "secret_RightSecret0123456789abcdefgh", redirectUris: ["https://app.example/cb"] }],
    });
    const error = await rejection(
      PuidError,
      Puid.fromClientCredentials({ clientId: "client_known", clientSecret, endpoint: "http://127.0.0.1/api", fetch: emulator.fetch }),
    );
    expect(error).toMatchObject({ status: 401, code: "invalid_client" });
    expect(error.message).toBe(
      "HTTP 401 invalid_client for POST /api/oauth/token: the OAuth client was refused: check the client id and secret, and that the client is registered with this server.",
    );
  });

  test("404 names the request that was called: the API's not_found with what to check, an HTML page, Picket without a msg", async () => {
    const emulator = createPuidEmulator();
    const doubled = await rejection(PuidError, new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: "http://127.0.0.1/api/api", fetch: emulator.fetch }).quota());
    expect(doubled).toMatchObject({ status: 404, code: "not_found" });
    expect(doubled.message).toBe("HTTP 404 not_found for GET /api/api/v1/quota: the server has no such API path: check the endpoint (it ends in /api).");

    const html = await serveHtml(404);
    try {
      const page = await rejection(PuidError, new Puid({ apiKey, endpoint: html.url }).ordinal("64qAN39GjJh5kbi4HROOxh"));
      expect(page).toMatchObject({ status: 404, code: null, message: "Request failed with HTTP 404 for GET /v1/ordinal/64qAN39GjJh5kbi4HROOxh." });
      const picket = await rejection(PicketError, new Picket("sk_MessageTestKey0123", { baseURL: html.url }).chainInfo("fantom"));
      expect(picket).toMatchObject({ status: 404, code: null, message: "Picket API request failed with HTTP 404 Not Found for GET /chains/fantom." });
    } finally {
      await html.close();
    }
  });

  test("Picket's own msg is the message (err.msg, as picket-node gave it), with the key kept out", async () => {
    const emulator = createPicketEmulator();
    const key = "sk_NotThisProjectsKey0123456789ab";
    const error = await rejection(PicketError, new Picket(key, { baseURL: "http://127.0.0.1/api/v1", fetch: (r) => emulator.fetch(r) }).chains());
    expect(error).toMatchObject({ status: 401, code: "api_key_invalid", message: "invalid project key: this key belongs to no project" });
    expect(error.msg).toBe(error.message);
  });
});

describe("exactly one credential: the message says whether none or several were given", () => {
  const thrown = (make: () => unknown) => {
    try {
      make();
    } catch (error) {
      expect(error).toBeInstanceOf(PuidError);
      return error as PuidError;
    }
    throw new Error("expected a PuidError");
  };

  test("none", () => {
    for (const make of [() => new Puid(), () => new Puid({}), () => createPuidClient({})]) {
      expect(thrown(make)).toMatchObject({
        status: null,
        code: "invalid_credentials",
        message: "No credential: pass `apiKey` (a team key, puid_live_…), `accessToken` or `tokenSource`, or set the PUID_API_KEY environment variable.",
      });
    }
  });

  test("both, and which they were, without either value", () => {
    const accessToken = "puid_at_MessageTestToken0123456789abcd";
    const both = thrown(() => new Puid({ apiKey, accessToken } as never));
    expect(both).toMatchObject({
      status: null,
      code: "invalid_credentials",
      message: "Both `apiKey` and `accessToken` were given: pass exactly one credential.",
    });
    const withSource = thrown(() => new Puid({ accessToken, tokenSource: new TokenSource(async () => ({ accessToken, expiresAt: null })) } as never));
    expect(withSource.message).toBe("Both `accessToken` and `tokenSource` were given: pass exactly one credential.");
    expect(thrown(() => createPuidClient({ apiKey, accessToken } as never)).message).toBe(both.message);
    for (const error of [both, withSource]) {
      expect(error.message).not.toContain(apiKey);
      expect(error.message).not.toContain(accessToken);
    }
  });

  test("a credential in the environment is not a second one: an explicit key with PUID_ACCESS_TOKEN set is fine", () => {
    vi.stubEnv("PUID_ACCESS_TOKEN", "puid_at_FromTheEnvironment000000000000000");
    expect(() => new Puid({ apiKey })).not.toThrow();
  });
});
