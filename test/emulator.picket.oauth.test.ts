// The OAuth 2.0 code flow with PKCE on the Picket emulator (§4.8, §4.9, §12): authorize URLs
// built by the facade's Picket.authorizationUrl, a pre-signed wallet login, the redirect back,
// and the code exchanged by the facade — plus every refusal.
import { describe, expect, test } from "vitest";
import { createPicketEmulator, type PicketEmulator } from "../src/emulator/picket.js";
import { manualClock } from "../src/emulator/serve.js";
import { createSigningMessage, Picket, PicketError, type PicketAuthorizationUrlInit } from "../src/picket/index.js";
import { basic, call, evmWallet, solanaWallet, type TestWallet } from "./support/picket-emulator.js";
import { rejection } from "./support/rejection.js";

const baseURL = "http://127.0.0.1/api/v1";
const redirectUri = "https://app.example.com/auth/callback";
const context = { domain: "app.example.com", uri: "https://app.example.com", issuedAt: "2026-12-01T10:00:00.000Z" };

function setup(format: "simple" | "siwe" = "siwe", now?: () => number) {
  const emulator = createPicketEmulator({ format, redirectUris: [redirectUri], ...(now ? { now } : {}) });
  const clientId = emulator.publishableKeys[0]!;
  const browser = new Picket(clientId, { baseURL, fetch: (request) => emulator.fetch(request), maxRetries: 0 });
  return { emulator, clientId, browser };
}

/** Sign the wallet's current nonce as a pre-signed login: for siwe with the chain's own chainId, as the emulator rebuilds it. */
async function presign(emulator: PicketEmulator, wallet: TestWallet, chainId = 1) {
  const nonce = await call(emulator, "POST", "/auth/nonce", {
    key: emulator.publishableKeys[0]!,
    body: { chain: wallet.chain, walletAddress: wallet.address },
  });
  const siwe = nonce.body.format === "siwe" ? { ...context, chainId, chainType: wallet.chain === "solana" ? ("solana" as const) : ("ethereum" as const) } : {};
  return wallet.sign(
    createSigningMessage({ format: nonce.body.format, statement: nonce.body.statement, walletAddress: wallet.address, nonce: nonce.body.nonce, ...siwe }),
  );
}

/** Follow an authorize URL: the answer, and the redirect's query when it is one. */
async function authorizeAt(emulator: PicketEmulator, url: string) {
  const response = await emulator.fetch(new Request(url));
  const location = response.headers.get("location");
  return { response, query: location ? new URL(location).searchParams : undefined, location };
}

async function authorizationUrl(clientId: string, init: Partial<PicketAuthorizationUrlInit>) {
  return Picket.authorizationUrl({ clientId, redirectUri, baseURL, context, ...init });
}

