// Drop-in: code written the way the official clients show it — picket-node (`@picketapi/picket-node`
// README and Picket's Node docs: a default import, `new Picket(secretKey)`, `nonce`, `auth`,
// `validate`, `authz`, a settable `baseURL`, `err.msg`) and `@puid-dev/client` (its README's
// quickstart, OAuth2 and errors sections) — runs against the emulators on 127.0.0.1 with only the
// package name changed. Where this package behaves differently, a test below says exactly how,
// for the README's migration notes.
//
// In an application the imports read `import Picket from "picket-puid/picket"` and
// `import { Puid, PuidError } from "picket-puid/puid"`; here they name the same entry files in src/
// (test/package.test.ts checks that the package's exports map those names to them).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import Picket, { ChainTypes, type AccessTokenPayload, type ChainInfo, type ErrorResponse, type TokenOwnershipResponse } from "../src/picket/index.js";
import { Puid, PuidError } from "../src/puid/index.js";
import DefaultPuid from "../src/puid/index.js";
import { createPicketEmulator, type PicketEmulator } from "../src/emulator/picket.js";
import { createPuidEmulator, type PuidEmulator } from "../src/emulator/puid.js";
import type { Listening } from "../src/emulator/serve.js";
import { closedPort } from "./support/servers.js";

const NFT = "0xa3305F188cb610900F9E347FaE886dC6507795ec";

beforeEach(() => {
  for (const name of ["PUID_API_KEY", "PUID_ACCESS_TOKEN", "PUID_ENDPOINT", "PICKET_SECRET_KEY", "PICKET_BASE_URL", "PICKET_PUID_LOG"])
    vi.stubEnv(name, undefined);
});
afterEach(() => vi.unstubAllEnvs());

