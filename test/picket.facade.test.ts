// The Picket facade against Prism (openapi/picket.yaml) and against a local server that misbehaves:
// what it sends, and how it reads every documented answer. Prism signs in any signature and gates
// nothing, so real sign-ins and token gating are tested against the emulator:
// test/emulator.picket.facade.test.ts, test/emulator.picket.signin.test.ts and the other
// test/emulator.picket.*.test.ts files.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { createSigningMessage, Picket, PicketError } from "../src/picket/index.js";
import { operations, responseExample } from "./support/spec.js";
import { recordingFetch } from "./support/recording-fetch.js";
import { rejection as rejectionOf } from "./support/rejection.js";
import { closedPort, serveHtml, type LocalServer } from "./support/servers.js";
import { expectNoSecret } from "./support/secrets.js";

const baseURL = inject("picketUrl");
const secretKey = "sk_live_9c1f0e2d3b4a59687766554433221100";
const wallet = "0xA548e4F3A1a5a9a4C3F6b1C0dB8e3a2F7e9D1c4B";
const token = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJjaGFpbiI6ImV0aGVyZXVtIn0.c2lnbmF0dXJlLW5vdC1jaGVja2VkLWJ5LXRoZS1tb2Nr";
const uni = "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984";
const picket = new Picket(secretKey, { baseURL });

const rejection = (call: Promise<unknown> | (() => unknown)) => rejectionOf(PicketError, call);

const example = (path: string, method: string, status: string) => responseExample("picket", path, method, status) as Record<string, any>;

describe("Picket: success against the mock", () => {
  test("nonce() defaults chain to ethereum and sends locale", async () => {
    const fetch = recordingFetch();
    const p = new Picket(secretKey, { baseURL, fetch });
    expect(await p.nonce({ walletAddress: wallet, locale: "de-DE" })).toEqual(example("/auth/nonce", "post", "200"));
    expect(await fetch.requests[0]!.json()).toEqual({ chain: "ethereum", walletAddress: wallet, locale: "de-DE" });
    expect(fetch.requests[0]!.headers.get("authorization")).toBe(`Basic ${btoa(`${secretKey}:`)}`);
  });

  test("auth() returns the access token and user", async () => {
    const fetch = recordingFetch();
    const p = new Picket(secretKey, { baseURL, fetch });
    const context = {
      domain: "app.example.com",
      uri: "https://app.example.com",
      chainId: 1,
      issuedAt: "2026-11-23T10:00:00.000Z",
      chainType: "ethereum" as const,
    };
    const result = await p.auth({ walletAddress: wallet, signature: "0x" + "ab".repeat(65), requirements: { contractAddress: uni }, context });
    expect(result).toEqual(example("/auth", "post", "200"));
    expect(await fetch.requests[0]!.json()).toEqual({
      chain: "ethereum",
      walletAddress: wallet,
      signature: "0x" + "ab".repeat(65),
      requirements: { contractAddress: uni },
      context,
    });
  });

  test("authz() sends revalidate false by default", async () => {
    const fetch = recordingFetch();
    const p = new Picket(secretKey, { baseURL, fetch });
    expect(await p.authz({ accessToken: token, requirements: { contractAddress: uni } })).toEqual(example("/authz", "post", "200"));
    expect(await fetch.requests[0]!.json()).toEqual({ accessToken: token, requirements: { contractAddress: uni }, revalidate: false });
  });

  test("validate() returns the claims", async () => {
    const claims = await picket.validate(token);
    expect(claims).toEqual(example("/auth/validate", "post", "200"));
    expect(claims.exp).toBeGreaterThan(claims.iat);
  });

  test("tokenOwnership() sends flat fields, in both forms", async () => {
    const fetch = recordingFetch();
    const p = new Picket(secretKey, { baseURL, fetch });
    const path = "/chains/{chain}/wallets/{walletAddress}/tokenOwnership";
    expect(await p.tokenOwnership({ chain: "ethereum", walletAddress: wallet, contractAddress: uni, minTokenBalance: 1 })).toEqual(
      example(path, "post", "200"),
    );
    await p.tokenOwnership({ chain: "ethereum", walletAddress: wallet, requirements: { contractAddress: uni, minTokenBalance: 1 } });
    for (const request of fetch.requests) {
      expect(new URL(request.url).pathname).toBe(`/chains/ethereum/wallets/${wallet}/tokenOwnership`);
      expect(await request.json()).toEqual({ contractAddress: uni, minTokenBalance: 1 });
    }
  });

  test("chains() unwraps data; chainInfo() returns one chain with chainId", async () => {
    expect(await picket.chains()).toEqual(example("/chains", "get", "200").data);
    const ethereum = await picket.chainInfo("ethereum");
    expect(ethereum).toEqual(example("/chains/{chain}", "get", "200"));
    expect(ethereum.chainId).toBe(1);
    expect(ethereum).not.toHaveProperty("chainID");
  });
});

