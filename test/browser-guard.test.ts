// In a web page anyone can read what the page holds, so a client made there with a secret — a
// PUID API key, an OAuth client secret, a Picket key that is not publishable — is refused with
// `secret_in_browser` unless the caller sets `dangerouslyAllowBrowser: true`. Flows meant for a
// page (a user's own token from PKCE, a publishable key) need no permission. The page is faked
// with `window`, `document` and `navigator` globals, put back after each test.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createPicketEmulator } from "../src/emulator/picket.js";
import { createPuidEmulator } from "../src/emulator/puid.js";
import { createPicketClient, Picket, PicketError } from "../src/picket/index.js";
import { createPuidClient, PicketPuidError, Puid, PuidError } from "../src/puid/index.js";
import { rejection, thrown } from "./support/rejection.js";

const endpoint = "http://127.0.0.1/api";
const baseURL = "http://127.0.0.1/api/v1";
const client = { clientId: "client_page", clientSecret: "secret_0123456789abcdefghijklmnopqrstuv", redirectUris: ["https://app.example/cb"] };

/** Make this Node process look like a web page. */
function inPage() {
  const document = { title: "app" };
  vi.stubGlobal("window", { document });
  vi.stubGlobal("document", document);
  vi.stubGlobal("navigator", { userAgent: "Mozilla/5.0 (test page)" });
}

const hadNavigator = Object.getOwnPropertyDescriptor(globalThis, "navigator");
beforeEach(() => vi.stubEnv("PUID_API_KEY", undefined));
afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  // The fake page is gone: nothing of it outlives the test.
  expect("window" in globalThis).toBe(false);
  expect("document" in globalThis).toBe(false);
  expect(Object.getOwnPropertyDescriptor(globalThis, "navigator")).toEqual(hadNavigator);
});

/** The error a constructor threw, checked to be `secret_in_browser` without the secret. */
function refused<E extends PicketPuidError>(type: abstract new (...args: never[]) => E, make: () => unknown, secret: string): E {
  const caught = thrown(type, make);
  expect(caught).toMatchObject({ status: null, code: "secret_in_browser", message: expect.stringContaining("dangerouslyAllowBrowser: true") });
  expect(caught.message).not.toContain(secret);
  return caught;
}

describe("PUID in a web page", () => {
  test("an API key is refused by new Puid, createPuidClient and from PUID_API_KEY, unless dangerouslyAllowBrowser", async () => {
    const emulator = createPuidEmulator();
    const apiKey = emulator.apiKeys[0]!;
    inPage();
    expect(refused(PuidError, () => new Puid({ apiKey }), apiKey).message).toMatch(/^An API key is a secret, and this runs in a web page/);
    refused(PuidError, () => createPuidClient({ apiKey }), apiKey);
    vi.stubEnv("PUID_API_KEY", apiKey);
    refused(PuidError, () => new Puid(), apiKey);
    vi.stubEnv("PUID_API_KEY", undefined);

    const allowed = new Puid({ apiKey, endpoint, fetch: emulator.fetch, dangerouslyAllowBrowser: true });
    expect(await allowed.quota()).toMatchObject({ plan: "free" });
    const low = createPuidClient({ apiKey, endpoint, fetch: emulator.fetch, dangerouslyAllowBrowser: true });
    expect((await low.GET("/v1/quota")).response.status).toBe(200);
  });

  test("client credentials are refused before the secret is sent anywhere", async () => {
    const emulator = createPuidEmulator({ clients: [client] });
    inPage();
    const error = await rejection(
      PuidError,
      Puid.fromClientCredentials({ clientId: client.clientId, clientSecret: client.clientSecret, endpoint, fetch: emulator.fetch }),
    );
    expect(error).toMatchObject({ status: null, code: "secret_in_browser", message: expect.stringMatching(/^A client secret is a secret/) });
    expect(error.message).not.toContain(client.clientSecret);
    expect(emulator.log).toHaveLength(0);
    const app = await Puid.fromClientCredentials({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      endpoint,
      fetch: emulator.fetch,
      dangerouslyAllowBrowser: true,
    });
    expect(await app.quota()).toMatchObject({ plan: "free" });
  });

  test("a user's own access token, and the PKCE flow that gets one, need no permission", async () => {
    const emulator = createPuidEmulator({ clients: [client] });
    inPage();
    const request = await Puid.authorizationUrl({ clientId: client.clientId, redirectUri: client.redirectUris[0]!, endpoint });
    const back = new URL((await emulator.fetch(request.url)).headers.get("location")!);
    expect(back.searchParams.get("state")).toBe(request.state);
    const puid = await Puid.fromAuthorizationCode({
      clientId: client.clientId,
      code: back.searchParams.get("code")!,
      codeVerifier: request.codeVerifier,
      redirectUri: client.redirectUris[0]!,
      endpoint,
      fetch: emulator.fetch,
    });
    expect(await puid.ids(1)).toHaveLength(1);
    // A token given as it is.
    const bearer = new Puid({ accessToken: "puid_at_TokenFromTheUsersOwnLogin0123", endpoint, fetch: emulator.fetch });
    expect(await rejection(PuidError, bearer.quota())).toMatchObject({ status: 401 }); // reached the server: nothing refused it here
  });
});