describe("picket-node, as its README and Picket's Node docs show it", () => {
  let emulator: PicketEmulator;
  let server: Listening;
  beforeAll(async () => {
    emulator = createPicketEmulator();
    server = await emulator.listen();
  });
  afterAll(() => server.close());

  /** A wallet that signs as a browser wallet does (EIP-191), with a key made for this test. */
  const wallet = () => privateKeyToAccount(generatePrivateKey());

  test("unchanged: new Picket(key), baseURL set, nonce → the wallet signs → auth → validate → authz → tokenOwnership → chains", async () => {
    const YOUR_SECRET_KEY = emulator.secretKeys[0]!;
    // --- as written for picket-node ---
    const picket = new Picket(YOUR_SECRET_KEY);
    picket.baseURL = server.url;

    const account = wallet();
    const walletAddress = account.address;
    const { nonce, statement, format } = await picket.nonce({ chain: "ethereum", walletAddress });
    // picket-node has no message builder: the app writes the `simple` message Picket documents.
    const message = `${statement}\n\nAddress: ${walletAddress}\nNonce: ${nonce}`;
    const signature = await account.signMessage({ message });
    const { accessToken, user } = await picket.auth({ chain: "ethereum", walletAddress, signature });
    const payload = await picket.validate(accessToken);

    emulator.setBalance("ethereum", walletAddress, "contractAddress", NFT, 2);
    const authz = await picket.authz({ accessToken, requirements: { contractAddress: NFT, minTokenBalance: 1 }, revalidate: true });
    const gated = await picket.validate(authz.accessToken, { contractAddress: NFT });
    const ownership = await picket.tokenOwnership({ chain: "ethereum", walletAddress, contractAddress: NFT, minTokenBalance: 1 });
    const chains = await picket.chains();
    const ethereum = await picket.chainInfo("ethereum");
    // --- end ---

    expect(format).toBe("simple");
    expect(user).toEqual({ chain: "ethereum", walletAddress, displayAddress: walletAddress, tokenBalances: {} });
    expect(payload).toMatchObject({ chain: "ethereum", walletAddress, sub: `ethereum:${walletAddress}`, aud: emulator.projectId });
    expect(payload.exp - payload.iat).toBe(12 * 3600);
    expect(authz.user.tokenBalances).toEqual({ contractAddress: { [NFT]: "2" } });
    expect(gated.tokenBalances).toEqual({ contractAddress: { [NFT]: "2" } });
    expect(ownership).toMatchObject({ allowed: true });
    expect(chains.map((chain) => chain.chainSlug)).toContain("ethereum");
    expect(ethereum).toMatchObject({ chainSlug: "ethereum", chainId: 1, chainType: ChainTypes.ETH });
    // picket-node's ChainTypes is a type as well as its values.
    const chainType: ChainTypes = ChainTypes.ETH;
    expect(chainType).toBe("ethereum");
    expect(emulator.nonces.filter((record) => record.consumedAt !== null)).toHaveLength(1);
  });

  test("unchanged: a refusal is caught and read as err.msg and err.code", async () => {
    const picket = new Picket(emulator.secretKeys[0]);
    picket.baseURL = server.url;
    let msg: string | undefined;
    let code: string | undefined;
    try {
      await picket.chainInfo("fantom");
    } catch (err: any) {
      msg = err.msg;
      code = err.code;
    }
    expect({ msg, code }).toEqual({ msg: "unsupported chain: fantom", code: "resource_not_found" });
  });

  test("differs: a rejection is a PicketError (an Error), not the plain { msg, code } body; code is null, not absent, when the body has none; JSON holds message, not msg", async () => {
    const picket = new Picket(emulator.secretKeys[0]);
    picket.baseURL = server.url;
    const expired = await picket.validate("eyJhbGciOiJFUzI1NiJ9.e30.bm90LWEtdG9rZW4").catch((err: unknown) => err as any);
    // What picket-node rejected with: the body itself.
    const body = expired.body as ErrorResponse;
    expect(Object.keys(body)).toContain("msg");
    // What this package rejects with.
    expect(expired).toBeInstanceOf(Error);
    expect(expired.msg).toBe(body.msg);
    expect(expired.code).toBe(body.code ?? null); // picket-node: undefined when the body has no code
    expect(Object.keys({ ...expired })).not.toContain("msg"); // msg is a getter: a spread or Object.keys does not see it
    // JSON.stringify (e.g. `res.json(err)`) gives the error's fields, the body nested in them.
    expect(Object.keys(JSON.parse(JSON.stringify(expired)))).toEqual(["name", "message", "status", "code", "retryAfterMs", "body"]);
  });

  test("differs: missing arguments are PicketError parameter_invalid before any request, where picket-node threw an Error, rejected with a string, or sent the request", async () => {
    const picket = new Picket(emulator.secretKeys[0]);
    picket.baseURL = server.url;
    const before = emulator.log.length;
    // picket-node: Error("walletAddress parameter is required - see docs for reference.")
    const auth = await picket.auth({ walletAddress: "", signature: "0x00" }).catch((err: any) => err);
    // picket-node: rejects with the string "access token is empty"
    const validate = await picket.validate("").catch((err: any) => err);
    // picket-node: sent { walletAddress: undefined } and passed the server's 400 on
    const nonce = await picket.nonce({} as never).catch((err: any) => err);
    for (const error of [auth, validate, nonce]) expect(error).toMatchObject({ status: null, code: "parameter_invalid" });
    expect(validate.msg).toBe("'accessToken' is required and must be a non-empty string; got \"\".");
    expect(emulator.log.length).toBe(before);
  });

  test("differs: the key — new Picket('') is a PicketError, not Error('Missing secret key'), and new Picket() reads PICKET_SECRET_KEY", () => {
    expect(() => new Picket("")).toThrow(expect.objectContaining({ name: "PicketError", code: "parameter_invalid" }));
    vi.stubEnv("PICKET_SECRET_KEY", emulator.secretKeys[0]);
    expect(() => new Picket()).not.toThrow();
  });

  test("differs: baseURL is checked when set — https, or http only to this machine — and kept without a trailing slash", () => {
    const picket = new Picket(emulator.secretKeys[0]);
    expect(picket.baseURL).toBe("https://picketapi.com/api/v1");
    picket.baseURL = `${server.url}/`;
    expect(picket.baseURL).toBe(server.url);
    expect(() => (picket.baseURL = "http://picket.internal:3000/api/v1")).toThrow(expect.objectContaining({ code: "insecure_endpoint" }));
    expect(picket.baseURL).toBe(server.url); // a refused URL leaves the client as it was
    const internal = new Picket(emulator.secretKeys[0], { allowInsecureHttp: true });
    internal.baseURL = "http://picket.internal:3000/api/v1";
    expect(internal.baseURL).toBe("http://picket.internal:3000/api/v1");
  });

  test("differs in types: the wire names chainId and exp replace picket-node's stale chainID and ext", async () => {
    const picket = new Picket(emulator.secretKeys[0]);
    picket.baseURL = server.url;
    const info: ChainInfo = await picket.chainInfo("ethereum");
    // @ts-expect-error picket-node's ChainInfo said chainID; the API sends chainId
    expect(info.chainID).toBeUndefined();
    expect(info.chainId).toBe(1);
    const claims = {} as AccessTokenPayload;
    // @ts-expect-error picket-node's AccessTokenPayload said ext; the claim is exp
    void claims.ext;
    void claims.exp;
    // tokenOwnership answers tokenBalances; picket-node's 2022 fields are optional now.
    const owned = {} as TokenOwnershipResponse;
    const old: string | undefined = owned.tokenBalance;
    void old;
  });
});

