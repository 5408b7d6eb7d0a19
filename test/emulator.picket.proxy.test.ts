// The Picket emulator behind Prism as a validating proxy (openapi/picket.yaml, errors: true):
// every request the facade sends is checked against the document on its way in, and every
// answer of the emulator on its way back, so a disagreement either way surfaces as a Prism
// problem (`https://stoplight.io/prism/errors#…`) or an `sl-violations` header.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { documents, startProxy, type Mock } from "../scripts/mock.mjs";
import { createPicketEmulator } from "../src/emulator/picket.js";
import { manualClock, type Listening } from "../src/emulator/serve.js";
import { createSigningMessage, Picket, PicketError } from "../src/picket/index.js";
import { basic, evmWallet, solanaWallet, type TestWallet } from "./support/picket-emulator.js";
import { rejection } from "./support/rejection.js";

const NFT = "0xa3305F188cb610900F9E347FaE886dC6507795ec";
const redirectUri = "https://app.example.com/auth/callback";
const clock = manualClock();
const emulator = createPicketEmulator({ now: clock.now, format: "siwe", redirectUris: [redirectUri] });
let listening: Listening;
let proxy: Mock;

/** Every answer that came back through the proxy, for the no-violation check. */
const answers: { request: string; status: number; violations: string | null; problem: string | null }[] = [];

/** fetch that notes whether Prism flagged the answer, then hands it on unchanged. */
async function watchingFetch(request: Request): Promise<Response> {
  const response = await fetch(request);
  const text = await response.clone().text();
  let problem: string | null = null;
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    if (typeof type === "string" && type.startsWith("https://stoplight.io/prism/errors#")) problem = `${type}: ${text}`;
  } catch {
    // not JSON: not a Prism problem either
  }
  answers.push({
    request: `${request.method} ${new URL(request.url).pathname}`,
    status: response.status,
    violations: response.headers.get("sl-violations"),
    problem,
  });
  return response;
}

function expectNoViolation(): void {
  expect(answers.length).toBeGreaterThan(0);
  for (const answer of answers)
    expect({ ...answer, violations: answer.violations, problem: answer.problem }).toEqual({ ...answer, violations: null, problem: null });
}

beforeAll(async () => {
  listening = await emulator.listen();
  proxy = await startProxy(documents.picket, `${listening.origin}/api/v1`, { errors: true });
});
afterAll(async () => {
  await proxy?.close();
  await listening?.close();
});

const client = (key = emulator.secretKeys[0]!) => new Picket(key, { baseURL: proxy.url, fetch: watchingFetch, maxRetries: 0 });

/** The authorize URL of a login the wallet signed beforehand over `nonce` (siwe, on `chainId`), for the publishable key. */
async function presignedAuthorizationUrl(wallet: TestWallet, { nonce, statement }: { nonce: string; statement: string }, chainId: number) {
  const context = { domain: "app.example.com", uri: "https://app.example.com", issuedAt: new Date(clock.now()).toISOString() };
  const signature = await wallet.sign(createSigningMessage({ format: "siwe", statement, walletAddress: wallet.address, nonce, ...context, chainId }));
  return Picket.authorizationUrl({
    clientId: emulator.publishableKeys[0]!,
    redirectUri,
    baseURL: listening.url,
    walletAddress: wallet.address,
    signature,
    context,
  });
}

/** A siwe login as the facade makes it: nonce, createSigningMessage with a full context, auth. */
async function login(picket: Picket, wallet: TestWallet, requirements?: Record<string, unknown>) {
  const chain = await picket.chainInfo(wallet.chain);
  const { nonce, statement, format } = await picket.nonce({ chain: wallet.chain, walletAddress: wallet.address, locale: "en" });
  const context = {
    domain: "app.example.com",
    uri: "https://app.example.com",
    chainId: chain.chainId ?? 1,
    issuedAt: new Date(clock.now()).toISOString(),
    chainType: chain.chainType,
  };
  const signature = await wallet.sign(createSigningMessage({ format: format!, statement, walletAddress: wallet.address, nonce, ...context }));
  return {
    signature,
    context,
    answer: await picket.auth({ chain: wallet.chain, walletAddress: wallet.address, signature, context, ...(requirements ? { requirements } : {}) }),
  };
}

