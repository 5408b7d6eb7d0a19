// Contract tests of the low-level PUID client against Prism, started from openapi/puid.yaml.
import createClient from "openapi-fetch";
import { describe, expect, expectTypeOf, inject, test } from "vitest";
import { createPuidClient, PuidError, type PuidPaths } from "../src/puid/index.js";
import { USER_AGENT } from "../src/core/headers.js";
import { documentedContract } from "./support/contract.js";
import { responseExample } from "./support/spec.js";
import { recordingFetch } from "./support/recording-fetch.js";
import { thrown } from "./support/rejection.js";

const endpoint = inject("puidUrl");
const apiKey = "puid_live_4kT9sQ2mZx7LbR1nVw8cYp3J";
const accessToken = "puid_at_9fJ2kLmN4pQ7rS1tUv3wXy5zA8bC0dEh";

const form = { "Content-Type": "application/x-www-form-urlencoded" } as const;

/** One valid call per operation; the error-status tests reuse them with `Prefer: code=...`. */
const calls = {
  generateIds: (c: ReturnType<typeof createPuidClient>, headers: Record<string, string> = {}) => c.GET("/v1/ids", { params: { query: { n: 3 } }, headers }),
  getOrdinal: (c: ReturnType<typeof createPuidClient>, headers: Record<string, string> = {}) =>
    c.GET("/v1/ordinal/{puid}", { params: { path: { puid: "64qAN39GjJh5kbi4HROOxh" } }, headers }),
  getQuota: (c: ReturnType<typeof createPuidClient>, headers: Record<string, string> = {}) => c.GET("/v1/quota", { headers }),
  requestToken: (c: ReturnType<typeof createPuidClient>, headers: Record<string, string> = {}) =>
    c.POST("/oauth/token", {
      body: {
        grant_type: "client_credentials",
        client_id: "client_Q3b8ZkW1nR5tYp2L",
        client_secret: "secret_Vt6nB1xK9qLm3Zr7Ps2Wd8Hy4Jc0Fe5G",
        scope: "puid:generate",
      },
      headers,
    }),
  registerClient: (c: ReturnType<typeof createPuidClient>, headers: Record<string, string> = {}) =>
    c.POST("/oauth/register", { body: { client_name: "My App", redirect_uris: ["https://app.example/cb"] }, headers }),
  getAuthorizationServerMetadata: (c: ReturnType<typeof createPuidClient>, headers: Record<string, string> = {}) =>
    c.GET("/.well-known/oauth-authorization-server", { headers }),
  getOpenApiJson: (c: ReturnType<typeof createPuidClient>, headers: Record<string, string> = {}) => c.GET("/openapi.json", { headers }),
  getOpenApiYaml: (c: ReturnType<typeof createPuidClient>, headers: Record<string, string> = {}) =>
    c.GET("/openapi.yaml", { headers: { Accept: "application/yaml", ...headers }, parseAs: "text" }),
} satisfies Record<string, unknown>;

const client = createPuidClient({ apiKey, endpoint });
/** No retries: these tests look at how one refused request is reported, not at retrying it. */
const once = createPuidClient({ apiKey, endpoint, maxRetries: 0 });

// API errors carry `error`; the framework's own answers (the production CSRF 403, the undocumented
// 500s) carry only `message`.
documentedContract("puid", calls, once, (status) =>
  status === "403" || status === "default" ? { message: expect.any(String) } : { error: expect.any(String) },
);