describe("@puid-dev/client, as its README shows it", () => {
  let emulator: PuidEmulator;
  let server: Listening;
  const client = { clientId: "client_dropin", clientSecret: "secret_DropInSecret0123456789abcdef", redirectUris: ["https://app.example/cb"] };
  beforeAll(async () => {
    emulator = createPuidEmulator({ clients: [client] });
    server = await emulator.listen();
  });
  afterAll(() => server.close());

  test("unchanged: the quickstart, with PUID_API_KEY and PUID_ENDPOINT set (the second call waits its turn instead of a 429)", async () => {
    vi.stubEnv("PUID_API_KEY", emulator.apiKeys[0]);
    vi.stubEnv("PUID_ENDPOINT", server.url); // read by this package; @puid-dev/client would call puid.dev
    const started = performance.now();
    // --- as written for @puid-dev/client ---
    const puid = new Puid({ apiKey: process.env.PUID_API_KEY }); // puid_live_…

    const id = await puid.id();
    const ids = await puid.ids(5); // 1–10 per request
    const ordinal = await puid.ordinal(id); // bigint — the counter it encodes
    const quota = await puid.quota(); // { plan, used, limit, remaining }
    // --- end ---
    expect(id).toMatch(/^[0-9A-Za-z]{1,22}$/);
    expect(new Set([id, ...ids]).size).toBe(6);
    expect(ordinal).toBe(emulator.issued.find((issued) => issued.id === id)!.ordinal);
    expect(quota).toEqual({ plan: "free", used: 6, limit: 1000, remaining: 994 });
    // The server allows one /v1/ids request a second: @puid-dev/client's second call would fail
    // with rate_limited; this package waited for its turn.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(emulator.log.filter(({ status }) => status === 429)).toHaveLength(0);
  });

  test("unchanged: a self-hosted endpoint, a bearer token, the default export", async () => {
    // --- as written for @puid-dev/client ---
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: server.url });
    // --- end ---
    expect(await puid.quota()).toMatchObject({ plan: "free" });
    const { access_token } = (await (
      await fetch(`${server.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }),
      })
    ).json()) as { access_token: string };
    const bearer = new Puid({ accessToken: access_token, endpoint: server.url });
    expect(await bearer.quota()).toMatchObject({ plan: "free" });
    expect(DefaultPuid).toBe(Puid);
  });

  test("unchanged: fromClientCredentials with the client's id and secret, then ids(3) — and it works where the official form-encoded request is refused", async () => {
    vi.stubEnv("PUID_CLIENT_ID", client.clientId);
    vi.stubEnv("PUID_CLIENT_SECRET", client.clientSecret);
    vi.stubEnv("PUID_ENDPOINT", server.url);
    // --- as written for @puid-dev/client (the `!`: its types, like these, want strings) ---
    const puid = await Puid.fromClientCredentials({
      clientId: process.env.PUID_CLIENT_ID!,
      clientSecret: process.env.PUID_CLIENT_SECRET!,
      scope: "puid:generate", // default
    });

    await puid.ids(3);
    // --- end ---
    expect(emulator.usage(`client:${client.clientId}`).used).toBe(3);
    // @puid-dev/client sends the token request form-encoded, which the production server (and the
    // emulator, like it) refuses with 403 before it reaches the OAuth code; this package sends JSON.
    const form = await fetch(`${server.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, scope: "puid:generate" }),
    });
    expect(form.status).toBe(403);
  });

  test("unchanged: the errors section — err instanceof PuidError, err.status, err.code", async () => {
    const outcomes: [number | null, string | null][] = [];
    for (const puid of [
      new Puid({ apiKey: "puid_live_NotAKeyOfThisServer01234", endpoint: server.url }),
      new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: await closedPort(), maxRetries: 0 }),
    ]) {
      // --- as written for @puid-dev/client ---
      try {
        await puid.ids(3);
      } catch (err) {
        if (err instanceof PuidError) {
          outcomes.push([err.status, err.code]); // 401 | 402 | 429 | … (null for client-side/network errors)
        }
      }
      // --- end ---
    }
    expect(outcomes).toEqual([
      [401, "unauthorized"],
      [null, "network_error"],
    ]);
  });

  test("differs: a 401's message says which credential was refused and what to check, around the server's words (@puid-dev/client gave those alone)", async () => {
    const error = (await new Puid({ apiKey: "puid_live_NotAKeyOfThisServer01234", endpoint: server.url }).quota().catch((err: unknown) => err)) as PuidError;
    expect(error.message).toMatch(
      /^HTTP 401 unauthorized for GET \/api\/v1\/quota: the API key \(sent as X-API-Key\) was refused: .*\. The server said: Send X-API-Key\.$/,
    );
    expect((error.body as { message: string }).message).toBe("Send X-API-Key."); // what @puid-dev/client's message was
  });

  test("differs: no credential, or both, is code invalid_credentials (null in @puid-dev/client), and PUID_API_KEY / PUID_ACCESS_TOKEN count as given", () => {
    expect(() => new Puid({})).toThrow(expect.objectContaining({ code: "invalid_credentials" }));
    expect(() => new Puid({ apiKey: "puid_live_x1234567", accessToken: "puid_at_x1234567" } as never)).toThrow(
      expect.objectContaining({ code: "invalid_credentials" }),
    );
    vi.stubEnv("PUID_ACCESS_TOKEN", "puid_at_FromTheEnvironment000000000000000");
    expect(() => new Puid({})).not.toThrow();
  });

  test("differs: ordinal() refuses what is not 1–22 base62 characters before sending (invalid_puid), where @puid-dev/client got the server's 400", async () => {
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: server.url });
    const before = emulator.log.length;
    for (const id of ["not an id", "64qAN39GjJh5kbi4HROOxh0"])
      expect(await puid.ordinal(id).catch((err: unknown) => [(err as PuidError).status, (err as PuidError).code])).toEqual([null, "invalid_puid"]);
    expect(emulator.log.length).toBe(before);
  });

  test("differs: a `fetch` option receives one Request, not (url, init)", async () => {
    const seen: unknown[][] = [];
    const puid = new Puid({
      apiKey: emulator.apiKeys[0]!,
      endpoint: server.url,
      fetch: (...args: unknown[]) => {
        seen.push(args);
        return fetch(args[0] as Request);
      },
    });
    await puid.quota();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(1);
    expect(seen[0]![0]).toBeInstanceOf(Request);
    expect((seen[0]![0] as Request).headers.get("x-api-key")).toBe(emulator.apiKeys[0]);
  });

  test("differs: the endpoint must be https, or http to this machine (allowInsecureHttp: true for another host); an option it does not know is refused", () => {
    expect(() => new Puid({ apiKey: "puid_live_x1234567", endpoint: "http://ids.internal:8799/api" })).toThrow(
      expect.objectContaining({ code: "insecure_endpoint" }),
    );
    expect(new Puid({ apiKey: "puid_live_x1234567", endpoint: "http://ids.internal:8799/api", allowInsecureHttp: true }).endpoint).toBe(
      "http://ids.internal:8799/api",
    );
    expect(() => new Puid({ apiKey: "puid_live_x1234567", baseURL: "https://ids.example.com/api" } as never)).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
  });
});
