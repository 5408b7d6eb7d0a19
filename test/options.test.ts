// Option names a client does not know: every constructor, factory and call refuses them with the
// API's `invalid_option` before anything is sent, so a misspelt or misplaced option fails loudly
// instead of being ignored. The name the other API uses (PUID's `endpoint`, Picket's `baseURL`)
// gets a hint that says which name this client wants.
import { describe, expect, test } from "vitest";
import { createPicketEmulator } from "../src/emulator/picket.js";
import { createPuidEmulator } from "../src/emulator/puid.js";
import { createPicketClient, Picket, PicketError } from "../src/picket/index.js";
import { createPuidClient, Puid, PuidError } from "../src/puid/index.js";
import { rejection, thrown } from "./support/rejection.js";

const endpoint = "http://127.0.0.1/api";
const baseURL = "http://127.0.0.1/api/v1";
const clientSecret = "secret_0123456789abcdefghijklmnopqrstuv";

/** `invalid_option` for `name`, before any request, with `hint` after the name when one is expected. */
function expectUnknown(error: Error, name: string, hint?: string) {
  expect(error).toMatchObject({ status: null, code: "invalid_option" });
  expect(error.message).toContain(`Unknown option '${name}'`);
  if (hint) expect(error.message).toContain(`Unknown option '${name}': ${hint}`);
  else expect(error.message).toMatch(new RegExp(`Unknown option '${name}'\\. Known options: `));
}

describe("the PUID client's constructors and factories refuse an option they do not know", () => {
  const emulator = createPuidEmulator({ clients: [{ clientId: "client_known", clientSecret, redirectUris: ["https://app.example/cb"] }] });
  const apiKey = emulator.apiKeys[0]!;
  const fetch = emulator.fetch;

  test("new Puid({ apiKey, baseURL }) hints endpoint, naming baseURL as the Picket client's", () => {
    const error = thrown(PuidError, () => new Puid({ apiKey, baseURL: endpoint } as never));
    expectUnknown(error, "baseURL", "did you mean 'endpoint'? (baseURL is the Picket client's name for it)");
    expect(error.message).toContain("Known options: apiKey, accessToken, tokenSource");
  });

  test("a spelling that differs only in case is pointed at the right one; a Picket name gets its PUID counterpart", () => {
    expectUnknown(
      thrown(PuidError, () => new Puid({ apiKey, baseUrl: endpoint } as never)),
      "baseUrl",
      "did you mean 'endpoint'?",
    );
    expectUnknown(
      thrown(PuidError, () => new Puid({ apiKey, Timeout: 5_000 } as never)),
      "Timeout",
      "did you mean 'timeout'?",
    );
    expectUnknown(
      thrown(PuidError, () => new Puid({ secretKey: apiKey } as never)),
      "secretKey",
      "did you mean 'apiKey'? (secretKey is the Picket client's)",
    );
    // A name near none: no guess, but the list of what is known.
    const error = thrown(PuidError, () => new Puid({ apiKey, retries: 3 } as never));
    expectUnknown(error, "retries");
    expect(error.message).toContain("maxRetries");
  });

  test("an option left undefined is the same as one not given", () => {
    expect(() => new Puid({ apiKey, endpoint, baseURL: undefined } as never)).not.toThrow();
  });

  test("the key is never echoed in the message", () => {
    const error = thrown(PuidError, () => new Puid({ apiKey, baseURL: endpoint } as never));
    expect(error.message).not.toContain(apiKey);
  });

  test("createPuidClient({ apiKey, baseURL }) hints endpoint", () => {
    expectUnknown(
      thrown(PuidError, () => createPuidClient({ apiKey, baseURL: endpoint } as never)),
      "baseURL",
      "did you mean 'endpoint'?",
    );
  });

  test("Puid.fromClientCredentials and Puid.fromAuthorizationCode refuse before asking for a token", async () => {
    const credentials = await rejection(
      PuidError,
      Puid.fromClientCredentials({ clientId: "client_known", clientSecret, endpoint, fetch, baseURL: endpoint } as never),
    );
    expectUnknown(credentials, "baseURL", "did you mean 'endpoint'?");
    const gone = await rejection(
      PuidError,
      Puid.fromClientCredentials({ clientId: "client_known", clientSecret, endpoint, fetch, clientAuthentication: "basic" } as never),
    );
    expectUnknown(gone, "clientAuthentication", "it is gone: credentials always go in the JSON body");
    const code = await rejection(
      PuidError,
      Puid.fromAuthorizationCode({
        clientId: "client_known",
        code: "code_x",
        codeVerifier: "v".repeat(43),
        redirectUri: "https://app.example/cb",
        endpoint,
        fetch,
        baseURL: endpoint,
      } as never),
    );
    expectUnknown(code, "baseURL", "did you mean 'endpoint'?");
    expect(credentials.message).not.toContain(clientSecret);
    expect(emulator.log).toHaveLength(0);
  });

  test("Puid.authorizationUrl, Puid.registerClient and Puid.authorizationServerMetadata refuse it too", async () => {
    expectUnknown(
      await rejection(PuidError, Puid.authorizationUrl({ clientId: "client_known", redirectUri: "https://app.example/cb", baseURL: endpoint } as never)),
      "baseURL",
      "did you mean 'endpoint'?",
    );
    expectUnknown(
      await rejection(PuidError, Puid.registerClient({ redirectUris: ["https://app.example/cb"], endpoint, fetch, baseURL: endpoint } as never)),
      "baseURL",
      "did you mean 'endpoint'?",
    );
    expectUnknown(
      await rejection(PuidError, Puid.authorizationServerMetadata({ endpoint, fetch, baseURL: endpoint } as never)),
      "baseURL",
      "did you mean 'endpoint'?",
    );
    expect(emulator.log).toHaveLength(0);
  });

  test("a call's own options: an unknown name is refused and nothing is sent", async () => {
    const puid = new Puid({ apiKey, endpoint, fetch });
    for (const [call, name] of [
      [() => puid.quota({ endpoint } as never), "endpoint"],
      [() => puid.ids(1, { retries: 1 } as never), "retries"],
      [() => puid.ordinal("64qAN39GjJh5kbi4HROOxh", { Timeout: 1 } as never), "Timeout"],
    ] as const) {
      const error = await rejection(PuidError, call);
      expect(error).toMatchObject({ status: null, code: "invalid_option" });
      expect(error.message).toContain(`Unknown option '${name}'`);
      expect(error.message).toContain("Known options: timeout, maxRetries, signal, headers, fetch, maxResponseBytes.");
    }
    expect((await rejection(PuidError, puid.quota({ Timeout: 1 } as never))).message).toContain("did you mean 'timeout'?");
    expect(emulator.log).toHaveLength(0);
  });
});

