// Retries: which failures are tried again and which are not (a request that may have spent
// quota, or a POST, is never repeated once the server may have seen it), how many times, and how
// long the client waits between attempts — its own backoff, or the server's hint (Retry-After,
// retry-after-ms, PUID's retryAfterMs) when it gives one.
import { describe, expect, test } from "vitest";
import { Picket, PicketError } from "../src/picket/index.js";
import { Puid, PuidError } from "../src/puid/index.js";
import { apiKey, ids, json, quota, server, timed } from "./support/fault-server.js";
import { rejection } from "./support/rejection.js";
import { closedPort } from "./support/servers.js";

describe("connection failures", () => {
  test("reset before headers: retried, then network_error", async () => {
    const s = await server((req) => req.socket.destroy());
    const puid = new Puid({ apiKey, endpoint: s.url, maxRetries: 2 });
    const { ms, error } = await timed(() => puid.quota());
    expect(error).toBeInstanceOf(PuidError);
    expect(error).toMatchObject({ status: null, code: "network_error" });
    expect(s.requests).toHaveLength(3);
    expect(ms).toBeGreaterThan(0.75 * (500 + 1000) - 50); // two backoffs, at least 75 % of 0.5 s and 1 s
    expect(ms).toBeLessThan(10_000);
  });

  test("reset before headers on /v1/ids is not repeated: the server may have spent quota", async () => {
    const s = await server((req, res, _b, attempt) => (attempt === 1 ? req.socket.destroy() : json(res, 200, ids(2))));
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).ids(2));
    expect(error).toMatchObject({ status: null, code: "network_error" });
    expect(s.requests).toHaveLength(1);
  });

  test("a refused connection on /v1/ids is repeated: the server never saw it", async () => {
    const endpoint = await closedPort();
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint, maxRetries: 2 }).ids(1));
    expect(error).toMatchObject({ status: null, code: "network_error" });
    expect(ms).toBeGreaterThan(0.75 * 1500 - 50); // two backoffs: it was tried three times
    expect(ms).toBeLessThan(10_000);
  });
});

describe("server errors", () => {
  test("500 with an HTML body: a read is retried, then status 500, code null", async () => {
    const s = await server((_req, res) => {
      res.writeHead(500, { "content-type": "text/html" });
      res.end("<h1>Internal Server Error</h1>");
    });
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 500, code: null });
    expect((error as Error).message).toContain("HTTP 500");
    expect(s.requests).toHaveLength(3);
    expect(ms).toBeGreaterThan(0.75 * 1500 - 50);
    expect(ms).toBeLessThan(10_000);
  });

  test("500 on /v1/ids is not repeated: quota may have been spent", async () => {
    const s = await server((_req, res) => json(res, 500, { error: "internal" }));
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).ids(3));
    expect(error).toMatchObject({ status: 500, code: "internal" });
    expect(s.requests).toHaveLength(1);
  });
});

describe("rate limits and server hints", () => {
  test("429 with Retry-After: 1, then 200: waits about a second, succeeds", async () => {
    const s = await server((_req, res, _b, attempt) =>
      attempt === 1 ? json(res, 429, { error: "rate_limited" }, { "retry-after": "1" }) : json(res, 200, ids(1)),
    );
    const { ms, value } = await timed(() => new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false }).ids(1));
    expect(value).toEqual(["id0"]);
    expect(s.requests).toHaveLength(2);
    expect(ms).toBeGreaterThan(950);
    expect(ms).toBeLessThan(3_000);
  });

  test("PUID's body retryAfterMs wins over the rounded-up Retry-After", async () => {
    const s = await server((_req, res, _b, attempt) =>
      attempt === 1 ? json(res, 429, { error: "rate_limited", retryAfterMs: 150 }, { "retry-after": "1" }) : json(res, 200, ids(1)),
    );
    const { ms, value } = await timed(() => new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false }).ids(1));
    expect(value).toEqual(["id0"]);
    expect(ms).toBeGreaterThan(140);
    expect(ms).toBeLessThan(900);
  });

  test("retry-after-ms wins over everything", async () => {
    const s = await server((_req, res, _b, attempt) =>
      attempt === 1 ? json(res, 429, { error: "rate_limited", retryAfterMs: 5000 }, { "retry-after-ms": "100", "retry-after": "5" }) : json(res, 200, quota),
    );
    const { ms } = await timed(() => new Puid({ apiKey, endpoint: s.url }).quota());
    expect(s.requests).toHaveLength(2);
    expect(ms).toBeLessThan(900);
  });

  test("Retry-After as an HTTP date is honoured", async () => {
    const s = await server((_req, res, _b, attempt) =>
      attempt === 1 ? json(res, 503, { error: "maintenance" }, { "retry-after": new Date(Date.now() + 2_000).toUTCString() }) : json(res, 200, quota),
    );
    const { ms, value } = await timed(() => new Puid({ apiKey, endpoint: s.url }).quota());
    expect(value).toEqual(quota);
    expect(s.requests).toHaveLength(2);
    expect(ms).toBeGreaterThan(900); // HTTP dates have whole seconds: between 1 and 2 s from now
    expect(ms).toBeLessThan(4_000);
  });

  test("a hint over 60 s is not waited for: the error says how long", async () => {
    const s = await server((_req, res) => json(res, 429, { error: "rate_limited" }, { "retry-after": "120" }));
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false }).ids(1));
    expect(error).toMatchObject({ status: 429, code: "rate_limited", retryAfterMs: 120_000 });
    expect(s.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1_000);
  });

  test("503 until retries run out: maxRetries + 1 attempts with backoff", async () => {
    const s = await server((_req, res) => json(res, 503, { error: "unavailable", message: "down for maintenance" }));
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url, maxRetries: 3 }).quota());
    expect(error).toMatchObject({ status: 503, code: "unavailable", message: expect.stringMatching(/^down for maintenance \(4 attempts over \d+\.\d s\)$/) });
    expect(s.requests).toHaveLength(4);
    expect(ms).toBeGreaterThan(0.75 * (500 + 1000 + 2000) - 50);
    expect(ms).toBeLessThan(12_000);
  });

  test("per-call maxRetries overrides the client's", async () => {
    const s = await server((_req, res) => json(res, 503, { error: "unavailable" }));
    await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, maxRetries: 5 }).quota({ maxRetries: 0 }));
    expect(s.requests).toHaveLength(1);
  });

  test("each attempt sends a fresh copy of the body (a Picket POST refused with 429)", async () => {
    const s = await server((_req, res, _b, attempt) =>
      attempt === 1
        ? json(res, 429, { msg: "slow down", code: "rate_limited" }, { "retry-after": "0" })
        : json(res, 200, { nonce: "abcdefgh12", statement: "Sign in" }),
    );
    const picket = new Picket("sk_test_x", { baseURL: s.url });
    expect(await picket.nonce({ walletAddress: "0xabc" })).toEqual({ nonce: "abcdefgh12", statement: "Sign in" });
    expect(s.requests.map((r) => r.body)).toEqual([
      JSON.stringify({ chain: "ethereum", walletAddress: "0xabc" }),
      JSON.stringify({ chain: "ethereum", walletAddress: "0xabc" }),
    ]);
  });

  test("a Picket POST is not repeated after a 502", async () => {
    const s = await server((_req, res) => json(res, 502, { msg: "upstream failed" }));
    const error = await rejection(PicketError, new Picket("sk_test_x", { baseURL: s.url }).auth({ walletAddress: "0xabc", signature: "0x1" }));
    expect(error).toMatchObject({ status: 502, code: null, message: "upstream failed" });
    expect(s.requests).toHaveLength(1);
  });
});