describe("Picket emulator: OAuth authorize → token with PKCE", () => {
  test("a pre-signed login redirects with a code and the state; the facade exchanges it for a token and the user", async () => {
    const { emulator, clientId, browser } = setup();
    const wallet = evmWallet();
    emulator.setBalance("ethereum", wallet.address, "contractAddress", "0xa3305F188cb610900F9E347FaE886dC6507795ec", 2);
    const { url, codeVerifier, state } = await authorizationUrl(clientId, {
      chain: "ethereum",
      walletAddress: wallet.address,
      signature: await presign(emulator, wallet),
      requirements: { contractAddress: "0xa3305F188cb610900F9E347FaE886dC6507795ec", minTokenBalance: 2 },
    });
    const { response, query, location } = await authorizeAt(emulator, url);
    expect(response.status).toBe(302);
    expect(location!.startsWith(`${redirectUri}?`)).toBe(true);
    expect(query!.get("state")).toBe(state);
    const code = query!.get("code")!;
    expect(code).toMatch(/^[0-9a-f]{32}$/);

    const token = await browser.exchangeAuthorizationCode({ code, codeVerifier, redirectUri });
    const user = {
      chain: "ethereum",
      walletAddress: wallet.address,
      displayAddress: wallet.address,
      tokenBalances: { contractAddress: { "0xa3305F188cb610900F9E347FaE886dC6507795ec": "2" } },
    };
    expect(token).toEqual({ accessToken: expect.any(String), tokenType: "Bearer", expiresIn: 43_200, user });
    expect(await browser.validate(token.accessToken)).toMatchObject(user);
    expect(emulator.tokens.map((issued) => issued.via)).toEqual(["oauth"]);
    expect(emulator.nonces[0]!.consumedAt).not.toBeNull();

    const reused = await rejection(PicketError, browser.exchangeAuthorizationCode({ code, codeVerifier, redirectUri }));
    expect(reused).toMatchObject({ status: 400, code: "invalid_grant" });
  });

  test("Solana, simple format, repeated tokenIds: the code's token carries every mint looked at", async () => {
    const { emulator, clientId, browser } = setup("simple");
    const wallet = solanaWallet();
    emulator.setBalance("solana", wallet.address, "tokenIds", "7nwVaNCQrcprmapkeVvcFhWUDJ8kpKfbUupVRMVNre5M", 1);
    const { url, codeVerifier } = await authorizationUrl(clientId, {
      chain: "solana",
      walletAddress: wallet.address,
      signature: await presign(emulator, wallet),
      requirements: { tokenIds: ["7nwVaNCQrcprmapkeVvcFhWUDJ8kpKfbUupVRMVNre5M", "4yN93NV3a9AwBv1tcHNUjh3HArSni65bM2LcDXyoc2Nv"] },
    });
    expect(new URL(url).searchParams.getAll("tokenIds")).toHaveLength(2);
    const { query } = await authorizeAt(emulator, url);
    const token = await browser.exchangeAuthorizationCode({ code: query!.get("code")!, codeVerifier, redirectUri });
    expect(token.user!.tokenBalances).toEqual({
      tokenIds: { "7nwVaNCQrcprmapkeVvcFhWUDJ8kpKfbUupVRMVNre5M": "1", "4yN93NV3a9AwBv1tcHNUjh3HArSni65bM2LcDXyoc2Nv": "0" },
    });
  });

  test("a public client exchanges with a form body and no Authorization header", async () => {
    const { emulator, clientId } = setup();
    const wallet = evmWallet();
    const { url, codeVerifier } = await authorizationUrl(clientId, { walletAddress: wallet.address, signature: await presign(emulator, wallet) });
    const { query } = await authorizeAt(emulator, url);
    const form = new URLSearchParams({
      grant_type: "authorization_code",
      code: query!.get("code")!,
      code_verifier: codeVerifier,
      redirect_uri: redirectUri,
      client_id: clientId,
    });
    const response = await emulator.fetch(
      new Request(`${baseURL}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ tokenType: "Bearer", user: { walletAddress: wallet.address } });
  });

  test("response_mode=web_message answers a page that posts the code and state to the redirect URI's origin", async () => {
    const { emulator, clientId } = setup();
    const wallet = evmWallet();
    const { url, state } = await authorizationUrl(clientId, {
      responseMode: "web_message",
      walletAddress: wallet.address,
      signature: await presign(emulator, wallet),
    });
    const response = await emulator.fetch(new Request(url));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    const posted = /postMessage\((\{.*\}), ("[^"]+")\)/.exec(html)!;
    expect(JSON.parse(posted[1]!)).toEqual({ type: "authorization_response", response: { code: expect.stringMatching(/^[0-9a-f]{32}$/), state } });
    expect(JSON.parse(posted[2]!)).toBe("https://app.example.com");
  });
});

describe("Picket emulator: refused token exchanges (§4.9)", () => {
  async function issuedCode(now?: () => number) {
    const { emulator, clientId, browser } = setup("siwe", now);
    const wallet = evmWallet();
    const { url, codeVerifier } = await authorizationUrl(clientId, { walletAddress: wallet.address, signature: await presign(emulator, wallet) });
    const code = (await authorizeAt(emulator, url)).query!.get("code")!;
    return { emulator, browser, code, codeVerifier };
  }
  const post = (emulator: PicketEmulator, body: unknown, authorization: string | null = null) =>
    call(emulator, "POST", "/oauth2/token", { body, authorization });

  test("a wrong verifier, another redirect_uri or an unknown code is invalid_grant; the code still works afterwards", async () => {
    const { emulator, browser, code, codeVerifier } = await issuedCode();
    const wrongVerifier = await rejection(
      PicketError,
      browser.exchangeAuthorizationCode({ code, codeVerifier: codeVerifier.replace(/.$/, (c) => (c === "a" ? "b" : "a")), redirectUri }),
    );
    expect(wrongVerifier).toMatchObject({ status: 400, code: "invalid_grant", message: "code_verifier does not match the code_challenge" });
    expect(await rejection(PicketError, browser.exchangeAuthorizationCode({ code, codeVerifier, redirectUri: `${redirectUri}/` }))).toMatchObject({
      code: "invalid_grant",
    });
    expect(await rejection(PicketError, browser.exchangeAuthorizationCode({ code: "0".repeat(32), codeVerifier, redirectUri }))).toMatchObject({
      code: "invalid_grant",
    });
    expect((await post(emulator, { grant_type: "authorization_code", code, code_verifier: codeVerifier, redirect_uri: redirectUri })).status).toBe(200);
  });

  test("a code expires after a minute", async () => {
    const clock = manualClock();
    const { browser, code, codeVerifier } = await issuedCode(clock.now);
    clock.advance(60_000);
    expect(await rejection(PicketError, browser.exchangeAuthorizationCode({ code, codeVerifier, redirectUri }))).toMatchObject({
      status: 400,
      code: "invalid_grant",
    });
  });

  test.each([
    ["no grant_type", { code: "c", code_verifier: "v".repeat(43), redirect_uri: redirectUri }, 400, "invalid_request"],
    ["a client_credentials grant", { grant_type: "client_credentials" }, 400, "unsupported_grant_type"],
    ["no code_verifier", { grant_type: "authorization_code", code: "c", redirect_uri: redirectUri }, 400, "invalid_request"],
    ["a short code_verifier", { grant_type: "authorization_code", code: "c", code_verifier: "short", redirect_uri: redirectUri }, 400, "invalid_request"],
    ["a number where a string belongs", { grant_type: "authorization_code", code: 7 }, 400, "invalid_request"],
    ["a secret key as client_id", { grant_type: "authorization_code", client_id: "SECRET" }, 401, "invalid_client"],
  ])("%s is %i %s", async (_, body, status, code) => {
    const { emulator } = setup();
    const fields = Object.fromEntries(Object.entries(body).map(([name, value]) => [name, value === "SECRET" ? emulator.secretKeys[0] : value]));
    expect(await post(emulator, fields)).toMatchObject({ status, body: { code, msg: expect.any(String) } });
  });

  test("an Authorization header with an unknown or malformed key is 401 invalid_client; the secret key is a valid client", async () => {
    const { emulator, code, codeVerifier } = await issuedCode();
    const body = { grant_type: "authorization_code", code, code_verifier: codeVerifier, redirect_uri: redirectUri };
    expect(await post(emulator, body, basic("pk_unknown"))).toMatchObject({ status: 401, body: { code: "invalid_client" } });
    expect(await post(emulator, body, "Bearer x")).toMatchObject({ status: 401, body: { code: "invalid_client" } });
    expect((await post(emulator, body, basic(emulator.secretKeys[0]!))).status).toBe(200);
  });
});

describe("Picket emulator: refused authorize requests (§4.8)", () => {
  test("without a signature there is no login page to show: 400 invalid_request saying so", async () => {
    const { emulator, clientId } = setup();
    const { url } = await authorizationUrl(clientId, {});
    const { response } = await authorizeAt(emulator, url);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: "invalid_request", msg: expect.stringContaining("no interactive login page") });
  });

  test.each([
    ["an unknown client_id", (url: URL) => url.searchParams.set("client_id", "pk_unknown"), 401, "invalid_client"],
    ["the secret key as client_id", (url: URL, e: PicketEmulator) => url.searchParams.set("client_id", e.secretKeys[0]!), 401, "invalid_client"],
    [
      "a redirect_uri off the allow-list (a trailing slash matters)",
      (url: URL) => url.searchParams.set("redirect_uri", `${redirectUri}/`),
      400,
      "unauthorized_client",
    ],
    ["code_challenge_method plain", (url: URL) => url.searchParams.set("code_challenge_method", "plain"), 400, "invalid_request"],
    ["no code_challenge", (url: URL) => url.searchParams.delete("code_challenge"), 400, "invalid_request"],
    ["no state", (url: URL) => url.searchParams.delete("state"), 400, "invalid_request"],
    ["an unknown response_mode", (url: URL) => url.searchParams.set("response_mode", "fragment"), 400, "invalid_request"],
    ["an unknown chain", (url: URL) => url.searchParams.set("chain", "homestead"), 400, "invalid_request"],
    [
      "allowedWallets on flow",
      (url: URL) => (url.searchParams.set("chain", "flow"), url.searchParams.set("walletAddress", "0xf8d6e0586b0a20c7")),
      400,
      "invalid_request",
    ],
  ])("%s is answered directly, %i %s, never redirected", async (_, change, status, code) => {
    const { emulator, clientId } = setup();
    const wallet = evmWallet();
    const { url } = await authorizationUrl(clientId, {
      walletAddress: wallet.address,
      signature: await presign(emulator, wallet),
      requirements: { allowedWallets: [wallet.address] },
    });
    const changed = new URL(url);
    change(changed, emulator);
    const { response } = await authorizeAt(emulator, changed.href);
    expect(response.status).toBe(status);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.json()).toEqual({ code, msg: expect.any(String) });
  });

  test("a siwe login cannot be pre-signed on a chain without chainId: authorize takes none, so 400 invalid_request", async () => {
    const { emulator, clientId } = setup("siwe");
    const wallet = solanaWallet();
    const { url } = await authorizationUrl(clientId, { chain: "solana", walletAddress: wallet.address, signature: await presign(emulator, wallet) });
    const { response } = await authorizeAt(emulator, url);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: "invalid_request", msg: expect.stringContaining("no chainId") });
  });

  test("a bad signature or unmet requirements redirect with error=access_denied, a description and the state", async () => {
    const { emulator, clientId } = setup();
    const wallet = evmWallet();
    const signature = await presign(emulator, wallet);
    const forged = await authorizationUrl(clientId, { walletAddress: wallet.address, signature: await evmWallet().sign("anything") });
    const denied = await authorizeAt(emulator, forged.url);
    expect(denied.response.status).toBe(302);
    expect(Object.fromEntries(denied.query!)).toEqual({
      error: "access_denied",
      error_description: expect.stringMatching(/^invalid signature/),
      state: forged.state,
    });
    const gated = await authorizationUrl(clientId, {
      walletAddress: wallet.address,
      signature,
      requirements: { collection: "G4AWZtqrRnHJnrFom49ujtvJ3Rvup2iiFBwpABh95TSk" },
    });
    const unmet = await authorizeAt(emulator, gated.url);
    expect(Object.fromEntries(unmet.query!)).toEqual({
      error: "access_denied",
      error_description: "wallet does not meet the token requirements",
      state: gated.state,
    });
    expect(emulator.nonces[0]!.consumedAt).toBeNull();
  });
});
