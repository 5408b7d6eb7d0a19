// The PUID emulator through its fetch handler: routing, credentials, the views, and the headers of
// every answer (puid-api.md §1, §2, §14). Time moves only by the manual clock.
import { describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { createPuidEmulator } from "../src/emulator/puid.js";
import { clientToken, NOON, read, registerClient, send, setup, withKey } from "./support/puid-emulator.js";

describe("routing (§1)", () => {
  test("an unknown path under /api is 404 not_found with api: true", async () => {
    const { emulator, key } = setup();
    for (const path of ["/api", "/api/", "/api/v2/ids", "/api/v1/ordinal/", "/api/v1/ordinal//", "/api/v1", "/api/dashboard/api/me"]) {
      const { status, body, headers } = await read(withKey(emulator, path, key));
      expect({ path, status, body }).toEqual({ path, status: 404, body: { error: "not_found", api: true } });
      expect(headers.get("cache-control")).toBe("no-store");
    }
  });

  test("trailing slashes are stripped before matching", async () => {
    const { emulator, key } = setup();
    expect((await withKey(emulator, "/api/v1/quota/", key)).status).toBe(200);
    expect((await withKey(emulator, "/api/v1/quota///", key)).status).toBe(200);
    expect((await read(withKey(emulator, "/api/v1/ordinal/64qAN39GjJh5kbi4HROOxh/", key))).body.ordinal).toBe("1");
  });

  test("the method is not checked on /v1 or on discovery", async () => {
    const { emulator, key, clock } = setup();
    expect((await read(withKey(emulator, "/api/v1/quota", key, { method: "POST" }))).body.plan).toBe("free");
    expect((await read(withKey(emulator, "/api/v1/ids?n=2", key, { method: "DELETE" }))).body.count).toBe(2);
    clock.advance(1000);
    expect((await read(withKey(emulator, "/api/v1/ids", key, { method: "PUT" }))).body.count).toBe(1);
    expect((await withKey(emulator, "/api/v1/ordinal/64qAN39GjJh5kbi4HROOxh", key, { method: "PATCH" })).status).toBe(200);
    expect((await send(emulator, "/api/.well-known/oauth-authorization-server", { method: "POST" })).status).toBe(200);
  });

  test("the OAuth endpoints answer only POST; other methods are 404 not_found", async () => {
    const { emulator } = setup();
    for (const path of ["/api/oauth/token", "/api/oauth/register"]) {
      for (const method of ["GET", "PUT", "DELETE"]) {
        expect(await read(send(emulator, path, { method }))).toMatchObject({ status: 404, body: { error: "not_found", api: true } });
      }
    }
  });

  test("site paths other than /oauth/authorize are a plain 404", async () => {
    const { emulator } = setup();
    for (const path of ["/", "/dashboard", "/oauth/decision", "/auth/login/google", "/.well-known/oauth-authorization-server", "/apix"]) {
      const response = await send(emulator, path);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    }
  });

  test("discovery: the eight fields, with every URL on the request's origin", async () => {
    const { emulator } = setup();
    const response = await emulator.fetch("https://ids.example.com/api/.well-known/oauth-authorization-server");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      issuer: "https://ids.example.com",
      authorization_endpoint: "https://ids.example.com/oauth/authorize",
      token_endpoint: "https://ids.example.com/api/oauth/token",
      registration_endpoint: "https://ids.example.com/api/oauth/register",
      scopes_supported: ["puid:generate", "puid:ordinal"],
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
      code_challenge_methods_supported: ["S256", "plain"],
    });
  });

  test("/api/openapi.json and /api/openapi.yaml: no credential, the three /v1 paths, both schemes, the request's origin", async () => {
    const { emulator } = setup();
    const asJson = await emulator.fetch("http://localhost:9999/api/openapi.json");
    expect(asJson.status).toBe(200);
    expect(asJson.headers.get("content-type")).toMatch(/^application\/json/);
    expect(asJson.headers.get("cache-control")).toBe("no-store");
    const document = await asJson.json();
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.servers[0].url).toBe("http://localhost:9999/api");
    expect(Object.keys(document.paths)).toEqual(["/v1/ids", "/v1/ordinal/{puid}", "/v1/quota"]);
    expect(Object.keys(document.components.securitySchemes)).toEqual(["ApiKeyAuth", "OAuth2"]);
    expect(document.components.securitySchemes.OAuth2.flows.authorizationCode.authorizationUrl).toBe("http://localhost:9999/oauth/authorize");
    expect(document.components.securitySchemes.OAuth2.flows.clientCredentials.tokenUrl).toBe("http://localhost:9999/api/oauth/token");

    const asYaml = await emulator.fetch("http://localhost:9999/api/openapi.yaml/");
    expect(asYaml.status).toBe(200);
    expect(asYaml.headers.get("content-type")).toBe("application/yaml");
    expect(parseYaml(await asYaml.text())).toEqual(document);
  });
});

