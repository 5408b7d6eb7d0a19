// The PUID emulator's three /v1 endpoints through its fetch handler: ids, the rate limit, the daily
// quota, ordinal decoding and the quota read (puid-api.md §3, §5, §7, §8, §14).
import { describe, expect, test } from "vitest";
import { createPuidEmulator, type PuidEmulator } from "../src/emulator/puid.js";
import { manualClock } from "../src/emulator/serve.js";
import { createPuidCodec, decodePuid } from "../src/puid/codec.js";
import { base62, clientToken, fromBase62, NOON, ORIGIN, read, registerClient, send, setup, withKey, withToken } from "./support/puid-emulator.js";

/** Spend `total` ids (a multiple of 10 plus a rest) on `key`, a second apart. */
async function spend(emulator: PuidEmulator, clock: ReturnType<typeof manualClock>, total: number, key = emulator.apiKeys[0]!) {
  for (let left = total; left > 0; left -= 10) {
    const { status } = await read(withKey(emulator, `/api/v1/ids?n=${Math.min(10, left)}`, key));
    expect(status).toBe(200);
    clock.advance(1000);
  }
}

describe("GET /v1/ids (§3.1, §5)", () => {
  test("the first id of a fresh server is the reference's id of ordinal 1", async () => {
    const { emulator, key } = setup();
    expect((await read(withKey(emulator, "/api/v1/ids", key))).body.ids).toEqual(["64qAN39GjJh5kbi4HROOxh"]);
  });

  test("200: n ids that decode to consecutive ordinals, count, and quota including this request", async () => {
    const { emulator, key, clock } = setup();
    await withKey(emulator, "/api/v1/ids?n=4", key);
    clock.advance(1000);
    const { status, body, headers } = await read(withKey(emulator, "/api/v1/ids?n=3", key));
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(headers.get("content-type")).toMatch(/^application\/json/);
    expect(body).toEqual({ ids: expect.any(Array), count: 3, quota: { used: 7, limit: 1000 } });
    const ordinals = body.ids.map((id: string) => decodePuid(id));
    expect(ordinals).toEqual([ordinals[0], ordinals[0] + 1n, ordinals[0] + 2n]);
    expect(emulator.issued.slice(-3).map(({ id, ordinal }) => ({ id, ordinal }))).toEqual(
      body.ids.map((id: string, i: number) => ({ id, ordinal: ordinals[i] })),
    );
  });

  test("n is parsed like Number(): 5.0 and 0x5 are 5, blank is 0; only integers 1..10 pass", async () => {
    const { emulator, key, clock } = setup();
    for (const [query, count] of [
      ["n=5.0", 5],
      ["n=0x5", 5],
      ["n=%205%20", 5],
      ["n=1e1", 10],
      ["", 1],
      ["n=10", 10],
      ["n=1&n=7", 1],
    ] as const) {
      clock.advance(1000);
      expect({ query, count: (await read(withKey(emulator, `/api/v1/ids?${query}`, key))).body.count }).toEqual({ query, count });
    }
    for (const query of ["n=", "n=0", "n=11", "n=1.5", "n=-3", "n=abc", "n=NaN", "n=Infinity"]) {
      clock.advance(1000);
      expect({ query, ...(await read(withKey(emulator, `/api/v1/ids?${query}`, key))) }).toMatchObject({
        query,
        status: 400,
        body: { error: "bad_request", message: "n must be 1..10." },
      });
    }
  });

  test("one global counter across accounts, so one account's ids skip the other's", async () => {
    const { emulator } = setup({
      accounts: [
        { id: "team_a", apiKeys: ["puid_live_a"] },
        { id: "team_b", apiKeys: ["puid_live_b"] },
      ],
    });
    const a = (await read(withKey(emulator, "/api/v1/ids?n=2", "puid_live_a"))).body.ids;
    const b = (await read(withKey(emulator, "/api/v1/ids?n=3", "puid_live_b"))).body.ids;
    const c = (await read(withKey(emulator, "/api/v1/ids?n=1", "puid_live_b"))).status;
    expect([...a, ...b].map(decodePuid)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(c).toBe(429);
    expect(emulator.issued.map(({ account }) => account)).toEqual(["team_a", "team_a", "team_b", "team_b", "team_b"]);
  });
});

test("a self-hosted deployment's round keys: ids and ordinals follow those keys, not puid.dev's", async () => {
  const roundKeys = [0x1234n, 0xfeedn, 2n ** 64n - 1n, 0n];
  const { emulator, key } = setup({ roundKeys });
  const codec = createPuidCodec(roundKeys);
  const [id] = (await read(withKey(emulator, "/api/v1/ids", key))).body.ids;
  expect(id).toBe(codec.encode(1n));
  expect(id).not.toBe("64qAN39GjJh5kbi4HROOxh");
  expect((await read(withKey(emulator, `/api/v1/ordinal/${id}`, key))).body.ordinal).toBe("1");
  expect((await read(withKey(emulator, "/api/v1/ordinal/64qAN39GjJh5kbi4HROOxh", key))).body.ordinal).toBe(codec.decode("64qAN39GjJh5kbi4HROOxh").toString());
});

describe("rate limit (§7)", () => {
  test("a second request within 1000 ms is 429 with retryAfterMs, upgrade_url and Retry-After", async () => {
    const { emulator, key, clock } = setup();
    expect((await withKey(emulator, "/api/v1/ids", key)).status).toBe(200);
    clock.advance(266);
    const { status, body, headers } = await read(withKey(emulator, "/api/v1/ids", key));
    expect(status).toBe(429);
    expect(body).toEqual({
      error: "rate_limited",
      message: "One request per second. Want more? That requires an upgrade.",
      retryAfterMs: 734,
      upgrade_url: `${ORIGIN}/upgrade`,
    });
    expect(headers.get("retry-after")).toBe("1");
    expect(headers.get("cache-control")).toBe("no-store");
    expect([...headers.keys()].filter((name) => /ratelimit/i.test(name))).toEqual([]);
  });

  test("the window only advances on an allowed request: a 429 does not push it on", async () => {
    const { emulator, key, clock } = setup();
    await withKey(emulator, "/api/v1/ids", key);
    clock.advance(999);
    expect((await read(withKey(emulator, "/api/v1/ids", key))).body.retryAfterMs).toBe(1);
    clock.advance(1);
    expect((await withKey(emulator, "/api/v1/ids", key)).status).toBe(200);
  });

  test("a clock set back makes retryAfterMs exceed 1000, and Retry-After 2", async () => {
    const { emulator, key, clock } = setup();
    await withKey(emulator, "/api/v1/ids", key);
    clock.set(NOON - 500);
    const { body, headers } = await read(withKey(emulator, "/api/v1/ids", key));
    expect(body.retryAfterMs).toBe(1500);
    expect(headers.get("retry-after")).toBe("2");
  });

  test("per account: a team's keys share one bucket, another team has its own", async () => {
    const { emulator } = setup({ apiKeys: ["puid_live_one", "puid_live_two"], accounts: [{ id: "team_other", apiKeys: ["puid_live_other"] }] });
    expect((await withKey(emulator, "/api/v1/ids", "puid_live_one")).status).toBe(200);
    expect((await withKey(emulator, "/api/v1/ids", "puid_live_two")).status).toBe(429);
    expect((await withKey(emulator, "/api/v1/ids", "puid_live_other")).status).toBe(200);
  });

  test("a 400 (bad n) or a 402 still uses the slot; /v1/quota and /v1/ordinal are not limited", async () => {
    const { emulator, key, clock } = setup({ dailyLimit: 5 });
    expect((await withKey(emulator, "/api/v1/ids?n=11", key)).status).toBe(400);
    expect((await withKey(emulator, "/api/v1/ids", key)).status).toBe(429);
    clock.advance(1000);
    expect((await withKey(emulator, "/api/v1/ids?n=6", key)).status).toBe(402);
    expect((await withKey(emulator, "/api/v1/ids", key)).status).toBe(429);
    for (let i = 0; i < 5; i++) {
      expect((await withKey(emulator, "/api/v1/quota", key)).status).toBe(200);
      expect((await withKey(emulator, "/api/v1/ordinal/64qAN39GjJh5kbi4HROOxh", key)).status).toBe(200);
    }
    clock.advance(1000);
    expect((await withKey(emulator, "/api/v1/ids", key)).status).toBe(200);
  });

  test("an unauthenticated request uses no slot", async () => {
    const { emulator, key } = setup();
    expect((await send(emulator, "/api/v1/ids")).status).toBe(401);
    expect((await withKey(emulator, "/api/v1/ids", key)).status).toBe(200);
  });
});

describe("daily quota (§8)", () => {
  test("free: 1000 ids a UTC day, then 402 with the exact body; used is before the request", async () => {
    const { emulator, key, clock } = setup();
    await spend(emulator, clock, 1000);
    const { status, body, headers } = await read(withKey(emulator, "/api/v1/ids", key));
    expect(status).toBe(402);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({
      error: "quota_exceeded",
      used: 1000,
      limit: 1000,
      plan: "free",
      message: "Free tier is 1000 numbers/day. Upgrade to count higher.",
      upgrade_url: `${ORIGIN}/upgrade`,
    });
    expect(emulator.issued).toHaveLength(1000);
  });

  test("a batch is all or nothing: with 995 used, n=10 is refused and n=5 fits exactly", async () => {
    const { emulator, key, clock } = setup();
    await spend(emulator, clock, 995);
    expect(await read(withKey(emulator, "/api/v1/ids?n=10", key))).toMatchObject({ status: 402, body: { used: 995, limit: 1000 } });
    expect(emulator.issued).toHaveLength(995);
    clock.advance(1000);
    expect(await read(withKey(emulator, "/api/v1/ids?n=5", key))).toMatchObject({ status: 200, body: { count: 5, quota: { used: 1000, limit: 1000 } } });
    expect(emulator.usage()).toEqual({ plan: "free", used: 1000, limit: 1000, remaining: 0 });
  });

  test("the day is the UTC day: usage starts again at 00:00 UTC", async () => {
    const clock = manualClock(Date.UTC(2026, 5, 1, 23, 59, 58));
    const emulator = createPuidEmulator({ now: clock.now, dailyLimit: 10 });
    const key = emulator.apiKeys[0]!;
    expect((await withKey(emulator, "/api/v1/ids?n=10", key)).status).toBe(200);
    clock.advance(1000); // 23:59:59
    expect((await read(withKey(emulator, "/api/v1/ids", key))).body).toMatchObject({
      error: "quota_exceeded",
      used: 10,
      limit: 10,
      message: "Free tier is 10 numbers/day. Upgrade to count higher.",
    });
    clock.advance(1000); // 00:00:00 the next day
    expect((await read(withKey(emulator, "/api/v1/quota", key))).body).toEqual({ plan: "free", used: 0, limit: 10, remaining: 10 });
    expect((await read(withKey(emulator, "/api/v1/ids?n=10", key))).body.quota).toEqual({ used: 10, limit: 10 });
  });

  test("any plan but free is unlimited: limit null in the 200 and in /v1/quota", async () => {
    const { emulator, clock } = setup({ accounts: [{ id: "team_big", plan: "enterprise", apiKeys: ["puid_live_big"] }], dailyLimit: 10 });
    await spend(emulator, clock, 30, "puid_live_big");
    expect((await read(withKey(emulator, "/api/v1/ids?n=10", "puid_live_big"))).body.quota).toEqual({ used: 40, limit: null });
    expect((await read(withKey(emulator, "/api/v1/quota", "puid_live_big"))).body).toEqual({ plan: "enterprise", used: 40, limit: null, remaining: null });
    expect(emulator.usage("team_big")).toEqual({ plan: "enterprise", used: 40, limit: null, remaining: null });
  });
});

describe("GET /v1/ordinal/{puid} (§3.2, §14)", () => {
  test("decodes every issued id to the ordinal it was issued with, and spends nothing", async () => {
    const { emulator, key } = setup();
    const ids: string[] = (await read(withKey(emulator, "/api/v1/ids?n=10", key))).body.ids;
    for (const id of ids) {
      const { status, body } = await read(withKey(emulator, `/api/v1/ordinal/${id}`, key));
      expect(status).toBe(200);
      expect(body).toEqual({ puid: id, ordinal: decodePuid(id).toString() });
    }
    expect(emulator.issued.map(({ ordinal }) => ordinal)).toEqual(ids.map(decodePuid));
    expect(emulator.usage().used).toBe(10);
  });

  test("the reference's vectors: 0, 1, 2^64 − 1, 2^128 − 1", async () => {
    const { emulator, key } = setup();
    const vectors = {
      "3Mtz7WcPd0ttE9g3dyetSH": 0n,
      "64qAN39GjJh5kbi4HROOxh": 1n,
      "3Vu5ozaQUgjj1OlcW7bnu5": 2n ** 64n - 1n,
      "6YKQzsazwRh7qAYbtk4uy6": 2n ** 128n - 1n,
    };
    for (const [id, ordinal] of Object.entries(vectors)) {
      expect((await read(withKey(emulator, `/api/v1/ordinal/${id}`, key))).body).toEqual({ puid: id, ordinal: ordinal.toString() });
    }
  });

  test("any length decodes, reduced mod 2^128: a leading zero changes nothing, a wrap lands on the same ordinal", async () => {
    const { emulator, key } = setup();
    expect((await read(withKey(emulator, "/api/v1/ordinal/064qAN39GjJh5kbi4HROOxh", key))).body.ordinal).toBe("1");
    const wrapped = base62(2n ** 128n + fromBase62("64qAN39GjJh5kbi4HROOxh"));
    expect(wrapped.length).toBe(22);
    expect((await read(withKey(emulator, `/api/v1/ordinal/${wrapped}`, key))).body).toEqual({ puid: wrapped, ordinal: "1" });
    const long = base62(5n * 2n ** 128n + fromBase62("7U17bzw0MO3mzwuFKO7cc0"));
    expect((await read(withKey(emulator, `/api/v1/ordinal/${"0".repeat(40)}${long}`, key))).body.ordinal).toBe("2");
    for (const short of ["0", "z", "Zz9"]) expect((await withKey(emulator, `/api/v1/ordinal/${short}`, key)).status).toBe(200);
  });

  test("a character outside base62 is 400 naming the first one, after percent-decoding", async () => {
    const { emulator, key } = setup();
    const cases = { "not-a-puid": "-", "64qAN39GjJh5kbi4HROOx%21": "!", "%20abc": " ", "ab%2Fcd": "/", "a/b": "/", "caf%C3%A9": "é", "%F0%9F%98%80x": "😀" };
    for (const [path, bad] of Object.entries(cases)) {
      const { status, body, headers } = await read(withKey(emulator, `/api/v1/ordinal/${path}`, key));
      expect({ path, status, body }).toEqual({
        path,
        status: 400,
        body: { error: "bad_request", message: `Not a valid PUID: invalid base62 character: ${bad}` },
      });
      expect(headers.get("cache-control")).toBe("no-store");
    }
  });

  test("a malformed percent-escape is the server's undocumented 500", async () => {
    const { emulator, key } = setup();
    for (const path of ["%", "abc%E0%A4%A", "%ZZ", "%C3"]) {
      const asJson = await withKey(emulator, `/api/v1/ordinal/${path}`, key, { headers: { accept: "application/json" } });
      expect(asJson.status).toBe(500);
      expect(await asJson.json()).toEqual({ message: "Internal Error" });
      const asPage = await withKey(emulator, `/api/v1/ordinal/${path}`, key, { headers: { accept: "text/html" } });
      expect(asPage.status).toBe(500);
      expect(asPage.headers.get("content-type")).toMatch(/^text\/html/);
    }
    expect(emulator.log.filter(({ status }) => status === 500)).toHaveLength(8);
  });
});

describe("GET /v1/quota (§3.3)", () => {
  test("plan, used, limit, remaining; reading it spends nothing", async () => {
    const { emulator, key } = setup();
    expect((await read(withKey(emulator, "/api/v1/quota", key))).body).toEqual({ plan: "free", used: 0, limit: 1000, remaining: 1000 });
    await withKey(emulator, "/api/v1/ids?n=7", key);
    for (let i = 0; i < 3; i++)
      expect((await read(withKey(emulator, "/api/v1/quota", key))).body).toEqual({ plan: "free", used: 7, limit: 1000, remaining: 993 });
    expect(emulator.usage(emulator.accounts[0]!.id)).toEqual({ plan: "free", used: 7, limit: 1000, remaining: 993 });
  });

  test("a client-credentials token reports its own pseudo-account on plan free", async () => {
    const { emulator, key } = setup({ csrf: false });
    const client = await registerClient(emulator);
    await withKey(emulator, "/api/v1/ids?n=4", key);
    const token = await clientToken(emulator, client);
    await withToken(emulator, "/api/v1/ids?n=2", token);
    expect((await read(withToken(emulator, "/api/v1/quota", token))).body).toEqual({ plan: "free", used: 2, limit: 1000, remaining: 998 });
    expect(emulator.usage(`client:${client.clientId}`).used).toBe(2);
    expect(emulator.usage().used).toBe(4);
  });
});
