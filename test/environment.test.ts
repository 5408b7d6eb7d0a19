// Credentials, endpoints and the log level from the environment: a client made without them reads
// PUID_API_KEY (else PUID_ACCESS_TOKEN), PUID_ENDPOINT, PICKET_SECRET_KEY, PICKET_BASE_URL and
// PICKET_PUID_LOG, and whatever is given explicitly wins. Each test sets the variables it needs
// and clears the others, so the machine's own environment cannot decide an outcome.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createPicketEmulator } from "../src/emulator/picket.js";
import { createPuidEmulator } from "../src/emulator/puid.js";
import { createPicketClient, Picket, PicketError } from "../src/picket/index.js";
import { createPuidClient, Puid, PuidError } from "../src/puid/index.js";
import { clientToken } from "./support/puid-emulator.js";
import { recordingFetch } from "./support/recording-fetch.js";
import { thrown } from "./support/rejection.js";

const VARIABLES = ["PUID_API_KEY", "PUID_ACCESS_TOKEN", "PUID_ENDPOINT", "PICKET_SECRET_KEY", "PICKET_BASE_URL", "PICKET_PUID_LOG"] as const;

beforeEach(() => {
  for (const name of VARIABLES) vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const client = { clientId: "client_env", clientSecret: "secret_0123456789abcdefghijklmnopqrstuv", redirectUris: ["https://app.example/cb"] };

/** A PUID emulator behind a fetch that records what the client sent. */
function puidServer() {
  const emulator = createPuidEmulator({ clients: [client] });
  return { emulator, fetch: recordingFetch((request) => emulator.fetch(request)) };
}

describe("PUID credentials and endpoint from the environment", () => {
  test("PUID_API_KEY is the key of a client made without a credential", async () => {
    const { emulator, fetch } = puidServer();
    vi.stubEnv("PUID_API_KEY", emulator.apiKeys[0]);
    const puid = new Puid({ endpoint: "http://127.0.0.1/api", fetch });
    expect(await puid.quota()).toMatchObject({ plan: "free", used: 0 });
    expect(fetch.requests[0]!.headers.get("x-api-key")).toBe(emulator.apiKeys[0]);
    expect(fetch.requests[0]!.headers.has("authorization")).toBe(false);
  });

  test("PUID_ACCESS_TOKEN is used when PUID_API_KEY is not set; with both set, the key", async () => {
    const { emulator, fetch } = puidServer();
    const token = await clientToken(emulator, client);
    vi.stubEnv("PUID_ACCESS_TOKEN", token);
    await new Puid({ endpoint: "http://127.0.0.1/api", fetch }).quota();
    expect(fetch.requests[0]!.headers.get("authorization")).toBe(`Bearer ${token}`);
    expect(fetch.requests[0]!.headers.has("x-api-key")).toBe(false);

    vi.stubEnv("PUID_API_KEY", emulator.apiKeys[0]);
    await new Puid({ endpoint: "http://127.0.0.1/api", fetch }).quota();
    expect(fetch.requests[1]!.headers.get("x-api-key")).toBe(emulator.apiKeys[0]);
    expect(fetch.requests[1]!.headers.has("authorization")).toBe(false);
  });

  test("an explicit credential of either kind wins over both variables", async () => {
    const { emulator, fetch } = puidServer();
    const token = await clientToken(emulator, client);
    vi.stubEnv("PUID_API_KEY", "puid_live_FromTheEnvironment0000000");
    vi.stubEnv("PUID_ACCESS_TOKEN", "puid_at_FromTheEnvironment000000000000000");
    await new Puid({ accessToken: token, endpoint: "http://127.0.0.1/api", fetch }).quota();
    await new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: "http://127.0.0.1/api", fetch }).quota();
    await createPuidClient({ apiKey: emulator.apiKeys[0]!, endpoint: "http://127.0.0.1/api", fetch }).GET("/v1/quota");
    const sent = fetch.requests.map((request) => [request.headers.get("x-api-key"), request.headers.get("authorization")]);
    expect(sent).toEqual([
      [null, `Bearer ${token}`],
      [emulator.apiKeys[0], null],
      [emulator.apiKeys[0], null],
    ]);
  });

  test("an empty variable counts as unset: no credential is invalid_credentials, naming the variable", () => {
    vi.stubEnv("PUID_API_KEY", "");
    vi.stubEnv("PUID_ACCESS_TOKEN", "");
    expect(thrown(PuidError, () => new Puid())).toMatchObject({ status: null, code: "invalid_credentials", message: expect.stringContaining("PUID_API_KEY") });
  });

  test("PUID_ENDPOINT is where Puid, createPuidClient, the OAuth factories and authorizationUrl go; an explicit endpoint wins", async () => {
    const { emulator, fetch } = puidServer();
    vi.stubEnv("PUID_ENDPOINT", "http://127.0.0.1:9/api");
    const apiKey = emulator.apiKeys[0]!;

    const puid = new Puid({ apiKey, fetch });
    expect(puid.endpoint).toBe("http://127.0.0.1:9/api");
    await puid.quota();
    await createPuidClient({ apiKey, fetch }).GET("/v1/quota");
    const app = await Puid.fromClientCredentials({ clientId: client.clientId, clientSecret: client.clientSecret, fetch });
    expect(app.endpoint).toBe("http://127.0.0.1:9/api");
    const { url } = await Puid.authorizationUrl({ clientId: client.clientId, redirectUri: client.redirectUris[0]! });
    expect(new URL(url).origin + new URL(url).pathname).toBe("http://127.0.0.1:9/oauth/authorize");

    expect(new Puid({ apiKey, endpoint: "https://ids.example.com/api", fetch }).endpoint).toBe("https://ids.example.com/api");
    expect(fetch.requests.map((request) => request.url)).toEqual([
      "http://127.0.0.1:9/api/v1/quota",
      "http://127.0.0.1:9/api/v1/quota",
      "http://127.0.0.1:9/api/oauth/token",
    ]);
  });

  test("without the variables: production", async () => {
    expect(new Puid({ apiKey: "puid_live_0123456789abcdefghijklmn" }).endpoint).toBe("https://puid.dev/api");
    const { url } = await Puid.authorizationUrl({ clientId: "client_x", redirectUri: "https://app.example/cb" });
    expect(url.startsWith("https://puid.dev/oauth/authorize?")).toBe(true);
  });
});

