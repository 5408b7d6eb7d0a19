// Pacing: one client keeps PUID's one /v1/ids request per second by itself (only /v1/ids is
// paced, and a slow network does not squeeze two requests together), and generate() splits a total
// into requests of at most 10 ids, stopping at the quota with what it got.
import { describe, expect, test } from "vitest";
import { Puid, PuidError } from "../src/puid/index.js";
import { apiKey, ids, json, quota, server, timed } from "./support/fault-server.js";

describe("pacing and bulk ids against a server that enforces one /v1/ids request per second", () => {
  /** Refuses a /v1/ids request that arrives within 1000 ms of the previous accepted one, as PUID does. */
  async function strictServer(opts: { quotaAfter?: number } = {}) {
    let last = -Infinity;
    let served = 0;
    const arrivals: number[] = [];
    const s = await server((req, res) => {
      const now = performance.now();
      arrivals.push(now);
      const n = Number(new URL(req.url!, "http://x").searchParams.get("n") ?? "1");
      if (now - last < 1000) return json(res, 429, { error: "rate_limited", retryAfterMs: Math.ceil(1000 - (now - last)) }, { "retry-after": "1" });
      last = now;
      if (opts.quotaAfter !== undefined && served + n > opts.quotaAfter) return json(res, 402, { error: "quota_exceeded", message: "Free tier is 1000 numbers/day.", upgrade_url: "https://puid.dev/upgrade" });
      json(res, 200, ids(n, served));
      served += n;
    });
    return { s, arrivals };
  }

  test("three concurrent ids() on one client: no 429 even with maxRetries 0, served in order", async () => {
    const { s, arrivals } = await strictServer();
    const puid = new Puid({ apiKey, endpoint: s.url, maxRetries: 0 });
    const results = await Promise.all([puid.ids(1), puid.ids(2), puid.ids(3)]);
    expect(results).toEqual([["id0"], ["id1", "id2"], ["id3", "id4", "id5"]]);
    expect(s.requests.map((r) => r.url)).toEqual(["/v1/ids?n=1", "/v1/ids?n=2", "/v1/ids?n=3"]);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(1000);
    expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(1000);
  });

  test("without pacing the same calls meet the limit (the test server really enforces it)", async () => {
    const { s } = await strictServer();
    const puid = new Puid({ apiKey, endpoint: s.url, maxRetries: 0, requestsPerSecond: false });
    const outcomes = await Promise.allSettled([puid.ids(1), puid.ids(1)]);
    expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(1);
  });

  test("quota() and ordinal() are not paced", async () => {
    const s = await server((req, res) => (req.url === "/v1/quota" ? json(res, 200, quota) : json(res, 200, ids(1))));
    const puid = new Puid({ apiKey, endpoint: s.url });
    await puid.ids(1);
    const { ms } = await timed(() => Promise.all([puid.quota(), puid.quota(), puid.quota()]));
    expect(ms).toBeLessThan(500);
  });

  test("generate(25) makes exactly 3 requests (10, 10, 5) and yields 25 ids", async () => {
    const { s } = await strictServer();
    const seen: string[] = [];
    for await (const id of new Puid({ apiKey, endpoint: s.url, maxRetries: 0 }).generate(25)) seen.push(id);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `id${i}`));
    expect(s.requests.map((r) => r.url)).toEqual(["/v1/ids?n=10", "/v1/ids?n=10", "/v1/ids?n=5"]);
  });

  test("generate() stops with quota_exceeded after yielding what it got", async () => {
    const { s } = await strictServer({ quotaAfter: 20 });
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const id of new Puid({ apiKey, endpoint: s.url }).generate(30)) seen.push(id);
    } catch (error) {
      caught = error;
    }
    expect(seen).toHaveLength(20);
    expect(caught).toBeInstanceOf(PuidError);
    expect(caught).toMatchObject({ status: 402, code: "quota_exceeded", upgradeUrl: "https://puid.dev/upgrade" });
    expect(s.requests).toHaveLength(3);
  });

  test("generate(0) yields nothing and sends nothing; a bad total is invalid_count", async () => {
    const { s } = await strictServer();
    const puid = new Puid({ apiKey, endpoint: s.url });
    const none: string[] = [];
    for await (const id of puid.generate(0)) none.push(id);
    expect(none).toEqual([]);
    for (const total of [-1, 2.5, Number.NaN, "5"]) {
      await expect(puid.generate(total as number).next()).rejects.toMatchObject({ code: "invalid_count", status: null });
    }
    expect(s.requests).toHaveLength(0);
  });
});

describe("pacing holds when the network is slow", () => {
  test("a first request slowed on its way (connection setup) does not squeeze the next one", async () => {
    let last = -Infinity;
    const gaps: number[] = [];
    const s = await server((_req, res) => {
      const now = performance.now();
      gaps.push(now - last);
      if (now - last < 1000) return json(res, 429, { error: "rate_limited", retryAfterMs: 1000 });
      last = now;
      json(res, 200, ids(1));
    });
    let first = true;
    const slowFirst = async (request: Request) => {
      if (first) {
        first = false;
        await new Promise((r) => setTimeout(r, 300)); // 300 ms before the request reaches the server
      }
      return globalThis.fetch(request);
    };
    const puid = new Puid({ apiKey, endpoint: s.url, fetch: slowFirst, maxRetries: 0 });
    await Promise.all([puid.ids(1), puid.ids(1)]);
    expect(gaps[1]).toBeGreaterThanOrEqual(1000);
  });
});
