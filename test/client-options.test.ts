// Client options: what a client is made and called with — an API key, an endpoint, per-call and
// client-wide options — is checked before any request: a key that cannot travel in a header, an
// endpoint that is neither https nor loopback, a value out of range are refused with the API's
// error; null options are taken as none.
import { describe, expect, test } from "vitest";
import { Picket, PicketError } from "../src/picket/index.js";
import { Puid, PuidError } from "../src/puid/index.js";
import { apiKey, json, quota, server } from "./support/fault-server.js";
import { rejection, thrown } from "./support/rejection.js";

describe("credentials, endpoints and options are checked before any request", () => {
  test("a key that cannot travel in a header is refused before any request, without echoing it", async () => {
    for (const apiKey of ["puid_live_SECRET\nX", "puid_live_€uro", "puid live"]) {
      const caught = thrown(PuidError, () => new Puid({ apiKey }));
      expect(caught).toMatchObject({ status: null, code: "invalid_credentials" });
      expect(caught.message).not.toContain("SECRET");
    }
  });

  test("plain http to another host is refused unless allowed", async () => {
    for (const endpoint of ["http://puid.example.com/api", "http://10.1.2.3:8080/api"]) {
      expect(() => new Puid({ apiKey, endpoint })).toThrow(expect.objectContaining({ code: "insecure_endpoint", status: null }));
      expect(() => new Puid({ apiKey, endpoint, allowInsecureHttp: true })).not.toThrow();
    }
    expect(() => new Picket("sk_x", { baseURL: "http://picket.example.com/api/v1" })).toThrow(PicketError);
    for (const endpoint of ["http://localhost:4010", "http://127.0.0.1:9", "http://[::1]:80/api"]) {
      expect(() => new Puid({ apiKey, endpoint })).not.toThrow();
    }
    for (const endpoint of ["ftp://puid.dev/api", "not a url", "https://user:pw@puid.dev/api"]) {
      expect(() => new Puid({ apiKey, endpoint })).toThrow(expect.objectContaining({ code: "invalid_endpoint" }));
    }
  });

  test("bad option values are invalid_option before any request", async () => {
    const s = await server((_req, res) => json(res, 200, quota));
    const puid = new Puid({ apiKey, endpoint: s.url });
    for (const options of [{ timeout: 0 }, { timeout: -1 }, { timeout: "5" }, { maxRetries: 1.5 }, { maxRetries: -1 }, { signal: {} }, { fetch: 1 }]) {
      expect(await rejection(PuidError, puid.quota(options as never))).toMatchObject({ status: null, code: "invalid_option" });
    }
    expect(() => new Puid({ apiKey, endpoint: s.url, requestsPerSecond: 0 })).toThrow(expect.objectContaining({ code: "invalid_option" }));
    expect(s.requests).toHaveLength(0);
  });

  test("null options are the same as none", async () => {
    const s = await server((req, res) => (req.url === "/chains" ? json(res, 200, { data: [] }) : json(res, 200, quota)));
    expect(await new Puid({ apiKey, endpoint: s.url }).quota(null as never)).toEqual(quota);
    expect(await new Picket("sk_x", { baseURL: s.url }).chains(null as never)).toEqual([]);
    expect(() => new Picket("sk_x", null as never)).not.toThrow();
    expect(() => new Puid({ apiKey, endpoint: 5 as never })).toThrow(expect.objectContaining({ code: "invalid_endpoint" }));
  });
});
