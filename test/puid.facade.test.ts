// The Puid facade against Prism (openapi/puid.yaml) and against local servers that misbehave: what
// it sends, and how it reads every documented answer. Prism answers its examples whatever is sent,
// so what the service does (ids that count up and decode, the quota, the rate limit, tokens that
// expire) is tested against the emulator: test/emulator.puid.facade.test.ts, the pacing and the
// token renewal in test/emulator.puid.pacing.test.ts and test/emulator.puid.token-renewal.test.ts.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { PicketPuidError, Puid, PuidError } from "../src/puid/index.js";
import { responseExample } from "./support/spec.js";
import { recordingFetch } from "./support/recording-fetch.js";
import { rejection as rejectionOf, thrown } from "./support/rejection.js";
import { closedPort, serveHtml, type LocalServer } from "./support/servers.js";
import { expectNoSecret } from "./support/secrets.js";

const endpoint = inject("puidUrl");
const apiKey = "puid_live_S3cr3tK3yAbCdEfGhIjKlMnO";
const clientSecret = "secret_T0pS3cr3tClientSecretValue0001";
const puid = new Puid({ apiKey, endpoint });

const rejection = (call: Promise<unknown> | (() => unknown)) => rejectionOf(PuidError, call);

const example = (path: string, method: string, status: string) => responseExample("puid", path, method, status) as Record<string, any>;

describe("Puid: success against the mock", () => {
  test("ids(3) returns the ids", async () => {
    expect(await puid.ids(3)).toEqual(example("/v1/ids", "get", "200").ids);
  });

  test("ids() asks for one id; id() returns a string", async () => {
    const fetch = recordingFetch();
    const p = new Puid({ apiKey, endpoint, fetch });
    await p.ids();
    expect(new URL(fetch.requests[0]!.url).searchParams.get("n")).toBe("1");
    const id = await p.id();
    expect(id).toBe("64qAN39GjJh5kbi4HROOxh");
    expect(fetch.requests[0]!.headers.get("x-api-key")).toBe(apiKey);
  });

  test("ordinal() returns a bigint", async () => {
    const ordinal = await puid.ordinal("64qAN39GjJh5kbi4HROOxh");
    expect(ordinal).toBe(1n);
    expect(typeof ordinal).toBe("bigint");
  });

  test("ordinal() is exact up to 2^128 − 1", async () => {
    const id = "6YKQzsazwRh7qAYbtk4uy6";
    const ordinal = await puid.ordinal(id, { headers: { Prefer: "example=maxOrdinal" } });
    expect(ordinal).toBe(2n ** 128n - 1n);
  });

  test("quota() returns plan, used, limit, remaining", async () => {
    const quota = await puid.quota();
    expect(quota).toEqual(example("/v1/quota", "get", "200"));
    expect(Object.keys(quota).sort()).toEqual(["limit", "plan", "remaining", "used"]);
  });

  test("quota() keeps nulls for an unlimited plan", async () => {
    const quota = await puid.quota({ headers: { Prefer: "example=unlimited" } });
    expect(quota.limit).toBeNull();
    expect(quota.remaining).toBeNull();
  });

  test("fromClientCredentials() exchanges a JSON body and returns a Bearer client", async () => {
    const fetch = recordingFetch();
    const client = await Puid.fromClientCredentials({ clientId: "client_Q3b8ZkW1nR5tYp2L", clientSecret, endpoint, fetch });
    const token = fetch.requests[0]!;
    expect(token.method).toBe("POST");
    expect(new URL(token.url).pathname).toBe("/oauth/token");
    expect(token.headers.get("content-type")).toBe("application/json");
    expect(token.headers.get("x-api-key")).toBeNull();
    expect(token.headers.get("authorization")).toBeNull();
    expect(JSON.parse(await token.text())).toEqual({
      grant_type: "client_credentials",
      client_id: "client_Q3b8ZkW1nR5tYp2L",
      client_secret: clientSecret,
      scope: "puid:generate",
    });
    await client.quota();
    const accessToken = example("/oauth/token", "post", "200").access_token;
    expect(fetch.requests[1]!.headers.get("authorization")).toBe(`Bearer ${accessToken}`);
    expect(fetch.requests[1]!.headers.get("x-api-key")).toBeNull();
    expectNoSecret(client, [clientSecret, accessToken]);
  });
});

