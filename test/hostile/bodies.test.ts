// Hostile servers, item 1: bodies that never end, bombs that inflate, and huge error bodies. Every
// body (after decompression) is read under `maxResponseBytes`; past it the read stops, the
// connection is cancelled, and the call fails with `response_too_large`, never retried.
import zlib from "node:zlib";
import { describe, expect, test } from "vitest";
import { Picket, PicketError } from "../../src/picket/index.js";
import { createPuidClient, Puid, PuidError } from "../../src/puid/index.js";
import { rejection } from "../support/rejection.js";
import { apiKey, flood, hostile, secretKey } from "./harness.js";

const MiB = 1024 * 1024;
/** A JSON-looking body that goes on and on: `{"plan":"` then the same bytes forever. */
const endless = Buffer.alloc(64 * 1024, "a");

/** The resident memory a call adds, measured around it after a collection when one is exposed. */
async function rssGrowth(run: () => Promise<unknown>): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    await run();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage.rss()) - before;
}

describe("bodies are read under maxResponseBytes", () => {
  test("an endless body: refused with response_too_large, memory bounded, the connection cancelled, no retry", async () => {
    // The server stops by itself after 256 MiB, so the test ends even without the cap.
    const s = await hostile((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"plan":"');
      flood(res, endless, 256 * MiB);
    });
    let error: unknown;
    const grown = await rssGrowth(async () => {
      error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    });
    expect(error).toMatchObject({ status: 200, code: "response_too_large" });
    expect((error as PuidError).message).toContain(String(4 * MiB));
    expect(grown).toBeLessThan(64 * MiB);
    expect(s.requests).toHaveLength(1);
    await expect.poll(() => s.closedEarly()).toBe(1);
  });

  test("a gzip bomb: the cap counts the inflated bytes", async () => {
    const s = await hostile((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      const gzip = zlib.createGzip();
      gzip.pipe(res);
      gzip.write('{"plan":"');
      let written = 0;
      const zeros = Buffer.alloc(MiB, "0");
      const more = () => {
        // Up to 2 GiB inflated from a few MiB on the wire; stops when the client hangs up.
        while (written < 2048 && !res.destroyed) {
          written++;
          if (!gzip.write(zeros)) return void gzip.once("drain", more);
        }
        gzip.end();
      };
      res.on("close", () => gzip.destroy());
      more();
    });
    let error: unknown;
    const grown = await rssGrowth(async () => {
      error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    });
    expect(error).toMatchObject({ code: "response_too_large" });
    expect(grown).toBeLessThan(64 * MiB);
  });

  test("a huge error body (a 503 that would be retried) is read once, under the cap, and not retried", async () => {
    const s = await hostile((_req, res) => {
      res.writeHead(503, { "content-type": "text/html", "content-length": String(540 * MiB) });
      flood(res, endless, 540 * MiB);
    });
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 503, code: "response_too_large" });
    expect(s.requests).toHaveLength(1);
  });

  test("a Content-Length over the cap is refused before the body is read", async () => {
    const s = await hostile((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(64 * MiB) });
      flood(res, endless, 64 * MiB);
    });
    const error = await rejection(PicketError, new Picket(secretKey, { baseURL: s.url, maxResponseBytes: 1024 }).chains());
    expect(error).toMatchObject({ status: 200, code: "response_too_large" });
    await expect.poll(() => s.closedEarly()).toBe(1);
  });

  test("the cap is set per client and per call; an answer under it is read whole", async () => {
    const big = JSON.stringify({ plan: "free", used: 1, limit: 1000, remaining: 999, pad: "x".repeat(5000) });
    const s = await hostile((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(big);
    });
    const puid = new Puid({ apiKey, endpoint: s.url, maxResponseBytes: 1000 });
    expect(await rejection(PuidError, puid.quota())).toMatchObject({ code: "response_too_large" });
    expect(await puid.quota({ maxResponseBytes: 10_000 })).toMatchObject({ plan: "free" });
    for (const bad of [0, -1, 1.5, Number.NaN, "4MB"]) {
      expect(await rejection(PuidError, puid.quota({ maxResponseBytes: bad as number }))).toMatchObject({ code: "invalid_option", status: null });
    }
  });

  test("the typed client obeys the same cap", async () => {
    const s = await hostile((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"plan":"');
      flood(res, endless, 256 * MiB);
    });
    const client = createPuidClient({ apiKey, endpoint: s.url, maxResponseBytes: 64 * 1024 });
    expect(await rejection(PuidError, client.GET("/v1/quota"))).toMatchObject({ code: "response_too_large" });
  });
});