describe("Picket key and base URL from the environment", () => {
  const emulator = createPicketEmulator();
  const secretKey = emulator.secretKeys[0]!;
  const basic = (key: string) => `Basic ${btoa(`${key}:`)}`;

  test("PICKET_SECRET_KEY is the key of new Picket() and createPicketClient() made without one; an explicit key wins", async () => {
    const fetch = recordingFetch((request) => emulator.fetch(request));
    vi.stubEnv("PICKET_SECRET_KEY", secretKey);
    expect(await new Picket(undefined, { baseURL: "http://127.0.0.1/api/v1", fetch }).chains()).not.toHaveLength(0);
    expect((await createPicketClient({ baseURL: "http://127.0.0.1/api/v1", fetch }).GET("/chains")).response.status).toBe(200);
    const publishable = emulator.publishableKeys[0]!;
    await new Picket(publishable, { baseURL: "http://127.0.0.1/api/v1", fetch }).chains();
    expect(fetch.requests.map((request) => request.headers.get("authorization"))).toEqual([basic(secretKey), basic(secretKey), basic(publishable)]);
  });

  test("without the key or the variable: parameter_invalid that names the variable", () => {
    expect(() => new Picket()).toThrow(expect.objectContaining({ code: "parameter_invalid", message: expect.stringContaining("PICKET_SECRET_KEY") }));
    expect(() => new Picket()).toThrow(PicketError);
  });

  test("PICKET_BASE_URL is where new Picket, createPicketClient and Picket.authorizationUrl go; an explicit baseURL wins", async () => {
    const fetch = recordingFetch((request) => emulator.fetch(request));
    vi.stubEnv("PICKET_BASE_URL", "http://127.0.0.1:9/api/v1");
    const picket = new Picket(secretKey, { fetch });
    expect(picket.baseURL).toBe("http://127.0.0.1:9/api/v1");
    expect(await picket.chainInfo("ethereum")).toMatchObject({ chainId: 1 });
    expect((await createPicketClient({ secretKey, fetch }).GET("/chains")).response.status).toBe(200);
    const { url } = await Picket.authorizationUrl({ clientId: emulator.publishableKeys[0]!, redirectUri: "https://app.example/cb" });
    expect(url.startsWith("http://127.0.0.1:9/api/v1/oauth2/authorize?")).toBe(true);
    expect(fetch.requests.map((request) => request.url)).toEqual(["http://127.0.0.1:9/api/v1/chains/ethereum", "http://127.0.0.1:9/api/v1/chains"]);

    expect(new Picket(secretKey, { baseURL: "https://picket.example.com/api/v1" }).baseURL).toBe("https://picket.example.com/api/v1");
    const explicit = await Picket.authorizationUrl({ clientId: "pk_x", redirectUri: "https://app.example/cb", baseURL: "https://picket.example.com/api/v1" });
    expect(explicit.url.startsWith("https://picket.example.com/api/v1/oauth2/authorize?")).toBe(true);
  });

  test("without the variable: production", async () => {
    expect(new Picket(secretKey).baseURL).toBe("https://picketapi.com/api/v1");
    const { url } = await Picket.authorizationUrl({ clientId: "pk_x", redirectUri: "https://app.example/cb" });
    expect(url.startsWith("https://picketapi.com/api/v1/oauth2/authorize?")).toBe(true);
  });
});