describe("Puid: every documented error status maps to status, code and message", () => {
  const once = new Puid({ apiKey, endpoint, maxRetries: 0 });
  const cases = [
    ["ids", "/v1/ids", "get", ["400", "401", "402", "429"], (h: Record<string, string>) => once.ids(2, { headers: h })],
    ["ordinal", "/v1/ordinal/{puid}", "get", ["400", "401", "404"], (h: Record<string, string>) => once.ordinal("64qAN39GjJh5kbi4HROOxh", { headers: h })],
    ["quota", "/v1/quota", "get", ["401"], (h: Record<string, string>) => once.quota({ headers: h })],
  ] as const;
  for (const [method, path, verb, statuses, call] of cases) {
    for (const status of statuses) {
      test(`${method}() ${status}`, async () => {
        const body = example(path, verb, status);
        const error = await rejection(call({ Prefer: `code=${status}` }));
        expect(error.status).toBe(Number(status));
        expect(error.code).toBe(body.error);
        // The server's own words are kept; where they do not say what to check (a 401 says
        // "Send X-API-Key." to a request that sent one), the message says it, and what was called.
        expect(error.message).toContain(body.message ?? body.error);
        if (status === "401") expect(error.message).toMatch(/^HTTP 401 unauthorized for GET \/v1\/.*check it is current/);
        if (status === "404") expect(error.message).toContain("check the endpoint");
        expect(error.body).toEqual(body);
        expect(error.headers?.get("cache-control")).toBe("no-store");
      });
    }
  }

  test("402 carries upgradeUrl", async () => {
    const error = await rejection(once.ids(1, { headers: { Prefer: "code=402" } }));
    expect(error.code).toBe("quota_exceeded");
    expect(error.upgradeUrl).toBe(example("/v1/ids", "get", "402").upgrade_url);
  });

  test("429 carries retryAfterMs from the body and upgradeUrl", async () => {
    const error = await rejection(once.ids(1, { headers: { Prefer: "code=429" } }));
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfterMs).toBe(example("/v1/ids", "get", "429").retryAfterMs);
    expect(error.upgradeUrl).toMatch(/\/upgrade$/);
  });

  for (const status of ["400", "401"]) {
    test(`fromClientCredentials() refused with ${status}`, async () => {
      const body = example("/oauth/token", "post", status);
      const error = await rejection(
        Puid.fromClientCredentials({ clientId: "client_x", clientSecret, endpoint, maxRetries: 0, headers: { Prefer: `code=${status}` } }),
      );
      expect(error).toMatchObject({ status: Number(status), code: body.error });
      // A bare `invalid_client` says what to check; other OAuth codes are the server's own word.
      expect(error.message).toBe(
        body.error === "invalid_client"
          ? "HTTP 401 invalid_client for POST /oauth/token: the OAuth client was refused: check the client id and secret, and that the client is registered with this server."
          : body.error,
      );
      expectNoSecret(error, [clientSecret]);
    });
  }
});

describe("Puid: bad input is refused before any request", () => {
  const fetch = recordingFetch();
  const counted = new Puid({ apiKey, endpoint, fetch });

  for (const count of [0, 11, 1.5, -3, Number.NaN, Infinity, "3", true, null, 10n]) {
    test(`ids(${String(count)}) → invalid_count`, async () => {
      const error = await rejection(counted.ids(count as number));
      expect(error).toMatchObject({ status: null, code: "invalid_count" });
      expect(fetch.requests).toHaveLength(0);
    });
  }

  for (const id of ["", 42, null, undefined, "a/b", "has space", "x".repeat(23), "64qAN39GjJh5kbi4HROOx-"]) {
    test(`ordinal(${JSON.stringify(id)}) → invalid_puid`, async () => {
      const error = await rejection(counted.ordinal(id as string));
      expect(error).toMatchObject({ status: null, code: "invalid_puid" });
      expect(fetch.requests).toHaveLength(0);
    });
  }

  test("exactly one credential", () => {
    for (const init of [{}, { apiKey, accessToken: "puid_at_x" }, { apiKey: "" }, { accessToken: 5 }, undefined]) {
      expect(thrown(PuidError, () => new Puid({ ...(init as { apiKey: string }), endpoint, fetch }))).toMatchObject({
        status: null,
        code: "invalid_credentials",
      });
    }
    expect(fetch.requests).toHaveLength(0);
  });

  test("fromClientCredentials() without id or secret → invalid_client", async () => {
    for (const init of [{ clientId: "", clientSecret }, { clientId: "client_x" }, {}]) {
      const error = await rejection(Puid.fromClientCredentials({ ...(init as { clientId: string; clientSecret: string }), endpoint, fetch }));
      expect(error).toMatchObject({ status: null, code: "invalid_client" });
    }
    expect(fetch.requests).toHaveLength(0);
  });
});

