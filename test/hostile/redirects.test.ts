// Hostile servers, items 2, 3 and 11: where a request may go. A redirect whose next hop cannot be
// reached does not make a spending call run twice; every URL a request goes to passes the same
// https/loopback check; only http(s) redirects are followed.
import { describe, expect, test } from "vitest";
import { Picket, PicketError } from "../../src/picket/index.js";
import { createPicketClient } from "../../src/picket/index.js";
import { createPuidClient, Puid, PuidError } from "../../src/puid/index.js";
import { closedPort } from "../support/servers.js";
import { rejection } from "../support/rejection.js";
import { recordingFetch } from "../support/recording-fetch.js";
import { apiKey, hostile, json, quota, secretKey } from "./harness.js";

describe("a redirect to a host that cannot be reached", () => {
  test("ids(10) reaches the server once: after a hop was answered, a failure may have been served", async () => {
    const dead = await closedPort();
    const s = await hostile((req, res) => {
      res.writeHead(307, { location: `${dead}${req.url}` });
      res.end();
    });
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false }).ids(10));
    expect(error).toMatchObject({ status: null, code: "network_error" });
    expect(s.requests).toHaveLength(1);
  });

  test("a Picket POST likewise, also when the redirect turns it into a GET (303)", async () => {
    const dead = await closedPort();
    const s = await hostile((req, res) => {
      res.writeHead(303, { location: `${dead}${req.url}` });
      res.end();
    });
    await rejection(PicketError, new Picket(secretKey, { baseURL: s.url }).nonce({ walletAddress: "0xabc" }));
    expect(s.requests).toHaveLength(1);
  });

  test("a read is still repeated: it is safe to", async () => {
    const dead = await closedPort();
    const s = await hostile((req, res) => {
      res.writeHead(302, { location: `${dead}${req.url}` });
      res.end();
    });
    await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, maxRetries: 1 }).quota());
    expect(s.requests).toHaveLength(2);
  });
});

describe("every URL a request goes to passes the endpoint check", () => {
  test("the typed client's per-call baseUrl cannot send the key over plain http to another host", async () => {
    const fetch = recordingFetch(async () => new Response("{}", { headers: { "content-type": "application/json" } }));
    const puid = createPuidClient({ apiKey, endpoint: "https://puid.dev/api", fetch });
    const error = await rejection(PuidError, puid.GET("/v1/quota", { baseUrl: "http://puid.example.com/api" }));
    expect(error).toMatchObject({ status: null, code: "insecure_endpoint" });
    const picket = createPicketClient({ secretKey, fetch });
    expect(await rejection(PicketError, picket.GET("/chains", { baseUrl: "http://10.1.2.3/api/v1" }))).toMatchObject({ code: "insecure_endpoint" });
    expect(fetch.requests).toHaveLength(0);
    // Loopback stays allowed, as for the client's own endpoint.
    const local = await hostile((_req, res) => json(res, 200, quota));
    expect((await puid.GET("/v1/quota", { baseUrl: local.url, fetch: (r: Request) => globalThis.fetch(r) })).response.status).toBe(200);
  });

  test("a redirect to plain http on another host is refused, not followed", async () => {
    const s = await hostile((_req, res) => {
      res.writeHead(302, { location: "http://203.0.113.7/v1/quota" });
      res.end();
    });
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, maxRetries: 0 }).quota());
    expect(error).toMatchObject({ status: null, code: "redirect_refused" });
  });
});

describe("only http(s) redirects are followed", () => {
  for (const location of [
    'data:application/json,{"plan":"forged","used":0,"limit":null,"remaining":null}',
    "ftp://puid.dev/quota",
    "javascript:alert(1)",
    "file:///etc/passwd",
  ]) {
    test(`a redirect to ${location.split(":")[0]}: is redirect_refused, and no forged body comes back`, async () => {
      const s = await hostile((_req, res) => {
        res.writeHead(302, { location });
        res.end();
      });
      const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, maxRetries: 0 }).quota());
      expect(error).toMatchObject({ status: null, code: "redirect_refused" });
      expect(s.requests).toHaveLength(1);
    });
  }
});
