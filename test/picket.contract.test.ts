// Contract tests of the low-level Picket client against Prism, started from openapi/picket.yaml.
import createClient from "openapi-fetch";
import { describe, expect, expectTypeOf, inject, test } from "vitest";
import { createPicketClient, PicketError, type PicketPaths } from "../src/picket/index.js";
import { USER_AGENT } from "../src/core/headers.js";
import { documentedContract } from "./support/contract.js";
import { responseExample } from "./support/spec.js";
import { recordingFetch } from "./support/recording-fetch.js";

const baseURL = inject("picketUrl");
const secretKey = "sk_test_8f3a1c9e2b7d4f60a5e1";
const wallet = "0xA548e4F3A1a5a9a4C3F6b1C0dB8e3a2F7e9D1c4B";
const jwt = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJjaGFpbiI6ImV0aGVyZXVtIn0.c2lnbmF0dXJlLW5vdC1jaGVja2VkLWJ5LXRoZS1tb2Nr";

type C = ReturnType<typeof createPicketClient>;
type H = Record<string, string>;

/** One valid call per operation; the error-status tests reuse them with `Prefer: code=...`. */
const calls = {
  createNonce: (c: C, headers: H = {}) => c.POST("/auth/nonce", { body: { chain: "ethereum", walletAddress: wallet, locale: "en-US" }, headers }),
  authenticate: (c: C, headers: H = {}) =>
    c.POST("/auth", {
      body: {
        chain: "ethereum",
        walletAddress: wallet,
        signature: "0x" + "ab".repeat(65),
        requirements: { contractAddress: "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984", minTokenBalance: "1" },
      },
      headers,
    }),
  authorize: (c: C, headers: H = {}) =>
    c.POST("/authz", {
      body: { accessToken: jwt, requirements: { contractAddress: "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984" }, revalidate: false },
      headers,
    }),
  validateAccessToken: (c: C, headers: H = {}) => c.POST("/auth/validate", { body: { accessToken: jwt }, headers }),
  checkTokenOwnership: (c: C, headers: H = {}) =>
    c.POST("/chains/{chain}/wallets/{walletAddress}/tokenOwnership", {
      params: { path: { chain: "ethereum", walletAddress: wallet } },
      body: { contractAddress: "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984", minTokenBalance: "1" },
      headers,
    }),
  listChains: (c: C, headers: H = {}) => c.GET("/chains", { headers }),
  getChain: (c: C, headers: H = {}) => c.GET("/chains/{chain}", { params: { path: { chain: "ethereum" } }, headers }),
  exchangeOAuth2Token: (c: C, headers: H = {}) =>
    c.POST("/oauth2/token", {
      body: {
        grant_type: "authorization_code",
        code: "b6a1f0c2d9e84c7a",
        code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        redirect_uri: "https://app.example.com/callback",
      },
      headers,
    }),
  authorizeOAuth2: (c: C, headers: H = {}) =>
    c.GET("/oauth2/authorize", {
      params: {
        query: {
          client_id: "pk_123_456_your_key",
          redirect_uri: "https://app.example.com/callback",
          state: "c2tCUk1lR3lJcEtnT1Y",
          code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
          code_challenge_method: "S256",
          response_mode: "code",
          tokenIds: ["7nwVaNCQrcprmapkeVvcFhWUDJ8kpKfbUupVRMVNre5M", "4yN93NV3a9AwBv1tcHNUjh3HArSni65bM2LcDXyoc2Nv"],
        },
      },
      // A page for a browser; its refusals are JSON.
      headers: { Accept: "text/html, application/json", ...headers },
      parseAs: "text",
    }),
};

const client = createPicketClient({ secretKey, baseURL });
/** No retries: these tests look at how one refused request is reported, not at retrying it. */
const once = createPicketClient({ secretKey, baseURL, maxRetries: 0 });

documentedContract("picket", calls, once, { msg: expect.any(String) });