describe("Picket: every documented error status maps to status, code and message", () => {
  const once = new Picket(secretKey, { baseURL, maxRetries: 0 });
  const path = {
    nonce: "/auth/nonce",
    auth: "/auth",
    authz: "/authz",
    validate: "/auth/validate",
    tokenOwnership: "/chains/{chain}/wallets/{walletAddress}/tokenOwnership",
    chains: "/chains",
    chainInfo: "/chains/{chain}",
  } as const;
  const calls: Record<keyof typeof path, (o: { headers: Record<string, string> }) => Promise<unknown>> = {
    nonce: (o) => once.nonce({ walletAddress: wallet }, o),
    auth: (o) => once.auth({ walletAddress: wallet, signature: "0xab" }, o),
    authz: (o) => once.authz({ accessToken: token, requirements: { contractAddress: uni } }, o),
    validate: (o) => once.validate(token, undefined, o),
    tokenOwnership: (o) => once.tokenOwnership({ chain: "ethereum", walletAddress: wallet, contractAddress: uni }, o),
    chains: (o) => once.chains(o),
    chainInfo: (o) => once.chainInfo("ethereum", o),
  };
  for (const [method, p] of Object.entries(path) as [keyof typeof path, string][]) {
    const op = operations("picket").find((o) => o.path === p)!;
    const verb = op.method;
    for (const status of op.statuses.filter((s) => !s.startsWith("2"))) {
      test(`${method}() ${status}`, async () => {
        const body = example(p, verb, status);
        const error = await rejection(calls[method]({ headers: { Prefer: `code=${status}` } }));
        expect(error.status).toBe(Number(status));
        expect(error.code).toBe(body.code ?? null);
        expect(error.message).toBe(body.msg);
        expect(error.body).toEqual(body);
      });
    }
  }
});

