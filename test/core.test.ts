// The API-agnostic pieces of src/core on their own: retry timing, the pacer, the token source,
// and the signal helpers.
import { getEventListeners } from "node:events";
import { describe, expect, test } from "vitest";
import { abortable, linkSignals, sleep } from "../src/core/abort.js";
import { classify, QueueTimeout } from "../src/core/failure.js";
import { createPacer } from "../src/core/pacer.js";
import { backoffMs, retryAfterMs } from "../src/core/retry.js";
import { TokenSource, type Token } from "../src/core/token-source.js";

describe("retry timing", () => {
  test("backoff doubles from 0.5 s to a cap of 8 s, shortened by at most 25 % of jitter", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(0, () => 1)).toBe(375);
    for (let i = 0; i < 100; i++) {
      const ms = backoffMs(2);
      expect(ms).toBeGreaterThanOrEqual(1500);
      expect(ms).toBeLessThanOrEqual(2000);
    }
  });

  test("hints: retry-after-ms, then the body's hint, then Retry-After seconds or date", () => {
    const h = (init: Record<string, string>) => new Headers(init);
    expect(retryAfterMs(h({ "retry-after-ms": "250.5", "retry-after": "3" }), 900)).toBe(250.5);
    expect(retryAfterMs(h({ "retry-after": "3" }), 900)).toBe(900);
    expect(retryAfterMs(h({ "retry-after": "3" }))).toBe(3000);
    expect(retryAfterMs(h({ "retry-after": "Wed, 21 Oct 2026 07:28:10 GMT" }), null, Date.parse("Wed, 21 Oct 2026 07:28:00 GMT"))).toBe(10_000);
    expect(retryAfterMs(h({ "retry-after": "Wed, 21 Oct 2026 07:28:00 GMT" }), null, Date.parse("Wed, 21 Oct 2026 07:29:00 GMT"))).toBe(0);
    expect(retryAfterMs(h({ "retry-after": "soon" }))).toBeNull();
    expect(retryAfterMs(h({ "retry-after-ms": "-5", "retry-after": "1" }))).toBe(1000);
    expect(retryAfterMs(h({}), -1)).toBeNull();
  });
});

describe("pacer", () => {
  test("each start waits for the previous answer plus the interval, in order", async () => {
    const pacer = createPacer(10, 0); // 100 ms
    const starts: number[] = [];
    const answers: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      [0, 1, 2].map(async (i) => {
        const answered = await pacer.acquire();
        starts[i] = performance.now() - t0;
        await sleep(i === 0 ? 150 : 10); // the first answer is slow to arrive
        answers[i] = performance.now() - t0;
        answered();
      }),
    );
    expect(starts[0]).toBeLessThan(50);
    expect(starts[1]! - answers[0]!).toBeGreaterThanOrEqual(95);
    expect(starts[2]! - answers[1]!).toBeGreaterThanOrEqual(95);
  });

  test("a caller that gives up while queued hands its turn on", async () => {
    const pacer = createPacer(10, 0);
    (await pacer.acquire())(); // one request just answered
    const controllers = Array.from({ length: 5 }, () => new AbortController());
    const queued = controllers.map((c) => pacer.acquire(c.signal).then((done) => done()));
    controllers.forEach((c) => c.abort(new Error("gave up")));
    for (const q of queued) await expect(q).rejects.toThrow("gave up");
    const t0 = performance.now();
    (await pacer.acquire())();
    expect(performance.now() - t0).toBeLessThan(150); // one interval at most, not six
  });
});

describe("pacer: a turn released as never sent", () => {
  test("the next turn waits only for the request before it, not an interval from the release", async () => {
    let clock = 0;
    const pacer = createPacer(1, 0, () => clock); // 1000 ms
    (await pacer.acquire())(); // answered at 0
    clock = 1000;
    const unused = await pacer.acquire(); // due at 1000: taken, then not sent
    clock = 1200;
    unused(false);
    const t0 = performance.now();
    (await pacer.acquire())(); // due since 1000: at once
    expect(performance.now() - t0).toBeLessThan(50);
    // Released as sent, the same turn holds the next one back a whole interval.
    const sent = createPacer(1, 0, () => clock);
    (await sent.acquire())(); // answered at 1200
    const next = sent.acquire();
    clock = 1250;
    const started = performance.now();
    await next;
    expect(performance.now() - started).toBeGreaterThan(900);
  });
});