describe("success through the typed low-level client", () => {
  test("POST /auth/nonce → nonce, statement, format", async () => {
    const { data, error } = await calls.createNonce(client);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("picket", "/auth/nonce", "post", "200"));
    expectTypeOf(data!.nonce).toEqualTypeOf<string>();
    expect(data!.nonce).toMatch(/^[a-zA-Z0-9]{8,}$/);
  });

  test("POST /auth → access token and user", async () => {
    const { data, error } = await calls.authenticate(client);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("picket", "/auth", "post", "200"));
    expectTypeOf(data!.user.walletAddress).toEqualTypeOf<string>();
    expect(data!.accessToken.split(".")).toHaveLength(3);
  });

  test("POST /authz → a new access token", async () => {
    const { data, error } = await calls.authorize(client);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("picket", "/authz", "post", "200"));
  });

  test("POST /auth/validate → the token's claims", async () => {
    const { data, error } = await calls.validateAccessToken(client);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("picket", "/auth/validate", "post", "200"));
    expectTypeOf(data!.exp).toEqualTypeOf<number>();
    expect(data!.exp - data!.iat).toBe(12 * 3600);
  });

  test("POST /chains/{chain}/wallets/{walletAddress}/tokenOwnership with a flat body", async () => {
    const fetch = recordingFetch();
    const c = createPicketClient({ secretKey, baseURL, fetch });
    const { data, error } = await calls.checkTokenOwnership(c);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("picket", "/chains/{chain}/wallets/{walletAddress}/tokenOwnership", "post", "200"));
    expectTypeOf(data!.allowed).toEqualTypeOf<boolean>();
    expect(await fetch.requests[0]!.json()).toEqual({ contractAddress: "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984", minTokenBalance: "1" });
  });

  test("a Solana token-ownership check with tokenIds", async () => {
    const { data, error } = await client.POST("/chains/{chain}/wallets/{walletAddress}/tokenOwnership", {
      params: { path: { chain: "solana", walletAddress: "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU" } },
      body: { tokenIds: ["EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"] },
    });
    expect(error).toBeUndefined();
    expect(typeof data!.allowed).toBe("boolean");
  });

  test("GET /chains → a list wrapped in data", async () => {
    const { data, error } = await calls.listChains(client);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("picket", "/chains", "get", "200"));
    expect(data!.data.map((c) => c.chainSlug)).toContain("ethereum");
  });

  test("GET /chains/{chain} → one chain with chainId", async () => {
    const { data, error } = await calls.getChain(client);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("picket", "/chains/{chain}", "get", "200"));
    expectTypeOf(data!.chainId).toEqualTypeOf<number | undefined>(); // Solana and Flow have none
    expect(data).toMatchObject({ chainSlug: "ethereum", chainId: 1, chainType: "ethereum" });
  });

  test("POST /oauth2/token (authorization code + PKCE) as JSON", async () => {
    const { data, error } = await calls.exchangeOAuth2Token(client);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("picket", "/oauth2/token", "post", "200"));
    expect(data!.tokenType).toBe("Bearer");
  });

  test("GET /oauth2/authorize → the login page, with the list requirements repeated and no credential", async () => {
    const fetch = recordingFetch();
    const c = createPicketClient({ secretKey, baseURL, fetch });
    const { data, error, response } = await calls.authorizeOAuth2(c);
    expect(error).toBeUndefined();
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(data).toBe(responseExample("picket", "/oauth2/authorize", "get", "200", "text/html"));
    const sent = new URL(fetch.requests[0]!.url);
    expect(sent.searchParams.getAll("tokenIds")).toHaveLength(2);
    const bare = createClient<PicketPaths>({ baseUrl: baseURL });
    const anonymous = await calls.authorizeOAuth2(bare);
    expect(anonymous.response.status).toBe(200); // the page needs no Authorization header
  });

  test("GET /oauth2/authorize 302 → the browser goes back to redirect_uri with code and state", async () => {
    // The transport follows the redirect; this fetch stands in for the app's callback page.
    const hops: string[] = [];
    const c = createPicketClient({
      secretKey,
      baseURL,
      fetch: async (request) => {
        hops.push(request.url);
        if (request.url.startsWith("https://app.example.com/"))
          return new Response("callback reached", { status: 200, headers: { "content-type": "text/html" } });
        return fetch(request);
      },
    });
    const { data, error } = await calls.authorizeOAuth2(c, { Prefer: "code=302" });
    expect(error).toBeUndefined();
    expect(data).toBe("callback reached");
    const back = new URL(hops[1]!);
    expect(back.origin + back.pathname).toBe("https://app.example.com/auth/callback");
    expect(back.searchParams.get("code")).toEqual(expect.any(String));
    expect(back.searchParams.get("state")).toEqual(expect.any(String));
  });

  test("POST /oauth2/token as a form body", async () => {
    const fetch = recordingFetch();
    const c = createPicketClient({ secretKey, baseURL, fetch });
    const { data, error } = await calls.exchangeOAuth2Token(c, { "Content-Type": "application/x-www-form-urlencoded" });
    expect(error).toBeUndefined();
    expect(data!.accessToken).toEqual(expect.any(String));
    expect(new URLSearchParams(await fetch.requests[0]!.text()).get("grant_type")).toBe("authorization_code");
  });
});

