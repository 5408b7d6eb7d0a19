// Hostile servers, items 8, 12, 13 and 14: answers that are well-formed HTTP but lie. Retry hints
// are parsed strictly; every id and every Picket answer is checked against what its type
// promises; an error never fails to serialize.
import util from "node:util";
import { describe, expect, test } from "vitest";
import { retryAfterMs } from "../../src/core/retry.js";
import { Picket, PicketError } from "../../src/picket/index.js";
import { Puid, PuidError } from "../../src/puid/index.js";
import { rejection } from "../support/rejection.js";
import { apiKey, hostile, json, secretKey } from "./harness.js";

describe("Retry-After is parsed strictly: delta-seconds or an IMF-fixdate", () => {
  const hint = (value: string) => retryAfterMs(new Headers({ "retry-after": value }), null, Date.parse("Wed, 02 Dec 2026 10:00:00 GMT"));

  test("what parses", () => {
    expect(hint("3")).toBe(3000);
    expect(hint("0")).toBe(0);
    expect(hint("Wed, 02 Dec 2026 10:00:05 GMT")).toBe(5000);
    expect(hint("Wed, 02 Dec 2026 09:00:00 GMT")).toBe(0); // a date in the past: now
  });

  test("what does not parse is ignored, not read as 'retry now'", () => {
    for (const value of ["-1", "1, 2", "1.5", "+3", " 3x", "2026-12-02T10:00:05Z", "Wed Dec 02 2026", "tomorrow", "Wed, 02 Dec 2026 10:00:05 PST", "1e3", ""]) {
      expect(hint(value), value).toBeNull();
    }
    expect(retryAfterMs(new Headers({ "retry-after-ms": "-5" }))).toBeNull();
    expect(retryAfterMs(new Headers({ "retry-after-ms": "1, 2" }))).toBeNull();
  });

  test("a huge value keeps retryAfterMs finite (or leaves it out), and is not waited for", async () => {
    for (const value of ["9".repeat(400), "9".repeat(30)]) {
      const ms = hint(value);
      expect(ms === null || Number.isFinite(ms)).toBe(true);
    }
    const s = await hostile((_req, res) => json(res, 429, { error: "rate_limited" }, { "retry-after": "9".repeat(400) }));
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false }).ids(1));
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfterMs === null || Number.isFinite(error.retryAfterMs)).toBe(true);
    expect(JSON.stringify(error)).not.toContain("Infinity");
  });

  test("Retry-After: -1 on a 429 waits the normal backoff, not zero", async () => {
    const s = await hostile((_req, res) => json(res, 429, { error: "rate_limited" }, { "retry-after": "-1" }));
    const start = performance.now();
    await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false, maxRetries: 1 }).ids(1));
    expect(performance.now() - start).toBeGreaterThanOrEqual(0.75 * 500 - 20);
    expect(s.requests).toHaveLength(2);
  });
});

describe("every id returned is an id", () => {
  for (const bad of ["", "../../etc", "a".repeat(1_000_000), "abc\uFFFDdef", "abc def", "12345678901234567890123"]) {
    test(`${JSON.stringify(bad.slice(0, 12))}${bad.length > 12 ? "…" : ""} is invalid_response`, async () => {
      const s = await hostile((_req, res) => json(res, 200, { ids: [bad], count: 1, quota: { used: 1, limit: 1000 } }));
      const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).ids(1));
      expect(error).toMatchObject({ status: 200, code: "invalid_response" });
      expect(error.message.length).toBeLessThan(300);
    });
  }
});

describe("every Picket answer has the fields its type promises", () => {
  const wallet = "0x52F22665A60C12D289185D950Ee8813609166f6B";
  const user = { chain: "ethereum", walletAddress: wallet, displayAddress: wallet, tokenBalances: {} };
  const calls: [string, (p: Picket) => Promise<unknown>, unknown][] = [
    ["nonce", (p) => p.nonce({ walletAddress: wallet }), { nonce: "abcdefgh12", statement: "Sign in" }],
    ["auth", (p) => p.auth({ walletAddress: wallet, signature: "0xab" }), { accessToken: "a.b.c", user }],
    ["authz", (p) => p.authz({ accessToken: "a.b.c", requirements: { contractAddress: "0x1" } }), { accessToken: "a.b.c", user }],
    ["validate", (p) => p.validate("a.b.c"), { ...user, iat: 1, exp: 2 }],
    ["tokenOwnership", (p) => p.tokenOwnership({ walletAddress: wallet, contractAddress: "0x1" }), { allowed: true, tokenBalances: {} }],
    [
      "chains",
      (p) => p.chains(),
      { data: [{ chainSlug: "ethereum", chainType: "ethereum", chainName: "Ethereum", publicRPC: "https://rpc", authorizationSupported: true }] },
    ],
    [
      "chainInfo",
      (p) => p.chainInfo("ethereum"),
      { chainSlug: "ethereum", chainType: "ethereum", chainName: "Ethereum", publicRPC: "https://rpc", authorizationSupported: true },
    ],
    [
      "exchangeAuthorizationCode",
      (p) => p.exchangeAuthorizationCode({ code: "c", codeVerifier: "v".repeat(43), redirectUri: "https://a/cb" }),
      { accessToken: "a.b.c", tokenType: "Bearer", expiresIn: 60 },
    ],
  ];
  for (const [name, call, good] of calls) {
    test(`${name}: {}, "ok", null-filled and wrongly typed answers are invalid_response; a good one keeps unknown fields`, async () => {
      let answer: unknown;
      const s = await hostile((_req, res) => json(res, 200, answer));
      const picket = new Picket(secretKey, { baseURL: s.url });
      const wrongTyped = Object.fromEntries(Object.entries(good as object).map(([k, v]) => [k, typeof v === "string" ? 7 : "7"]));
      const emptyItems = name === "chains" ? [{ data: [{}] }, { data: ["ethereum"] }] : [];
      for (answer of [{}, "ok", [good], wrongTyped, ...emptyItems]) {
        expect(await rejection(PicketError, call(picket)), JSON.stringify(answer)).toMatchObject({ status: 200, code: "invalid_response" });
      }
      answer = { ...(good as object), extra: { kept: true } };
      expect(await call(picket)).toMatchObject(name === "chains" ? [(good as { data: unknown[] }).data[0]] : { extra: { kept: true } });
    });
  }
});

describe("an error always serializes", () => {
  test("a deeply nested error body: JSON.stringify, String and util.inspect of the error never throw", async () => {
    const depth = 200_000;
    const s = await hostile((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(`${"[".repeat(depth)}${"]".repeat(depth)}`);
    });
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error.status).toBe(400);
    expect(() => JSON.stringify(error)).not.toThrow();
    expect(() => String(error)).not.toThrow();
    expect(() => util.inspect(error, { depth: Infinity })).not.toThrow();
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ status: 400, name: "PuidError" });
  });
});