describe("Puid: transport failures", () => {
  let html502: LocalServer;
  beforeAll(async () => {
    html502 = await serveHtml(502);
  });
  afterAll(() => html502.close());

  test("a closed port → network_error, status null, cause kept", async () => {
    const dead = new Puid({ apiKey, endpoint: await closedPort(), maxRetries: 0 });
    const error = await rejection(dead.quota());
    expect(error).toMatchObject({ status: null, code: "network_error" });
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).not.toBeInstanceOf(PicketPuidError);
  });

  test("a non-JSON 502 → status 502, code null, message naming HTTP 502", async () => {
    const p = new Puid({ apiKey, endpoint: html502.url });
    const error = await rejection(p.ids(1));
    expect(error.status).toBe(502);
    expect(error.code).toBeNull();
    expect(error.message).toContain("HTTP 502");
    expect(error.body).toContain("Bad Gateway");
  });
});

describe("Puid: secrets never show", () => {
  test("in errors of every kind, and in the client itself", async () => {
    const planted = "puid_live_PLANTEDsecretVALUE0123456";
    const client = new Puid({ apiKey: planted, endpoint, maxRetries: 0 });
    const errors = [
      await rejection(client.ids(0)),
      await rejection(client.ids(1, { headers: { Prefer: "code=401" } })),
      await rejection(client.ordinal(planted + "x")),
      await rejection(new Puid({ apiKey: planted, endpoint: await closedPort(), maxRetries: 0 }).quota()),
    ];
    for (const error of errors) expectNoSecret(error, [planted]);
    expectNoSecret(client, [planted]);
  });
});

describe("Puid: OAuth client registration and discovery against the mock", () => {
  test("registerClient() sends client_name and redirect_uris, returns the registration", async () => {
    const fetch = recordingFetch();
    const registration = await Puid.registerClient({ clientName: "My App", redirectUris: ["https://app.example/cb"], endpoint, fetch });
    expect(registration).toEqual(example("/oauth/register", "post", "200"));
    expect(await fetch.requests[0]!.json()).toEqual({ client_name: "My App", redirect_uris: ["https://app.example/cb"] });
    expect(fetch.requests[0]!.headers.get("x-api-key")).toBeNull();
  });

  test("registerClient() refused (400) and without redirect URIs (no request)", async () => {
    const body = example("/oauth/register", "post", "400");
    const refused = await rejection(Puid.registerClient({ redirectUris: ["https://a.example/cb"], endpoint, maxRetries: 0, headers: { Prefer: "code=400" } }));
    expect(refused).toMatchObject({ status: 400, code: body.error, message: body.error });
    const fetch = recordingFetch();
    for (const redirectUris of [[], undefined, [""], "https://a.example/cb"]) {
      const error = await rejection(Puid.registerClient({ redirectUris: redirectUris as string[], endpoint, fetch }));
      expect(error).toMatchObject({ status: null, code: "invalid_redirect_uris" });
    }
    expect(fetch.requests).toHaveLength(0);
  });

  test("authorizationServerMetadata() returns the discovery document", async () => {
    const metadata = await Puid.authorizationServerMetadata({ endpoint });
    expect(metadata).toEqual(example("/.well-known/oauth-authorization-server", "get", "200"));
    expect(metadata.code_challenge_methods_supported).toContain("S256");
  });
});
