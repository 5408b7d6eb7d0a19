// The Picket emulator's protocol surface: API keys in every header form the service accepts,
// chains, nonces, unknown paths and malformed bodies — all through emulator.fetch.
import { describe, expect, test } from "vitest";
import { createPicketEmulator } from "../src/emulator/picket.js";
import { manualClock } from "../src/emulator/serve.js";
import { basic, call, evmWallet } from "./support/picket-emulator.js";

describe("Picket emulator: API keys (§2.2, §12)", () => {
  const emulator = createPicketEmulator();
  const [secret] = emulator.secretKeys;
  const [publishable] = emulator.publishableKeys;

  test("generates one sk_ and one pk_ key and a UUID project ID when none are given", () => {
    expect(emulator.secretKeys).toHaveLength(1);
    expect(emulator.publishableKeys).toHaveLength(1);
    expect(secret).toMatch(/^sk_[0-9a-f]{32}$/);
    expect(publishable).toMatch(/^pk_[0-9a-f]{32}$/);
    expect(emulator.projectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(createPicketEmulator().secretKeys[0]).not.toBe(secret);
  });

  test.each([
    ["python/go/curl: Basic base64(key:)", (key: string) => `Basic ${btoa(`${key}:`)}`],
    ["picket-node: Basic base64(key), no colon", (key: string) => `Basic ${btoa(key)}`],
    ["picket-js: two spaces after Basic, no colon", (key: string) => `Basic  ${btoa(key)}`],
    ["lower-case scheme", (key: string) => `basic ${btoa(`${key}:`)}`],
  ])("accepts %s, with either key", async (_, header) => {
    for (const key of [secret!, publishable!]) {
      const answer = await call(emulator, "GET", "/chains", { authorization: header(key) });
      expect(answer.status).toBe(200);
    }
  });

  test("a request without Authorization is 401 authentication_required", async () => {
    const answer = await call(emulator, "GET", "/chains", { authorization: null });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe("authentication_required");
    expect(answer.body.msg).toEqual(expect.any(String));
  });

  test.each([
    ["an unknown key", basic("sk_not_a_key_of_this_project")],
    ["a Bearer token", `Bearer ${btoa(`${secret}:`)}`],
    ["a bare key without a scheme", secret!],
    ["base64 that does not decode", "Basic %%%"],
    ["a non-empty password", `Basic ${btoa(`${secret}:password`)}`],
    ["an empty user name", `Basic ${btoa(":")}`],
  ])("%s is 401 api_key_invalid, with the 'invalid project key' text picket-js matches", async (_, header) => {
    const answer = await call(emulator, "GET", "/chains", { authorization: header });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe("api_key_invalid");
    expect(answer.body.msg.toLowerCase()).toContain("invalid project key");
  });

  test("keys given as options replace the generated ones", async () => {
    const custom = createPicketEmulator({ secretKeys: ["sk_live_1", "sk_live_2"], publishableKeys: ["pk_123_456_your_key"] });
    expect(custom.secretKeys).toEqual(["sk_live_1", "sk_live_2"]);
    for (const key of ["sk_live_1", "sk_live_2", "pk_123_456_your_key"]) expect((await call(custom, "GET", "/chains", { key })).status).toBe(200);
    expect((await call(custom, "GET", "/chains", { key: secret! })).status).toBe(401);
  });

  test("malformed options throw at creation, naming the option", () => {
    expect(() => createPicketEmulator({ secretKeys: [] })).toThrow(/secretKeys/);
    expect(() => createPicketEmulator({ publishableKeys: ["pk with space"] })).toThrow(/publishableKeys/);
    expect(() => createPicketEmulator({ secretKeys: ["k1"], publishableKeys: ["k1"] })).toThrow(/both/);
    expect(() => createPicketEmulator({ projectId: "project-1" })).toThrow(/projectId/);
    expect(() => createPicketEmulator({ nonceTtlMs: 0 })).toThrow(/nonceTtlMs/);
    expect(() => createPicketEmulator({ tokenTtlSeconds: 1.5 })).toThrow(/tokenTtlSeconds/);
    expect(() => createPicketEmulator({ format: "eip712" as never })).toThrow(/format/);
    expect(() => createPicketEmulator({ redirectUris: ["/callback"] })).toThrow(/redirectUris/);
    expect(() => createPicketEmulator({ ledger: { fantom: {} } })).toThrow(/ledger: unknown chain "fantom"/);
    expect(() => createPicketEmulator({ ledger: { ethereum: { "0x52F22665A60C12D289185D950Ee8813609166f6B": { balances: {} } as never } } })).toThrow(
      /unknown kind balances/,
    );
    expect(() =>
      createPicketEmulator({
        ledger: { ethereum: { "0x52F22665A60C12D289185D950Ee8813609166f6B": { contractAddress: { "0xa3305F188cb610900F9E347FaE886dC6507795ec": "-1" } } } },
      }),
    ).toThrow(RangeError);
    expect(() => createPicketEmulator({ flowAccounts: { "0x01": [] } })).toThrow(/flowAccounts/);
  });
});

describe("Picket emulator: chains (§4.6, §4.7, §7.1)", () => {
  const emulator = createPicketEmulator();

  test("GET /chains lists the seven chains, wrapped in data, with every ChainInfo field", async () => {
    const { status, body } = await call(emulator, "GET", "/chains");
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["data"]);
    expect(body.data.map((chain: { chainSlug: string }) => chain.chainSlug)).toEqual([
      "ethereum",
      "polygon",
      "optimism",
      "arbitrum",
      "avalanche",
      "solana",
      "flow",
    ]);
    const ids = Object.fromEntries(body.data.map((chain: { chainSlug: string; chainId?: number }) => [chain.chainSlug, chain.chainId]));
    expect(ids).toEqual({ ethereum: 1, polygon: 137, optimism: 10, arbitrum: 42161, avalanche: 43114, solana: undefined, flow: undefined });
    for (const chain of body.data) {
      expect(chain).toEqual(
        expect.objectContaining({
          chainSlug: expect.any(String),
          chainType: expect.stringMatching(/^(ethereum|solana|flow)$/),
          chainName: expect.any(String),
          publicRPC: expect.stringMatching(/^https:\/\//),
          authorizationSupported: expect.any(Boolean),
        }),
      );
    }
    expect(body.data.find((chain: { chainSlug: string }) => chain.chainSlug === "flow").authorizationSupported).toBe(false);
  });

  test("GET /chains/{chain} answers one chain unwrapped, the same as in the list", async () => {
    const list = (await call(emulator, "GET", "/chains")).body.data;
    for (const chain of list) {
      const one = await call(emulator, "GET", `/chains/${chain.chainSlug}`, { key: emulator.publishableKeys[0]! });
      expect(one.status).toBe(200);
      expect(one.body).toEqual(chain);
    }
  });

  test("an unknown chain is 404 resource_not_found", async () => {
    const answer = await call(emulator, "GET", "/chains/homestead");
    expect(answer).toMatchObject({ status: 404, body: { code: "resource_not_found", msg: expect.stringContaining("homestead") } });
  });
});

describe("Picket emulator: nonces (§4.1, §7.3)", () => {
  test("a nonce is alphanumeric (SIWE-compatible), comes with the statement and format, and is reused while it lives", async () => {
    const clock = manualClock();
    const emulator = createPicketEmulator({ now: clock.now, statement: "Sign in to Example App", format: "siwe" });
    const wallet = evmWallet();
    const first = await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: wallet.address, locale: "en" } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ nonce: expect.stringMatching(/^[A-Za-z0-9]{8,}$/), statement: "Sign in to Example App", format: "siwe" });
    clock.advance(119_999);
    const again = await call(emulator, "POST", "/auth/nonce", {
      key: emulator.publishableKeys[0]!,
      body: { chain: "polygon", walletAddress: wallet.address.toLowerCase() },
    });
    expect(again.body.nonce).toBe(first.body.nonce);
    clock.advance(1);
    const renewed = await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: wallet.address } });
    expect(renewed.body.nonce).not.toBe(first.body.nonce);
    expect(emulator.nonces.map((record) => record.nonce)).toEqual([first.body.nonce, renewed.body.nonce]);
    expect(emulator.nonces[0]).toMatchObject({
      chain: "ethereum",
      walletAddress: wallet.address,
      expiresAt: emulator.nonces[0]!.createdAt + 120_000,
      consumedAt: null,
    });
  });

  test("nonces are per wallet, the lifetime follows nonceTtlMs, and the format defaults to simple", async () => {
    const clock = manualClock();
    const emulator = createPicketEmulator({ now: clock.now, nonceTtlMs: 5_000 });
    const [a, b] = [evmWallet(), evmWallet()];
    const nonceA = await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: a.address } });
    const nonceB = await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: b.address } });
    expect(nonceA.body.nonce).not.toBe(nonceB.body.nonce);
    expect(nonceA.body.format).toBe("simple");
    expect(nonceA.body.statement).toBe("Sign in to Picket Emulator");
    clock.advance(5_000);
    expect((await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: a.address } })).body.nonce).not.toBe(nonceA.body.nonce);
  });

  test.each([
    ["no walletAddress", { chain: "ethereum" }, "walletAddress"],
    ["no chain (the clients default it, the server does not)", { walletAddress: "0x52F22665A60C12D289185D950Ee8813609166f6B" }, "chain is required"],
    ["picket-go's wallet_address", { chain: "ethereum", wallet_address: "0x52F22665A60C12D289185D950Ee8813609166f6B" }, "walletAddress"],
    ["an address that is not an EVM address", { chain: "ethereum", walletAddress: "24R7tFFSvfz8UGt9pb22wtA2coUdhiByfk6gXmTB2iCU" }, "walletAddress"],
    ["an EVM address on solana", { chain: "solana", walletAddress: "0x52F22665A60C12D289185D950Ee8813609166f6B" }, "walletAddress"],
    ["an unknown chain", { chain: "homestead", walletAddress: "0x52F22665A60C12D289185D950Ee8813609166f6B" }, "homestead"],
    ["a locale that is not a string", { chain: "ethereum", walletAddress: "0x52F22665A60C12D289185D950Ee8813609166f6B", locale: 7 }, "locale"],
  ])("%s is 400 parameter_invalid", async (_, body, named) => {
    const answer = await call(createPicketEmulator(), "POST", "/auth/nonce", { body });
    expect(answer).toMatchObject({ status: 400, body: { code: "parameter_invalid", msg: expect.stringContaining(named) } });
  });
});