describe("PICKET_PUID_LOG", () => {
  const silence = () => {
    const spies = {
      debug: vi.spyOn(console, "debug").mockImplementation(() => undefined),
      info: vi.spyOn(console, "info").mockImplementation(() => undefined),
      warn: vi.spyOn(console, "warn").mockImplementation(() => undefined),
      error: vi.spyOn(console, "error").mockImplementation(() => undefined),
    };
    return spies;
  };

  test("debug turns on the request lines on the console, for clients of both APIs", async () => {
    const console = silence();
    vi.stubEnv("PICKET_PUID_LOG", "debug");
    const puidEmulator = createPuidEmulator();
    await new Puid({ apiKey: puidEmulator.apiKeys[0]!, endpoint: "http://127.0.0.1/api", fetch: puidEmulator.fetch }).quota();
    const picketEmulator = createPicketEmulator();
    await new Picket(picketEmulator.secretKeys[0], { baseURL: "http://127.0.0.1/api/v1", fetch: (r) => picketEmulator.fetch(r) }).chains();
    const lines = console.debug.mock.calls.map(([line]) => String(line));
    expect(lines).toEqual([
      "[picket-puid] → GET http://127.0.0.1/api/v1/quota (attempt 1)",
      expect.stringMatching(/^\[picket-puid\] ← 200 GET http:\/\/127\.0\.0\.1\/api\/v1\/quota in \d+ ms$/),
      "[picket-puid] → GET http://127.0.0.1/api/v1/chains (attempt 1)",
      expect.stringMatching(/^\[picket-puid\] ← 200 GET http:\/\/127\.0\.0\.1\/api\/v1\/chains in \d+ ms$/),
    ]);
  });

  test("the variable is read in any case, and a logLevel given explicitly wins over it", async () => {
    const console = silence();
    const emulator = createPuidEmulator();
    const make = (level?: "warn") =>
      new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: "http://127.0.0.1/api", fetch: emulator.fetch, ...(level ? { logLevel: level } : {}) });
    vi.stubEnv("PICKET_PUID_LOG", "DEBUG");
    await make().quota();
    expect(console.debug).toHaveBeenCalledTimes(2);
    await make("warn").quota();
    expect(console.debug).toHaveBeenCalledTimes(2);
    vi.stubEnv("PICKET_PUID_LOG", "off");
    await make().quota();
    expect(console.debug).toHaveBeenCalledTimes(2);
  });

  test("a level it does not know is invalid_option when the client is made", () => {
    vi.stubEnv("PICKET_PUID_LOG", "verbose");
    expect(() => new Puid({ apiKey: "puid_live_0123456789abcdefghijklmn" })).toThrow(
      expect.objectContaining({ code: "invalid_option", message: expect.stringContaining("PICKET_PUID_LOG") }),
    );
    expect(() => new Picket("sk_0123456789")).toThrow(expect.objectContaining({ code: "invalid_option", message: expect.stringContaining('"verbose"') }));
  });
});