describe("Picket emulator behind Prism: the facade's traffic fits openapi/picket.yaml both ways", () => {
  test("chains: the list, one chain with and without chainId, and an unknown one (404)", async () => {
    answers.length = 0;
    const picket = client(emulator.publishableKeys[0]);
    expect((await picket.chains()).length).toBe(7);
    await picket.chainInfo("polygon");
    await picket.chainInfo("flow");
    expect(await rejection(PicketError, picket.chainInfo("fantom"))).toMatchObject({ status: 404, code: "resource_not_found" });
    expectNoViolation();
  });

  test("a whole session: nonce, auth with requirements, validate, authz, validate", async () => {
    answers.length = 0;
    const picket = client();
    const wallet = evmWallet();
    emulator.setBalance("ethereum", wallet.address, "contractAddress", NFT, 2);
    const { answer } = await login(picket, wallet, { contractAddress: NFT, minTokenBalance: "1" });
    expect(answer.user.tokenBalances).toEqual({ contractAddress: { [NFT]: "2" } });
    await picket.validate(answer.accessToken, { contractAddress: NFT });
    const upgraded = await picket.authz({ accessToken: answer.accessToken, requirements: { allowedWallets: [wallet.address] }, revalidate: true });
    expect((await picket.validate(upgraded.accessToken)).tokenBalances).toEqual({ contractAddress: { [NFT]: "2" } });
    expectNoViolation();
  });

  test("Solana login with the publishable key, and tokenOwnership with the secret key", async () => {
    answers.length = 0;
    const wallet = solanaWallet();
    emulator.setBalance("solana", wallet.address, "collection", "G4AWZtqrRnHJnrFom49ujtvJ3Rvup2iiFBwpABh95TSk", 3);
    await login(client(emulator.publishableKeys[0]), wallet, { collection: ["G4AWZtqrRnHJnrFom49ujtvJ3Rvup2iiFBwpABh95TSk"], minTokenBalance: 3 });
    const owned = await client().tokenOwnership({
      chain: "solana",
      walletAddress: wallet.address,
      collection: "G4AWZtqrRnHJnrFom49ujtvJ3Rvup2iiFBwpABh95TSk",
      minTokenBalance: "2",
    });
    expect(owned.allowed).toBe(true);
    const none = await client().tokenOwnership({ chain: "ethereum", walletAddress: evmWallet().address, contractAddress: NFT });
    expect(none).toEqual({ allowed: false, tokenBalances: { contractAddress: { [NFT]: "0" } } });
    expectNoViolation();
  });

  test("refusals: invalid signature (400), unmet requirements (403), expired token (401), unknown key (401), token gating on flow (400)", async () => {
    answers.length = 0;
    const picket = client();
    const wallet = evmWallet();
    const { signature, context, answer } = await login(picket, wallet);
    const replay = await rejection(PicketError, picket.auth({ walletAddress: wallet.address, signature, context }));
    expect(replay).toMatchObject({ status: 400, code: "parameter_invalid" });
    expect(await rejection(PicketError, login(picket, wallet, { contractAddress: NFT }))).toMatchObject({ status: 403, code: "permission_denied" });
    expect(await rejection(PicketError, picket.authz({ accessToken: answer.accessToken, requirements: { contractAddress: NFT } }))).toMatchObject({
      status: 403,
    });
    expect(await rejection(PicketError, picket.validate(answer.accessToken, { contractAddress: NFT }))).toMatchObject({ status: 403 });
    expect(
      await rejection(PicketError, picket.tokenOwnership({ chain: "flow", walletAddress: "0xf8d6e0586b0a20c7", allowedWallets: ["0xf8d6e0586b0a20c7"] })),
    ).toMatchObject({ status: 400 });
    expect(await rejection(PicketError, client("sk_unknown").chains())).toMatchObject({ status: 401, code: "api_key_invalid" });
    clock.advance(12 * 3600 * 1000);
    expect(await rejection(PicketError, picket.validate(answer.accessToken))).toMatchObject({ status: 401, code: null });
    expectNoViolation();
  });

  test("the OAuth token exchange, with the publishable key as picket-js sends it", async () => {
    answers.length = 0;
    const wallet = evmWallet();
    const picket = client(emulator.publishableKeys[0]);
    const chain = await picket.chainInfo("ethereum");
    // The browser's step goes to the emulator directly: Prism's proxy follows an upstream
    // redirect itself (node-fetch's default), so a 302 cannot come back through it. The 302 is
    // checked here against what the document says of it: a Location to redirect_uri with code
    // and state.
    const { url, codeVerifier } = await presignedAuthorizationUrl(wallet, await picket.nonce({ walletAddress: wallet.address }), chain.chainId!);
    const authorized = await fetch(url, { redirect: "manual" });
    expect(authorized.status).toBe(302);
    const location = authorized.headers.get("location")!;
    expect(location.startsWith(`${redirectUri}?`)).toBe(true);
    expect(new URL(location).searchParams.get("state")).toBe(new URL(url).searchParams.get("state"));
    const code = new URL(location).searchParams.get("code")!;
    const token = await picket.exchangeAuthorizationCode({ code, codeVerifier, redirectUri });
    expect(token).toMatchObject({ tokenType: "Bearer", expiresIn: 43_200, user: { walletAddress: wallet.address } });
    expect(await rejection(PicketError, picket.exchangeAuthorizationCode({ code, codeVerifier, redirectUri }))).toMatchObject({
      status: 400,
      code: "invalid_grant",
    });
    expectNoViolation();
  });

  test("the OAuth token exchange of a public client: a form body and no Authorization header", async () => {
    answers.length = 0;
    const wallet = evmWallet();
    const nonceRequest = new Request(`${listening.url}/auth/nonce`, {
      method: "POST",
      headers: { authorization: basic(emulator.publishableKeys[0]!) },
      body: JSON.stringify({ chain: "ethereum", walletAddress: wallet.address }),
    });
    const nonce = (await (await emulator.fetch(nonceRequest)).json()) as { nonce: string; statement: string };
    const { url, codeVerifier } = await presignedAuthorizationUrl(wallet, nonce, 1);
    const code = new URL((await fetch(url, { redirect: "manual" })).headers.get("location")!).searchParams.get("code")!;
    const form = new URLSearchParams({
      grant_type: "authorization_code",
      code,
      code_verifier: codeVerifier,
      redirect_uri: redirectUri,
      client_id: emulator.publishableKeys[0]!,
    });
    const response = await watchingFetch(
      new Request(`${proxy.url}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form }),
    );
    expect(response.status).toBe(200);
    expectNoViolation();
  });
});

describe("Picket emulator behind Prism: what the official clients send", () => {
  // A simple-format project, the one the server clients (empty context) can sign in to.
  const simple = createPicketEmulator();
  let simpleListening: Listening;
  let simpleProxy: Mock;
  beforeAll(async () => {
    simpleListening = await simple.listen();
    simpleProxy = await startProxy(documents.picket, `${simpleListening.origin}/api/v1`, { errors: true });
  });
  afterAll(async () => {
    await simpleProxy?.close();
    await simpleListening?.close();
  });

  /** One raw request through the proxy, as a client library would send it. */
  async function raw(path: string, authorization: string, body?: unknown) {
    const init: RequestInit = { method: body === undefined ? "GET" : "POST", headers: { authorization, "content-type": "application/json" } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await watchingFetch(new Request(`${simpleProxy.url}${path}`, init));
    return { status: response.status, body: await response.json() };
  }

  test("picket-python / picket-go: Basic base64(key:)", async () => {
    answers.length = 0;
    expect((await raw("/chains", basic(simple.secretKeys[0]!))).status).toBe(200);
    expectNoViolation();
  });

  test("picket-node: Basic base64(key) without the colon; picket-js: two spaces", async () => {
    answers.length = 0;
    expect((await raw("/chains", `Basic ${btoa(simple.secretKeys[0]!)}`)).status).toBe(200);
    expect((await raw("/chains", `Basic  ${btoa(simple.publishableKeys[0]!)}`)).status).toBe(200);
    expectNoViolation();
  });

  test("picket-python: context {} and requirements {}; picket-go: an all-string context", async () => {
    answers.length = 0;
    const wallet = evmWallet();
    const key = basic(simple.secretKeys[0]!);
    for (const context of [{}, { domain: "", uri: "", chainId: "", issuedAt: "", chainType: "", locale: "" }]) {
      const nonce = await raw("/auth/nonce", key, { chain: "ethereum", walletAddress: wallet.address, locale: "en-US" });
      const signature = await wallet.sign(`${nonce.body.statement}\n\nAddress: ${wallet.address}\nNonce: ${nonce.body.nonce}`);
      expect((await raw("/auth", key, { chain: "ethereum", walletAddress: wallet.address, signature, requirements: {}, context })).status).toBe(200);
    }
    expectNoViolation();
  });
});