describe("Picket: missing arguments are refused before any request", () => {
  const fetch = recordingFetch();
  const p = new Picket(secretKey, { baseURL, fetch });
  const cases: [string, () => unknown][] = [
    ["nonce without walletAddress", () => p.nonce({} as never)],
    ["nonce with no arguments", () => p.nonce(undefined as never)],
    ["tokenOwnership with no arguments", () => p.tokenOwnership(undefined as never)],
    ["authz with no arguments", () => p.authz(undefined as never)],
    ["nonce with an empty walletAddress", () => p.nonce({ walletAddress: "" })],
    ["nonce with a non-string locale", () => p.nonce({ walletAddress: wallet, locale: 5 as never })],
    ["auth without signature", () => p.auth({ walletAddress: wallet } as never)],
    ["auth without walletAddress", () => p.auth({ signature: "0xab" } as never)],
    ["auth with non-object requirements", () => p.auth({ walletAddress: wallet, signature: "0xab", requirements: "x" as never })],
    ["auth with no arguments", () => p.auth(undefined as never)],
    ["authz without accessToken", () => p.authz({ requirements: {} } as never)],
    ["authz without requirements", () => p.authz({ accessToken: token } as never)],
    ["authz with a non-boolean revalidate", () => p.authz({ accessToken: token, requirements: {}, revalidate: "yes" as never })],
    ["validate without accessToken", () => p.validate("")],
    ["validate with non-object requirements", () => p.validate(token, [] as never)],
    ["tokenOwnership with an empty chain", () => p.tokenOwnership({ chain: "", walletAddress: wallet, contractAddress: uni })],
    ["tokenOwnership without walletAddress", () => p.tokenOwnership({ chain: "ethereum", contractAddress: uni } as never)],
    ["tokenOwnership without any requirement", () => p.tokenOwnership({ chain: "ethereum", walletAddress: wallet, minTokenBalance: 1 })],
    ["chainInfo without chain", () => p.chainInfo("")],
  ];
  for (const [name, call] of cases) {
    test(name, async () => {
      const error = await rejection(call);
      expect(error).toMatchObject({ status: null, code: "parameter_invalid" });
      expect(fetch.requests).toHaveLength(0);
    });
  }

  test("tokenOwnership without a chain checks Ethereum, as picket-node does", async () => {
    const own = recordingFetch();
    await new Picket(secretKey, { baseURL, fetch: own }).tokenOwnership({ walletAddress: wallet, contractAddress: uni });
    expect(new URL(own.requests[0]!.url).pathname).toBe(`/chains/ethereum/wallets/${wallet}/tokenOwnership`);
  });

  test("a missing key", async () => {
    for (const key of [undefined, "", " "]) {
      const error = await rejection(() => new Picket(key, { baseURL, fetch }));
      expect(error).toMatchObject({ status: null, code: "parameter_invalid" });
    }
  });
});

describe("Picket: transport failures", () => {
  let html502: LocalServer;
  beforeAll(async () => {
    html502 = await serveHtml(502);
  });
  afterAll(() => html502.close());

  test("a non-JSON 502 → status 502, code null, a message naming the status", async () => {
    const error = await rejection(new Picket(secretKey, { baseURL: html502.url }).nonce({ walletAddress: wallet }));
    expect(error).toMatchObject({ status: 502, code: null });
    expect(error.message).toContain("HTTP 502");
    expect(error.body).toContain("Bad Gateway");
    expect(html502.requests).toHaveLength(1); // a POST is not repeated after a 5xx
  });

  test("a closed port → network_error", async () => {
    const error = await rejection(new Picket(secretKey, { baseURL: await closedPort(), maxRetries: 0 }).chains());
    expect(error).toMatchObject({ status: null, code: "network_error" });
  });
});

describe("Picket: secrets never show", () => {
  test("in errors of every kind, and in the client itself", async () => {
    const planted = "sk_live_PLANTEDsecretVALUE0123456789";
    const encoded = btoa(`${planted}:`);
    const client = new Picket(planted, { baseURL, maxRetries: 0 });
    const errors = [
      await rejection(client.nonce({ walletAddress: "" })),
      await rejection(client.nonce({ walletAddress: wallet }, { headers: { Prefer: "code=401" } })),
      await rejection(new Picket(planted, { baseURL: await closedPort(), maxRetries: 0 }).chains()),
    ];
    for (const error of errors) expectNoSecret(error, [planted, encoded]);
    expectNoSecret(client, [planted, encoded]);
  });
});