describe("the Picket client's constructors and factories refuse an option they do not know", () => {
  const emulator = createPicketEmulator();
  const key = emulator.secretKeys[0]!;
  const fetch = (request: Request) => emulator.fetch(request);

  test("new Picket(key, { endpoint }) hints baseURL, naming endpoint as the PUID client's", () => {
    const error = thrown(PicketError, () => new Picket(key, { endpoint: baseURL } as never));
    expectUnknown(error, "endpoint", "did you mean 'baseURL'? (endpoint is the PUID client's name for it)");
    expect(error.message).not.toContain(key);
  });

  test("baseUrl and a key passed as an option say where they belong", () => {
    expectUnknown(
      thrown(PicketError, () => new Picket(key, { baseUrl: baseURL } as never)),
      "baseUrl",
      "did you mean 'baseURL'?",
    );
    const misplaced = thrown(PicketError, () => new Picket(undefined, { apiKey: key } as never));
    expectUnknown(misplaced, "apiKey", "the key is the first argument: new Picket(key, options)");
    expect(misplaced.message).not.toContain(key);
  });

  test("createPicketClient({ secretKey, endpoint }) hints baseURL; { apiKey } points at secretKey, its name for the key", () => {
    expectUnknown(
      thrown(PicketError, () => createPicketClient({ secretKey: key, endpoint: baseURL } as never)),
      "endpoint",
      "did you mean 'baseURL'?",
    );
    expectUnknown(
      thrown(PicketError, () => createPicketClient({ apiKey: key } as never)),
      "apiKey",
      "did you mean 'secretKey'?",
    );
  });

  test("Picket.authorizationUrl({ clientId, redirectUri, endpoint }) hints baseURL instead of building a URL to production", async () => {
    const error = await rejection(
      PicketError,
      Picket.authorizationUrl({ clientId: emulator.publishableKeys[0]!, redirectUri: "https://app.example/cb", endpoint: baseURL } as never),
    );
    expectUnknown(error, "endpoint", "did you mean 'baseURL'?");
    const typo = await rejection(
      PicketError,
      Picket.authorizationUrl({
        clientId: emulator.publishableKeys[0]!,
        redirectUri: "https://app.example/cb",
        redirectURI: "https://app.example/cb",
      } as never),
    );
    expectUnknown(typo, "redirectURI", "did you mean 'redirectUri'?");
  });

  test("a call's own options: an unknown name is refused and nothing is sent", async () => {
    const picket = new Picket(key, { baseURL, fetch });
    const nonce = await rejection(PicketError, picket.nonce({ walletAddress: "0x52F22665A60C12D289185D950Ee8813609166f6B" }, { baseURL } as never));
    expect(nonce).toMatchObject({ status: null, code: "invalid_option" });
    expect(nonce.message).toContain("Unknown option 'baseURL'");
    const chains = await rejection(PicketError, picket.chains({ maxretries: 1 } as never));
    expect(chains.message).toContain("Unknown option 'maxretries': did you mean 'maxRetries'?");
    expect(emulator.log).toHaveLength(0);
  });
});
