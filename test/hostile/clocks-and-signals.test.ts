// Hostile conditions, items 4, 5 and 16: a client-wide signal holds no listener beyond the calls
// in flight; pacing runs on a monotonic clock and inside the call's timeout; no timer overflows.
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, test, vi } from "vitest";
import { Picket } from "../../src/picket/index.js";
import { Puid, PuidError } from "../../src/puid/index.js";
import { rejection } from "../support/rejection.js";
import { apiKey, hostile, json, quota, secretKey } from "./harness.js";

const ids = (n: number) => ({ ids: Array.from({ length: n }, (_, i) => `id${i}`), count: n, quota: { used: n, limit: 1000 } });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a client-wide signal", () => {
  test("thousands of clients on one signal leave no listener on it, and no leak warning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const s = await hostile((_req, res) => json(res, 200, quota));
      const clients = Array.from({ length: 5_000 }, (_, i) =>
        i % 2 ? new Puid({ apiKey, endpoint: s.url, signal: controller.signal }) : new Picket(secretKey, { baseURL: s.url, signal: controller.signal }),
      );
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      const puid = clients[1] as Puid;
      const inFlight = Promise.all([puid.quota(), puid.quota(), puid.quota()]);
      expect(getEventListeners(controller.signal, "abort").length).toBeLessThanOrEqual(1);
      await inFlight;
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  test("it still ends a call in flight, and a client made after it aborted fails at once", async () => {
    const controller = new AbortController();
    const s = await hostile(() => undefined); // never answers
    const puid = new Puid({ apiKey, endpoint: s.url, signal: controller.signal });
    const call = rejection(PuidError, puid.quota());
    await expect.poll(() => s.requests.length).toBe(1);
    controller.abort(new Error("shutting down"));
    expect(await call).toMatchObject({ code: "aborted" });
    expect(await rejection(PuidError, puid.quota())).toMatchObject({ code: "aborted" });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

describe("pacing", () => {
  test("a wall clock stepped back an hour does not make the next ids() wait an hour", async () => {
    // Only the wall clock is faked, from before the client exists; timers and performance.now() run as usual.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      const s = await hostile((_req, res) => json(res, 200, ids(1)));
      const puid = new Puid({ apiKey, endpoint: s.url });
      await puid.ids(1);
      vi.setSystemTime(Date.now() - 3_600_000);
      const start = performance.now();
      await puid.ids(1, { timeout: 5_000 });
      expect(performance.now() - start).toBeLessThan(2_500);
    } finally {
      vi.useRealTimers();
    }
  });

  test("the call's timeout bounds its wait for a pacing turn", async () => {
    const s = await hostile((_req, res) => json(res, 200, ids(1)));
    const puid = new Puid({ apiKey, endpoint: s.url, maxRetries: 0 });
    const start = performance.now();
    const results = await Promise.allSettled([puid.ids(1), puid.ids(1, { timeout: 400 }), puid.ids(1, { timeout: 400 })]);
    const elapsed = performance.now() - start;
    expect(results[0]).toMatchObject({ status: "fulfilled" });
    for (const late of results.slice(1)) expect(late).toMatchObject({ status: "rejected", reason: { code: "timeout", status: null } });
    expect(elapsed).toBeLessThan(1_500);
    expect(s.requests).toHaveLength(1);
  });

  test("a rate no timer can honour is refused; one that can is accepted", () => {
    for (const requestsPerSecond of [1e-7, 4e-7, Number.MIN_VALUE]) {
      expect(() => new Puid({ apiKey, requestsPerSecond })).toThrow(expect.objectContaining({ code: "invalid_option", status: null }));
    }
    expect(() => new Puid({ apiKey, requestsPerSecond: 1e-6 })).not.toThrow();
  });
});