describe("success through the typed low-level client", () => {
  test("GET /v1/ids → ids, count and quota, no-store", async () => {
    const { data, error, response } = await calls.generateIds(client);
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expectTypeOf(data!.ids).toEqualTypeOf<string[]>();
    expectTypeOf(data!.quota.limit).toEqualTypeOf<number | null>();
    expect(data).toEqual(responseExample("puid", "/v1/ids", "get", "200"));
    expect(data!.ids).toEqual(["64qAN39GjJh5kbi4HROOxh", "7U17bzw0MO3mzwuFKO7cc0", "30VPBF31VZWWlzaiUnNPQ6"]);
    expect(data!.count).toBe(data!.ids.length);
    for (const id of data!.ids) expect(id).toMatch(/^[0-9A-Za-z]{1,22}$/);
  });

  test("GET /v1/ordinal/{puid} → the ordinal as a decimal string", async () => {
    const { data, error } = await calls.getOrdinal(client);
    expect(error).toBeUndefined();
    expectTypeOf(data!.ordinal).toEqualTypeOf<string>();
    expect(data).toEqual({ puid: "64qAN39GjJh5kbi4HROOxh", ordinal: "1" });
  });

  test("GET /v1/quota → plan, used, limit, remaining", async () => {
    const { data, error } = await calls.getQuota(client);
    expect(error).toBeUndefined();
    expectTypeOf(data!.remaining).toEqualTypeOf<number | null>();
    expect(data).toEqual(responseExample("puid", "/v1/quota", "get", "200"));
    expect(Object.keys(data!).sort()).toEqual(["limit", "plan", "remaining", "used"]);
  });

  test("POST /oauth/token with a JSON body → a bearer token", async () => {
    const fetch = recordingFetch();
    const anonymous = createPuidClient({ apiKey, endpoint, fetch });
    const { data, error } = await calls.requestToken(anonymous);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("puid", "/oauth/token", "post", "200"));
    expect(data!.token_type).toBe("Bearer");
    expect(data!.access_token).toMatch(/^puid_at_[0-9A-Za-z]{32}$/);
    const sent = fetch.requests[0]!;
    expect(sent.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(await sent.text())).toEqual({
      grant_type: "client_credentials",
      client_id: "client_Q3b8ZkW1nR5tYp2L",
      client_secret: "secret_Vt6nB1xK9qLm3Zr7Ps2Wd8Hy4Jc0Fe5G",
      scope: "puid:generate",
    });
  });

  test("POST /oauth/token also takes a form body (valid against the document; refused in production without Origin)", async () => {
    const { data, error } = await client.POST("/oauth/token", {
      body: { grant_type: "refresh_token", refresh_token: "puid_rt_Xy7Wq2Lk9Mn4Bv6Cz1Ds8Fg3Hj5Kp0Rt" },
      headers: form,
    });
    expect(error).toBeUndefined();
    expect(data!.access_token).toMatch(/^puid_at_/);
  });

  test("the production CSRF refusal is described both ways: JSON for Accept: application/json, text otherwise", async () => {
    const json = await calls.requestToken(once, { Prefer: "code=403" });
    expect(json.error).toEqual({ message: "Cross-site POST form submissions are forbidden" });
    const text = await once.POST("/oauth/token", {
      body: { grant_type: "refresh_token", refresh_token: "puid_rt_Xy7Wq2Lk9Mn4Bv6Cz1Ds8Fg3Hj5Kp0Rt" },
      headers: { Prefer: "code=403", Accept: "text/plain" },
      parseAs: "text",
    });
    expect(text.response.status).toBe(403);
    expect(text.response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(text.error).toBe("Cross-site POST form submissions are forbidden");
  });

  test("GET /openapi.json and /openapi.yaml → the server's own description, without credentials", async () => {
    const bare = createClient<PuidPaths>({ baseUrl: endpoint });
    const json = await bare.GET("/openapi.json");
    expect(json.error).toBeUndefined();
    expect(json.data).toEqual(responseExample("puid", "/openapi.json", "get", "200"));
    const yaml = await calls.getOpenApiYaml(client);
    expect(yaml.response.headers.get("content-type")).toMatch(/^application\/yaml/);
    expect(yaml.data).toMatch(/^openapi: 3\.1\.0\n/);
  });

  test("POST /oauth/register → client id and secret", async () => {
    const { data, error } = await calls.registerClient(client);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("puid", "/oauth/register", "post", "200"));
    expect(data!.client_id).toMatch(/^client_[0-9A-Za-z]{16}$/);
  });

  test("GET /.well-known/oauth-authorization-server → metadata", async () => {
    const { data, error } = await calls.getAuthorizationServerMetadata(client);
    expect(error).toBeUndefined();
    expect(data).toEqual(responseExample("puid", "/.well-known/oauth-authorization-server", "get", "200"));
    expect(data!.token_endpoint).toBe("https://puid.dev/api/oauth/token");
  });
});