describe("credentials (§2, §14)", () => {
  const messages = {
    "/api/v1/ids": "Send X-API-Key or a Bearer token. Sign in at /dashboard to get one.",
    "/api/v1/ordinal/64qAN39GjJh5kbi4HROOxh": "Send X-API-Key or a Bearer token.",
    "/api/v1/quota": "Send X-API-Key.",
  };

  test("no or a wrong credential: 401 unauthorized with each endpoint's own message, no WWW-Authenticate", async () => {
    const { emulator, key } = setup();
    const attempts: Record<string, string>[] = [
      {},
      { "x-api-key": "puid_live_000000000000000000000000" },
      { authorization: `bearer ${key}` }, // the prefix is case-sensitive
      { authorization: `Basic ${key}` },
      { authorization: "Bearer puid_at_00000000000000000000000000000000" },
      { authorization: `Bearer ${key.replace("puid_live_", "puid_test_")}` },
    ];
    for (const [path, message] of Object.entries(messages)) {
      for (const headers of attempts) {
        const { status, body, headers: answer } = await read(send(emulator, path, { headers }));
        expect({ path, headers, status, body }).toEqual({ path, headers, status: 401, body: { error: "unauthorized", message } });
        expect(answer.get("www-authenticate")).toBeNull();
        expect(answer.get("cache-control")).toBe("no-store");
      }
    }
    expect(emulator.issued).toHaveLength(0);
  });

  test("an API key works as X-API-Key and as Authorization: Bearer puid_live_…", async () => {
    const { emulator, key } = setup();
    expect((await send(emulator, "/api/v1/quota", { headers: { "x-api-key": key } })).status).toBe(200);
    expect((await send(emulator, "/api/v1/quota", { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });

  test("X-API-Key is tried first: a wrong one still lets a valid puid_at_ token through, but not a Bearer API key", async () => {
    const { emulator, key } = setup({ csrf: false });
    const token = await clientToken(emulator, await registerClient(emulator));
    const wrong = { "x-api-key": "puid_live_wrongwrongwrongwrongwron" };
    expect((await send(emulator, "/api/v1/quota", { headers: { ...wrong, authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await send(emulator, "/api/v1/quota", { headers: { ...wrong, authorization: `Bearer ${key}` } })).status).toBe(401);
  });

  test("every key of a team acts for the team; an account on another plan reports it", async () => {
    const { emulator } = setup({
      apiKeys: ["puid_live_aaaaaaaaaaaaaaaaaaaaaaaa", "puid_live_bbbbbbbbbbbbbbbbbbbbbbbb"],
      accounts: [{ id: "team_pro", plan: "pro", apiKeys: ["puid_live_pppppppppppppppppppppppp"] }],
    });
    expect(emulator.apiKeys).toEqual(["puid_live_aaaaaaaaaaaaaaaaaaaaaaaa", "puid_live_bbbbbbbbbbbbbbbbbbbbbbbb", "puid_live_pppppppppppppppppppppppp"]);
    await withKey(emulator, "/api/v1/ids?n=3", emulator.apiKeys[0]);
    expect((await read(withKey(emulator, "/api/v1/quota", emulator.apiKeys[1]))).body).toEqual({ plan: "free", used: 3, limit: 1000, remaining: 997 });
    expect((await read(withKey(emulator, "/api/v1/quota", emulator.apiKeys[2]))).body).toEqual({ plan: "pro", used: 0, limit: null, remaining: null });
  });

  test("a generated default key has the server's format", () => {
    const { emulator } = setup();
    expect(emulator.apiKeys).toHaveLength(1);
    expect(emulator.apiKeys[0]).toMatch(/^puid_live_[0-9A-Za-z]{24}$/);
    expect(emulator.accounts[0]).toMatchObject({ id: expect.stringMatching(/^team_[0-9A-Za-z]{16}$/), plan: "free" });
  });
});

describe("views", () => {
  test("the log: time, method, path, status, account and ids of every request", async () => {
    const { emulator, key, clock } = setup();
    const ids = (await read(withKey(emulator, "/api/v1/ids?n=2", key))).body.ids;
    clock.advance(10);
    await withKey(emulator, "/api/v1/ids", key);
    await send(emulator, "/api/v1/quota", { method: "HEAD" });
    await send(emulator, "/nowhere");
    const team = emulator.accounts[0]!.id;
    expect(emulator.log).toEqual([
      { at: NOON, method: "GET", path: "/api/v1/ids?n=2", status: 200, account: team, ids },
      { at: NOON + 10, method: "GET", path: "/api/v1/ids", status: 429, account: team, ids: [] },
      { at: NOON + 10, method: "HEAD", path: "/api/v1/quota", status: 401, account: null, ids: [] },
      { at: NOON + 10, method: "GET", path: "/nowhere", status: 404, account: null, ids: [] },
    ]);
  });

  test("views are frozen copies: changing them changes nothing", async () => {
    const { emulator, key } = setup();
    await withKey(emulator, "/api/v1/ids?n=2", key);
    for (const view of [emulator.issued, emulator.log, emulator.apiKeys, emulator.accounts, emulator.clients, emulator.tokens])
      expect(Object.isFrozen(view)).toBe(true);
    expect(Object.isFrozen(emulator.issued[0])).toBe(true);
    expect(Object.isFrozen(emulator.log[0])).toBe(true);
    expect(() => (emulator.issued as unknown[]).push(1)).toThrow(TypeError);
    expect(emulator.issued).toHaveLength(2);
    expect(() => emulator.usage("team_nobody")).toThrow(RangeError);
  });

  test("bad options are refused at creation", () => {
    expect(() => createPuidEmulator({ accounts: [{ id: "acct", apiKeys: ["k"] }] })).toThrow(TypeError);
    expect(() => createPuidEmulator({ accounts: [{ id: "team_a", apiKeys: [] }] })).toThrow(TypeError);
    expect(() => createPuidEmulator({ apiKeys: ["k"], accounts: [{ id: "team_a", apiKeys: ["k"] }] })).toThrow(TypeError);
    expect(() => createPuidEmulator({ dailyLimit: 0 })).toThrow(TypeError);
    expect(() => createPuidEmulator({ authorize: { account: "team_nobody" } })).toThrow(TypeError);
    expect(() => createPuidEmulator({ clients: [{ clientId: "c", clientSecret: "", redirectUris: [] }] })).toThrow(TypeError);
    expect(() =>
      createPuidEmulator({
        clients: [
          { clientId: "c", clientSecret: "s", redirectUris: [] },
          { clientId: "c", clientSecret: "t", redirectUris: [] },
        ],
      }),
    ).toThrow(TypeError);
    expect(() => createPuidEmulator({ roundKeys: [1n, 2n] })).toThrow(/round keys|roundKeys|four/i);
  });

  test("each emulator has its own state", async () => {
    const one = setup();
    const two = setup();
    await withKey(one.emulator, "/api/v1/ids", one.key);
    expect((await read(withKey(two.emulator, "/api/v1/ids", two.key))).body.ids).toEqual(["64qAN39GjJh5kbi4HROOxh"]);
    expect((await withKey(two.emulator, "/api/v1/quota", one.key)).status).toBe(401);
  });
});

test("every JSON answer carries Cache-Control: no-store", async () => {
  const { emulator, key } = setup({ csrf: false });
  const client = await registerClient(emulator);
  const answers = [
    await withKey(emulator, "/api/v1/ids", key),
    await withKey(emulator, "/api/v1/ids", key),
    await withKey(emulator, "/api/v1/quota", key),
    await send(emulator, "/api/v1/quota"),
    await send(emulator, "/api/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }),
    }),
    await send(emulator, "/api/oauth/token", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
    await send(emulator, `/oauth/authorize?client_id=${client.clientId}&redirect_uri=x`),
  ];
  for (const answer of answers) {
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    expect(answer.headers.get("cache-control")).toBe("no-store");
  }
});