describe("shared pace refused: the message names the time that was left", () => {
  const errors = { make: (init: { message: string; code: string }) => Object.assign(new Error(init.message), { code: init.code }) } as never;
  test("when the call had waited its own turn first, the message says what was left of the timeout", () => {
    const error = classify(errors, new QueueTimeout(1019, 367), undefined, 1500, "GET /v1/ids") as unknown as Error & { code: string };
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("would come in 1019 ms, later than the 367 ms left of its timeout (1500 ms) allows");
    const whole = classify(errors, new QueueTimeout(2000, 1500), undefined, 1500, "GET /v1/ids") as unknown as Error;
    expect(whole.message).toContain("would come in 2000 ms, later than its timeout (1500 ms) allows");
  });
});

describe("token source", () => {
  function source(ttlMs: number | null, fail?: () => boolean) {
    let minted = 0;
    const fetches: (Token | null)[] = [];
    const tokens = new TokenSource(
      async (current) => {
        fetches.push(current);
        await sleep(20);
        if (fail?.()) throw new Error("token endpoint down");
        minted++;
        return { accessToken: `t${minted}`, expiresAt: ttlMs === null ? null : Date.now() + ttlMs, refreshToken: `r${minted}` };
      },
      null,
      { refreshAheadMs: 0 },
    );
    return { tokens, fetches };
  }

  test("renews every time a token expires, not only the first", async () => {
    const { tokens, fetches } = source(60);
    expect(await tokens.accessToken()).toEqual({ token: "t1", fresh: true });
    expect(await tokens.accessToken()).toEqual({ token: "t1", fresh: false });
    await sleep(80);
    expect(await tokens.accessToken()).toEqual({ token: "t2", fresh: true });
    await sleep(80);
    expect(await tokens.accessToken()).toEqual({ token: "t3", fresh: true });
    expect(fetches.map((f) => f?.refreshToken ?? null)).toEqual([null, "r1", "r2"]);
  });

  test("concurrent callers share one renewal", async () => {
    const { tokens, fetches } = source(null);
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.accessToken()));
    // Every caller that waited on the renewal got a token minted while it waited: fresh.
    expect(new Set(all.map((t) => JSON.stringify(t)))).toEqual(new Set([JSON.stringify({ token: "t1", fresh: true })]));
    expect(fetches).toHaveLength(1);
  });

  test("a rejection of an old token after a renewal does not renew again", async () => {
    const { tokens, fetches } = source(null);
    await tokens.accessToken();
    expect(await tokens.afterRejection("t1")).toBe("t2"); // the first 401
    expect(await tokens.afterRejection("t1")).toBe("t2"); // a late 401 of the same old token
    expect(fetches).toHaveLength(2);
    expect(await tokens.afterRejection("t2")).toBe("t3"); // the new token refused too: renew
  });

  test("a failed renewal reaches the callers, and the next call tries again", async () => {
    let down = true;
    const { tokens, fetches } = source(null, () => down);
    await expect(Promise.all([tokens.accessToken(), tokens.accessToken()])).rejects.toThrow("token endpoint down");
    expect(fetches).toHaveLength(1);
    down = false;
    expect((await tokens.accessToken()).token).toBe("t1");
  });
});

describe("signal helpers leave nothing behind", () => {
  test("linkSignals and abortable remove their listeners", async () => {
    const long = new AbortController();
    for (let i = 0; i < 100; i++) {
      const { controller, dispose } = linkSignals([long.signal, undefined]);
      await abortable(Promise.resolve(i), controller.signal);
      await sleep(0, long.signal);
      dispose();
    }
    expect(getEventListeners(long.signal, "abort")).toHaveLength(0);
  });

  test("abortable rejects with the reason even when the promise never settles", async () => {
    const controller = new AbortController();
    const pending = abortable(new Promise(() => undefined), controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
  });
});