describe("createSigningMessage", () => {
  const base = { walletAddress: wallet, nonce: "Ov8GZ4fKq1OKtbgZV", statement: "Sign in to Example App" };
  const context = { domain: "app.example.com", uri: "https://app.example.com", chainId: 1, issuedAt: "2026-11-23T10:00:00.000Z" };

  test("simple", () => {
    expect(createSigningMessage({ ...base, format: "simple" })).toBe(`Sign in to Example App\n\nAddress: ${wallet}\nNonce: Ov8GZ4fKq1OKtbgZV`);
  });

  test("siwe / ethereum", () => {
    expect(createSigningMessage({ ...base, ...context, format: "siwe", chainType: "ethereum" })).toBe(
      [
        "app.example.com wants you to sign in with your Ethereum account:",
        wallet,
        "",
        "Sign in to Example App",
        "",
        "URI: https://app.example.com",
        "Version: 1",
        "Chain ID: 1",
        "Nonce: Ov8GZ4fKq1OKtbgZV",
        "Issued At: 2026-11-23T10:00:00.000Z",
      ].join("\n"),
    );
  });

  test("siwe / solana", () => {
    const address = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";
    expect(createSigningMessage({ ...base, ...context, walletAddress: address, format: "siwe", chainType: "solana" })).toBe(
      "app.example.com wants you to sign in with your Solana account:\n" +
        `${address}\n\nSign in to Example App\n\nURI: https://app.example.com\nVersion: 1\nChain ID: 1\n` +
        "Nonce: Ov8GZ4fKq1OKtbgZV\nIssued At: 2026-11-23T10:00:00.000Z",
    );
  });

  test("siwe / flow replaces every Ethereum, the statement's too", () => {
    const address = "0x1d007d755706c469";
    expect(createSigningMessage({ ...base, ...context, statement: "Ethereum fans welcome", walletAddress: address, format: "siwe", chainType: "flow" })).toBe(
      "app.example.com wants you to sign in with your Flow account:\n" +
        `${address}\n\nFlow fans welcome\n\nURI: https://app.example.com\nVersion: 1\nChain ID: 1\n` +
        "Nonce: Ov8GZ4fKq1OKtbgZV\nIssued At: 2026-11-23T10:00:00.000Z",
    );
  });

  test("siwe without a required field names it", () => {
    for (const field of ["domain", "uri", "issuedAt", "chainId"] as const) {
      const input = { ...base, ...context, format: "siwe" as const };
      delete (input as Partial<typeof input>)[field];
      expect(() => createSigningMessage(input)).toThrow(`'${field}' is required to create a SIWE signing message`);
      expect(() => createSigningMessage(input)).toThrow(PicketError);
    }
  });

  test("an unknown format is refused", () => {
    expect(() => createSigningMessage({ ...base, format: "eip712" })).toThrow(PicketError);
  });

  test("a missing format means simple, as in picket-js", () => {
    expect(createSigningMessage(base)).toBe(createSigningMessage({ ...base, format: "simple" }));
  });

  test("a chainId given as a string is written as its decimal number; 0 or none is refused", () => {
    const siwe = (chainId: unknown) => createSigningMessage({ ...base, ...context, chainId: chainId as number, format: "siwe" });
    expect(siwe("137")).toContain("\nChain ID: 137\n");
    expect(siwe("0x89")).toContain("\nChain ID: 137\n");
    expect(siwe(137)).toBe(siwe("0x89"));
    for (const bad of [0, "0", undefined, "", null]) expect(() => siwe(bad)).toThrow("'chainId' is required to create a SIWE signing message");
    for (const bad of ["polygon", -1, 1.5, "0x"]) expect(() => siwe(bad)).toThrow(PicketError);
  });

  test("an unknown chainType keeps the word Ethereum, as picket-js does; a non-string is refused", () => {
    const message = createSigningMessage({ ...base, ...context, format: "siwe", chainType: "cosmos" });
    expect(message).toBe(createSigningMessage({ ...base, ...context, format: "siwe", chainType: "ethereum" }));
    expect(() => createSigningMessage({ ...base, ...context, format: "siwe", chainType: 7 as never })).toThrow(PicketError);
  });
});