describe("requests the spec refuses", () => {
  test("no credentials → 401 in `error`", async () => {
    const bare = createClient<PicketPaths>({ baseUrl: baseURL });
    const { data, error, response } = await bare.GET("/chains");
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expect(error).toEqual(responseExample("picket", "/chains", "get", "401"));
  });

  test("POST /oauth2/token with no Authorization header (a public PKCE client) is accepted", async () => {
    const bare = createClient<PicketPaths>({ baseUrl: baseURL });
    const { data, error, response } = await calls.exchangeOAuth2Token(bare);
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data!.accessToken).toEqual(expect.any(String));
  });

  test("a nonce request without walletAddress → the document's 400", async () => {
    // @ts-expect-error -- walletAddress is required
    const { error, response } = await client.POST("/auth/nonce", { body: { chain: "ethereum" } });
    expect(response.status).toBe(400);
    expect(error).toEqual(responseExample("picket", "/auth/nonce", "post", "400"));
  });
});

describe("what the client puts on the wire", () => {
  test("Basic base64(key + ':'), Accept, User-Agent, JSON body; trailing slash harmless", async () => {
    const fetch = recordingFetch();
    const c = createPicketClient({ secretKey, baseURL: `${baseURL}/`, fetch });
    const { error } = await calls.createNonce(c);
    expect(error).toBeUndefined();
    const sent = fetch.requests[0]!;
    expect(sent.url).toBe(`${baseURL}/auth/nonce`);
    expect(sent.headers.get("authorization")).toBe(`Basic ${Buffer.from(`${secretKey}:`).toString("base64")}`);
    expect(sent.headers.get("accept")).toBe("application/json");
    expect(sent.headers.get("content-type")).toBe("application/json");
    expect(sent.headers.get("user-agent")).toBe(USER_AGENT);
    expect(await sent.json()).toEqual({ chain: "ethereum", walletAddress: wallet, locale: "en-US" });
  });

  test("a missing key is a PicketError before any request", () => {
    const fetch = recordingFetch();
    for (const bad of [undefined, "", "   ", 42]) {
      expect(() => createPicketClient({ secretKey: bad as string, baseURL, fetch })).toThrow(PicketError);
      try {
        createPicketClient({ secretKey: bad as string, baseURL, fetch });
      } catch (error) {
        expect(error).toMatchObject({ status: null, code: "parameter_invalid" });
      }
    }
    expect(fetch.requests).toHaveLength(0);
  });
});