describe("Picket emulator: every answer is Picket-shaped JSON", () => {
  const emulator = createPicketEmulator();

  test.each([
    ["an unknown path", "GET", "/api/v1/contracts"],
    ["a known path with another method", "GET", "/api/v1/auth/nonce"],
    ["a path outside /api/v1", "GET", "/chains"],
    ["the legacy nonce path", "GET", "/api/v1/nonce/0x52F22665A60C12D289185D950Ee8813609166f6B"],
    ["a trailing slash", "GET", "/api/v1/chains/"],
  ])("%s is 404 resource_not_found", async (_, method, path) => {
    const response = await emulator.fetch(new Request(`http://127.0.0.1${path}`, { method, headers: { authorization: basic(emulator.secretKeys[0]!) } }));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ msg: expect.stringContaining(path.split("?")[0]!), code: "resource_not_found" });
  });

  test.each([
    ["an empty body", ""],
    ["a body that is not JSON", "walletAddress=0x52F2"],
    ["a JSON array", "[]"],
    ["JSON null", "null"],
  ])("%s is 400 parameter_invalid", async (_, body) => {
    const answer = await call(emulator, "POST", "/auth/nonce", { body });
    expect(answer).toMatchObject({ status: 400, body: { code: "parameter_invalid", msg: expect.any(String) } });
  });

  test("the request log records method, path and status, and no header", async () => {
    const clock = manualClock(Date.UTC(2026, 11, 1));
    const logged = createPicketEmulator({ now: clock.now });
    await call(logged, "GET", "/chains/solana");
    clock.advance(10);
    await call(logged, "GET", "/chains", { authorization: null });
    expect(logged.log).toEqual([
      { method: "GET", path: "/api/v1/chains/solana", status: 200, at: Date.UTC(2026, 11, 1) },
      { method: "GET", path: "/api/v1/chains", status: 401, at: Date.UTC(2026, 11, 1) + 10 },
    ]);
    expect(JSON.stringify(logged.log)).not.toContain(logged.secretKeys[0]);
  });
});