describe("Picket OAuth 2.0: authorization URL with PKCE, and the code exchange", () => {
  test("authorizationUrl() carries PKCE S256, state, and the requirements (lists repeated)", async () => {
    const { url, codeVerifier, state } = await Picket.authorizationUrl({
      clientId: "pk_123_456_your_key",
      redirectUri: "https://app.example.com/callback",
      chain: "solana",
      requirements: { tokenIds: ["mintA", "mintB"], collection: ["c1", "c2"], minTokenBalance: 2 },
      context: { domain: "app.example.com", uri: "https://app.example.com", issuedAt: "2026-11-23T10:00:00.000Z" },
    });
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe("https://picketapi.com/api/v1/oauth2/authorize");
    const q = parsed.searchParams;
    expect(q.get("client_id")).toBe("pk_123_456_your_key");
    expect(q.get("redirect_uri")).toBe("https://app.example.com/callback");
    expect(q.get("response_mode")).toBe("code");
    expect(q.get("locale")).toBe("en");
    expect(q.get("state")).toBe(state);
    expect(q.get("code_challenge_method")).toBe("S256");
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier)));
    expect(q.get("code_challenge")).toBe(Buffer.from(digest).toString("base64url"));
    expect(q.getAll("tokenIds")).toEqual(["mintA", "mintB"]);
    expect(q.getAll("collection")).toEqual(["c1", "c2"]);
    expect(q.get("minTokenBalance")).toBe("2");
    expect(q.get("chain")).toBe("solana");
    expect(q.get("domain")).toBe("app.example.com");
    expect(q.has("chainId")).toBe(false);
    const again = await Picket.authorizationUrl({ clientId: "pk_1", redirectUri: "https://a.example/cb" });
    expect(again.codeVerifier).not.toBe(codeVerifier);
    expect(again.state).not.toBe(state);
  });

  test("authorizationUrl() leaves out empty values and a zero minTokenBalance, as picket-js does", async () => {
    for (const minTokenBalance of [0, "0", ""]) {
      const { url } = await Picket.authorizationUrl({
        clientId: "pk_1",
        redirectUri: "https://a.example/cb",
        chain: "",
        requirements: { contractAddress: uni, minTokenBalance, tokenIds: [], creatorAddress: "" },
      });
      const q = new URL(url).searchParams;
      expect(q.has("minTokenBalance")).toBe(false);
      expect(q.has("chain")).toBe(false);
      expect(q.has("tokenIds")).toBe(false);
      expect(q.has("creatorAddress")).toBe(false);
      expect(q.get("contractAddress")).toBe(uni);
    }
  });

  test("authorizationUrl() refuses requirement keys Picket does not know", async () => {
    const error = await rejection(
      Picket.authorizationUrl({ clientId: "pk_1", redirectUri: "https://a.example/cb", requirements: { contractAdress: uni } as never }),
    );
    expect(error).toMatchObject({ status: null, code: "parameter_invalid" });
    expect(error.message).toContain("contractAdress");
  });

  test("authorizationUrl() without clientId or redirectUri is parameter_invalid", async () => {
    for (const init of [{ redirectUri: "https://a.example/cb" }, { clientId: "pk_1" }, undefined]) {
      const error = await rejection(Picket.authorizationUrl(init as never));
      expect(error).toMatchObject({ status: null, code: "parameter_invalid" });
    }
  });

  test("exchangeAuthorizationCode() posts the code and verifier and returns the user's token", async () => {
    const fetch = recordingFetch();
    const p = new Picket("pk_123_456_your_key", { baseURL, fetch });
    const result = await p.exchangeAuthorizationCode({
      code: "b6a1f0c2d9e84c7a",
      codeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
      redirectUri: "https://app.example.com/callback",
    });
    expect(result).toEqual(example("/oauth2/token", "post", "200"));
    expect(await fetch.requests[0]!.json()).toEqual({
      grant_type: "authorization_code",
      code: "b6a1f0c2d9e84c7a",
      code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
      redirect_uri: "https://app.example.com/callback",
    });
    for (const status of ["400", "401"]) {
      const body = example("/oauth2/token", "post", status);
      const error = await rejection(
        p.exchangeAuthorizationCode(
          { code: "x", codeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", redirectUri: "https://app.example.com/callback" },
          { headers: { Prefer: `code=${status}` }, maxRetries: 0 },
        ),
      );
      expect(error).toMatchObject({ status: Number(status), code: body.code ?? null, message: body.msg });
    }
  });
});
