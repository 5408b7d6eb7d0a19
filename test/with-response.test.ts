// `.withResponse()` on what a facade method returns: `{ data, response }`, where `data` is what
// `await` gives and `response` is the HTTP answer it came from — status, headers, and the body as
// the server sent it, readable again. One request serves both; a failure rejects the same way.
import { describe, expect, test } from "vitest";
import { createPicketEmulator } from "../src/emulator/picket.js";
import { createPuidEmulator } from "../src/emulator/puid.js";
import { Picket, PicketError } from "../src/picket/index.js";
import { Puid, PuidError } from "../src/puid/index.js";
import { json, quota, server } from "./support/fault-server.js";
import { rejection } from "./support/rejection.js";

const endpoint = "http://127.0.0.1/api";
const client = { clientId: "client_response", clientSecret: "secret_0123456789abcdefghijklmnopqrstuv", redirectUris: ["https://app.example/cb"] };

describe("Puid: { data, response }", () => {
  test("quota(): data as await gives it; the response's status, headers and body as the server sent them", async () => {
    const emulator = createPuidEmulator();
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint, fetch: emulator.fetch });
    const { data, response } = await puid.quota().withResponse();
    expect(data).toEqual({ plan: "free", used: 0, limit: 1000, remaining: 1000 });
    expect(data).toEqual(await puid.quota());
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ plan: "free", used: 0, limit: 1000, remaining: 1000 });
  });

  test("ids() and ordinal(): data is the normalised value (string[], bigint), the body the server's own JSON", async () => {
    const emulator = createPuidEmulator();
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint, fetch: emulator.fetch });
    const ids = await puid.ids(3).withResponse();
    expect(ids.data).toHaveLength(3);
    expect(await ids.response.json()).toEqual({ ids: ids.data, count: 3, quota: { used: 3, limit: 1000 } });
    const ordinal = await puid.ordinal(ids.data[0]!).withResponse();
    expect(typeof ordinal.data).toBe("bigint");
    const body = (await ordinal.response.json()) as { puid: string; ordinal: string };
    expect(body).toEqual({ puid: ids.data[0], ordinal: String(ordinal.data) });
  });

  test("one request serves await and withResponse(), however often either is read", async () => {
    const emulator = createPuidEmulator();
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint, fetch: emulator.fetch });
    const call = puid.ids(2);
    const awaited = await call;
    const first = await call.withResponse();
    const second = await call.withResponse();
    expect(first.data).toEqual(awaited);
    expect(second.data).toEqual(awaited);
    expect(await first.response.text()).toBe(await second.response.text());
    expect(emulator.log.filter(({ path }) => path.startsWith("/api/v1/ids"))).toHaveLength(1);
    expect(emulator.usage().used).toBe(2);
  });

  test("after retries, the response is the answer that succeeded", async () => {
    const s = await server((_req, res, _body, attempt) =>
      attempt < 3 ? json(res, 503, { error: "unavailable" }, { "retry-after-ms": "5" }) : json(res, 200, quota, { "x-request-id": "req_3" }),
    );
    const { data, response } = await new Puid({ apiKey: "puid_live_ResponseTestKey012345678", endpoint: s.url }).quota().withResponse();
    expect(data).toEqual(quota);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req_3");
    expect(s.requests).toHaveLength(3);
  });

  test("a client with a token source: the response is the /v1 call's, not the token request's", async () => {
    const emulator = createPuidEmulator({ clients: [client] });
    const puid = await Puid.fromClientCredentials({ clientId: client.clientId, clientSecret: client.clientSecret, endpoint, fetch: emulator.fetch });
    const { data, response } = await puid.quota().withResponse();
    expect(data.plan).toBe("free");
    expect(await response.json()).toEqual({ plan: "free", used: 0, limit: 1000, remaining: 1000 });
  });

  test("a failure rejects withResponse() with the same PuidError that await gives", async () => {
    const emulator = createPuidEmulator();
    const puid = new Puid({ apiKey: "puid_live_NotAKeyOfThisServer0123", endpoint, fetch: emulator.fetch });
    const call = puid.quota();
    const viaResponse = await rejection(PuidError, call.withResponse());
    const viaAwait = await rejection(PuidError, call);
    expect(viaResponse).toBe(viaAwait);
    expect(viaResponse).toMatchObject({ status: 401, code: "unauthorized" });
    // Bad input fails the same way, before any request.
    const invalid = await rejection(PuidError, puid.ids(11).withResponse());
    expect(invalid).toMatchObject({ status: null, code: "invalid_count" });
  });

  test("the promise still behaves as one: then, catch, finally and Promise.all", async () => {
    const emulator = createPuidEmulator();
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint, fetch: emulator.fetch });
    const [quotaNow, ids] = await Promise.all([puid.quota(), puid.ids(1)]);
    expect(quotaNow.limit).toBe(1000);
    expect(ids).toHaveLength(1);
    let finished = false;
    expect(await puid.quota().finally(() => (finished = true))).toMatchObject({ plan: "free" });
    expect(finished).toBe(true);
    expect(await puid.ordinal("").catch((error: unknown) => (error as PuidError).code)).toBe("invalid_puid");
  });
});

describe("Picket: { data, response }", () => {
  const emulator = createPicketEmulator();
  const picket = new Picket(emulator.secretKeys[0], { baseURL: "http://127.0.0.1/api/v1", fetch: (request) => emulator.fetch(request) });

  test("chains(): data unwrapped, the body still wrapped in data, as the API sent it", async () => {
    const { data, response } = await picket.chains().withResponse();
    expect(data.map((chain) => chain.chainSlug)).toContain("ethereum");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data });
  });

  test("nonce(): the answer to the POST", async () => {
    const { data, response } = await picket.nonce({ walletAddress: "0x52F22665A60C12D289185D950Ee8813609166f6B" }).withResponse();
    expect(data).toMatchObject({ nonce: expect.any(String), statement: emulator.statement, format: "simple" });
    expect(await response.json()).toEqual(data);
  });

  test("a failure rejects with the PicketError", async () => {
    const error = await rejection(PicketError, picket.chainInfo("fantom").withResponse());
    expect(error).toMatchObject({ status: 404, code: "resource_not_found" });
  });
});