describe("documented errors in detail", () => {
  test("429 carries Retry-After and the body's retryAfterMs", async () => {
    const { error, response } = await calls.generateIds(once, { Prefer: "code=429" });
    expect(response.headers.get("retry-after")).toBe("1");
    expect(error).toMatchObject({ error: "rate_limited", retryAfterMs: expect.any(Number) });
  });
});

describe("requests the spec refuses", () => {
  test("no credentials → 401 unauthorized in `error`", async () => {
    const bare = createClient<PuidPaths>({ baseUrl: endpoint });
    for (const path of ["/v1/ids", "/v1/quota"] as const) {
      const { data, error, response } = await bare.GET(path);
      expect(data).toBeUndefined();
      expect(response.status).toBe(401);
      expect(error).toEqual(responseExample("puid", path, "get", "401"));
    }
  });

  test("n=11 → the document's 400", async () => {
    const { error, response } = await client.GET("/v1/ids", { params: { query: { n: 11 } } });
    expect(response.status).toBe(400);
    expect(error).toEqual(responseExample("puid", "/v1/ids", "get", "400"));
  });

  test("an id with a character outside base62 → 400", async () => {
    const { error, response } = await client.GET("/v1/ordinal/{puid}", { params: { path: { puid: "not-base62!" } } });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ error: "bad_request" });
  });

  test("an unknown grant_type → the document's 400", async () => {
    const { error, response } = await client.POST("/oauth/token", {
      // @ts-expect-error -- the password grant is not in the document
      body: { grant_type: "password", username: "a", password: "b" },
      headers: form,
    });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ error: expect.any(String) });
  });
});

describe("what the client puts on the wire", () => {
  test("X-API-Key, Accept and User-Agent; a trailing slash on the endpoint is harmless", async () => {
    const fetch = recordingFetch();
    const c = createPuidClient({ apiKey, endpoint: `${endpoint}//`, fetch });
    const { error } = await c.GET("/v1/quota");
    expect(error).toBeUndefined();
    const sent = fetch.requests[0]!;
    expect(sent.url).toBe(`${endpoint}/v1/quota`);
    expect(sent.headers.get("x-api-key")).toBe(apiKey);
    expect(sent.headers.get("authorization")).toBeNull();
    expect(sent.headers.get("accept")).toBe("application/json");
    expect(sent.headers.get("user-agent")).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^picket-puid\/\d+\.\d+\.\d+/);
  });

  test("an access token goes as Authorization: Bearer", async () => {
    const fetch = recordingFetch();
    const c = createPuidClient({ accessToken, endpoint, fetch });
    const { data } = await c.GET("/v1/quota");
    expect(data?.plan).toEqual(expect.any(String));
    expect(fetch.requests[0]!.headers.get("authorization")).toBe(`Bearer ${accessToken}`);
    expect(fetch.requests[0]!.headers.get("x-api-key")).toBeNull();
  });

  test("the id is percent-encoded in the path", async () => {
    const fetch = recordingFetch();
    const c = createPuidClient({ apiKey, endpoint, fetch });
    await c.GET("/v1/ordinal/{puid}", { params: { path: { puid: "a/b c" } } });
    expect(fetch.requests[0]!.url).toBe(`${endpoint}/v1/ordinal/a%2Fb%20c`);
  });

  test("exactly one credential, or a PuidError and no request", () => {
    const fetch = recordingFetch();
    for (const bad of [{}, { apiKey, accessToken }, { apiKey: "" }, { accessToken: "  " }, { apiKey: 42 }]) {
      expect(thrown(PuidError, () => createPuidClient({ ...(bad as { apiKey: string }), endpoint, fetch }))).toMatchObject({
        status: null,
        code: "invalid_credentials",
      });
    }
    expect(fetch.requests).toHaveLength(0);
  });
});