describe("Picket in a web page", () => {
  const emulator = createPicketEmulator({ redirectUris: ["https://app.example/cb"] });
  const secretKey = emulator.secretKeys[0]!;
  const publishableKey = emulator.publishableKeys[0]!;
  const fetch = (request: Request) => emulator.fetch(request);

  test("a key that is not publishable is refused by new Picket and createPicketClient, unless dangerouslyAllowBrowser", async () => {
    inPage();
    const error = refused(PicketError, () => new Picket(secretKey, { baseURL, fetch }), secretKey);
    expect(error.message).toMatch(/^A Picket key that is not a publishable one \(pk_…\) is a secret/);
    refused(PicketError, () => createPicketClient({ secretKey, baseURL, fetch }), secretKey);
    const allowed = new Picket(secretKey, { baseURL, fetch, dangerouslyAllowBrowser: true });
    expect(await allowed.chains()).not.toHaveLength(0);
  });

  test("a publishable key works without permission: nonce, the typed client, the OAuth URL and code exchange", async () => {
    inPage();
    const picket = new Picket(publishableKey, { baseURL, fetch });
    expect(await picket.nonce({ walletAddress: "0x52F22665A60C12D289185D950Ee8813609166f6B" })).toMatchObject({ format: "simple" });
    expect((await createPicketClient({ secretKey: publishableKey, baseURL, fetch }).GET("/chains")).response.status).toBe(200);
    const request = await Picket.authorizationUrl({ clientId: publishableKey, redirectUri: "https://app.example/cb", baseURL });
    expect(new URL(request.url).searchParams.get("client_id")).toBe(publishableKey);
    // The exchange is refused for the made-up code, by the server: the client let it go out.
    const exchange = await rejection(
      PicketError,
      picket.exchangeAuthorizationCode({ code: "not-a-code", codeVerifier: request.codeVerifier, redirectUri: "https://app.example/cb" }),
    );
    expect(exchange.status).toBe(400);
  });
});

describe("outside a web page", () => {
  test("the same secrets need no permission: the refusals above come from the page", () => {
    expect(() => new Puid({ apiKey: "puid_live_0123456789abcdefghijklmn" })).not.toThrow();
    expect(() => new Picket("sk_0123456789abcdef")).not.toThrow();
  });

  test("a window without a document (Deno) or a worker's self is not a page", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("navigator", { userAgent: "Deno/2" });
    expect(() => new Puid({ apiKey: "puid_live_0123456789abcdefghijklmn" })).not.toThrow();
    vi.unstubAllGlobals();
    vi.stubGlobal("self", { postMessage() {} });
    vi.stubGlobal("navigator", { userAgent: "worker" });
    expect(() => new Picket("sk_0123456789abcdef")).not.toThrow();
  });
});
