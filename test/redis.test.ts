// picket-puid/redis against a real redis-server (test/support/redis.ts): pace slots in Redis
// time, sealed tokens, renewal by one caller, and the key layout. Several node-redis clients
// stand in for several processes here; test/redis.processes.test.ts uses real ones.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createClient } from "redis";
import { PicketPuidError } from "../src/core/errors.js";
import type { Token } from "../src/core/token-source.js";
import { createRedisCoordination, type RedisClientLike } from "../src/redis/index.js";
import { rejection, thrown } from "./support/rejection.js";
import { connect, monitor, recordingLogger, startRedis, type RedisClient, type RedisServer } from "./support/redis.js";
import { expectNoSecret } from "./support/secrets.js";

let server: RedisServer;
let admin: RedisClient;
const clients: { destroy(): void }[] = [];
let testNumber = 0;
let prefix = "";

beforeAll(async () => {
  server = await startRedis();
  admin = await connect(server.url);
});
afterAll(async () => {
  admin?.destroy();
  await server?.stop();
});
afterEach(() => {
  clients.splice(0).forEach((client) => client.destroy());
});

/** A fresh prefix per test, so no test sees another's keys. */
const nextPrefix = () => (prefix = `t${++testNumber}`);
const client = async () => {
  const c = await connect(server.url);
  clients.push(c);
  return c;
};
const secret = "client-secret-Wx8yZ2aB4cD6eF8gH0iJ";
const token = (over: Partial<Token> = {}): Token => ({
  accessToken: `puid_at_${"A".repeat(24)}${Math.random().toString(36).slice(2, 10)}`,
  expiresAt: Date.now() + 3_600_000,
  refreshToken: `puid_rt_${Math.random().toString(36).slice(2)}${"R".repeat(20)}`,
  ...over,
});

describe("pacing", () => {
  test("claims from several clients are granted one interval apart in Redis time, none twice", async () => {
    nextPrefix();
    const watch = await monitor(server.url);
    const interval = 40;
    const coordinations = await Promise.all(Array.from({ length: 5 }, async () => createRedisCoordination({ client: await client(), prefix })));
    const claims = coordinations.flatMap((c) => Array.from({ length: 8 }, () => c.pace("acct").claim(interval)));
    const waits = (await Promise.all(claims)).map((slot) => slot.wait);

    // The script's SET shows each slot granted, in ms of Redis time, in the order Redis ran the claims.
    const sets = await watch.until(new RegExp(`"SET" "${prefix}:pace:acct"`), 40);
    watch.close();
    const slots = sets.map((line) => Number(/"SET" "[^"]+" "([\d.]+)"/.exec(line)?.[1]));
    expect(new Set(slots).size).toBe(40);
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBeCloseTo(interval, 2);
    // Each caller waits for its own slot: from at once to 39 intervals, each wait once.
    const sorted = [...waits].sort((a, b) => a - b);
    expect(sorted[0]).toBeLessThan(interval);
    expect(sorted[39]).toBeGreaterThan(30 * interval); // less the time the 40 claims took to reach Redis
    // Waits count to the slot on Redis's clock as this process reckons it, within half a round trip.
    expect(sorted[39]).toBeLessThanOrEqual(39 * interval + 2);
  });

  test("a claim after the last slot has passed starts at once; a claim within it waits the rest", async () => {
    nextPrefix();
    const pace = createRedisCoordination({ client: await client(), prefix }).pace("acct");
    expect((await pace.claim(1050)).wait).toBe(0);
    const { wait } = await pace.claim(1050);
    expect(wait).toBeGreaterThan(800); // 1050 less the time between the two claims, however busy the machine
    expect(wait).toBeLessThanOrEqual(1050);
  });

  test("an idle pace key expires three intervals after its last slot", async () => {
    nextPrefix();
    const events = await client();
    await admin.configSet("notify-keyspace-events", "Ex");
    const key = `${prefix}:pace:idle`;
    const expired = new Promise<number>((resolve) => void events.subscribe("__keyevent@0__:expired", (name) => name === key && resolve(performance.now())));
    const pace = createRedisCoordination({ client: await client(), prefix }).pace("idle");
    const start = performance.now();
    await pace.claim(100);
    const { wait } = await pace.claim(100); // the slot 100 ms from now, kept until 300 ms after it
    const ttl = await admin.pTTL(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(Math.ceil(wait + 300) + 1);
    const gone = await expired;
    expect(gone - start).toBeGreaterThan(350);
    expect(await admin.exists(key)).toBe(0);
    expect((await pace.claim(100)).wait).toBe(0);
  });

  test("settle: a slot waits a window after the previous slot's answer, and for that answer while it is not in", async () => {
    nextPrefix();
    const [one, two] = await Promise.all([client(), client()]);
    const first = await createRedisCoordination({ client: one, prefix }).pace("acct").claim(200);
    const second = await createRedisCoordination({ client: two, prefix }).pace("acct").claim(200);
    expect(await first.settle!(150, 100)).toBe(0); // nothing before the first slot: no wait, no look
    // The previous request has not answered: the look waits for its report (here 120 ms later)...
    const asked = performance.now();
    const settled = second.settle!(150, 1_000).then((wait) => ({ wait, at: performance.now() }));
    await new Promise((resolve) => setTimeout(resolve, 120));
    const answeredAt = performance.now();
    first.answered!();
    const { wait, at } = await settled;
    expect(at - asked).toBeGreaterThanOrEqual(115);
    // ...then says to start 150 ms after that answer (less what passed since), on Redis's clock.
    expect(at + wait - answeredAt).toBeGreaterThan(140);
    expect(at + wait - answeredAt).toBeLessThan(170);
    expect(await admin.keys(`${prefix}:answered:*`)).toHaveLength(1);
    expect(await admin.pTTL((await admin.keys(`${prefix}:answered:*`))[0]!)).toBeGreaterThan(50_000);
  });

  test("settle gives up after maxMs when the previous request never reports (its process died)", async () => {
    nextPrefix();
    const pace = createRedisCoordination({ client: await client(), prefix }).pace("acct");
    await pace.claim(100); // never answered
    const next = await pace.claim(100);
    const started = performance.now();
    expect(await next.settle!(1_000, 150)).toBe(0);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1_000);
  });

  test("a slot further away than maxWaitMs is refused and nothing is stored, so callers that cannot wait never push the slots away", async () => {
    nextPrefix();
    const pace = createRedisCoordination({ client: await client(), prefix }).pace("acct");
    expect((await pace.claim(1_000, 5_000)).wait).toBe(0);
    const stored = await admin.get(`${prefix}:pace:acct`);
    // Callers that could wait 500 ms at most: each refused at once, told how long the queue is.
    for (let i = 0; i < 5; i++) {
      const refused = await pace.claim(1_000, 500);
      expect(refused.refused).toBe(true);
      expect(refused.wait).toBeGreaterThan(500);
      expect(refused.wait).toBeLessThanOrEqual(1_000);
    }
    expect(await admin.get(`${prefix}:pace:acct`)).toBe(stored);
    // A caller that can wait gets the very next slot, not one five intervals further.
    const next = await pace.claim(1_000, 5_000);
    expect(next.refused).toBeUndefined();
    expect(next.wait).toBeGreaterThan(500);
    expect(next.wait).toBeLessThanOrEqual(1_000);
  });

  test("a stored slot no claim could have left (no TTL, ahead of its own TTL, inf, nan, garbage) is replaced by a slot now", async () => {
    nextPrefix();
    const pace = createRedisCoordination({ client: await client(), prefix }).pace("acct");
    const key = `${prefix}:pace:acct`;
    const [seconds] = await admin.sendCommand<string[]>(["TIME"]);
    const hourAhead = String(Number(seconds) * 1000 + 3_600_000);
    const foreign: [string, string[]][] = [
      ["no TTL", ["SET", key, hourAhead]],
      ["ahead of its TTL", ["SET", key, hourAhead, "PX", "60000"]],
      ["inf", ["SET", key, "inf", "PX", "60000"]],
      ["nan", ["SET", key, "nan", "PX", "60000"]],
      ["garbage", ["SET", key, "garbage", "PX", "60000"]],
    ];
    for (const [what, write] of foreign) {
      await admin.sendCommand(write);
      const slot = await pace.claim(1_000, 5_000);
      expect({ what, soon: slot.wait < 50, refused: slot.refused }).toEqual({ what, soon: true, refused: undefined });
      expect(await admin.pTTL(key)).toBeLessThanOrEqual(3_000 + 1); // our own slot now, kept three intervals
      expect(await slot.settle!(100, 1_000)).toBe(0); // the foreign value is no previous slot to wait for
    }
  });

  test("an interval that is not a finite number >= 0 is refused before anything is sent", async () => {
    const pace = createRedisCoordination({ client: await client(), prefix: nextPrefix() }).pace("acct");
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) await expect(pace.claim(bad)).rejects.toThrow(RangeError);
    expect(await admin.keys(`${prefix}:*`)).toEqual([]);
  });
});

describe("sealed tokens", () => {
  test("Redis only ever sees ciphertext: neither GET nor MONITOR shows the access or refresh token", async () => {
    nextPrefix();
    const watch = await monitor(server.url);
    const tokens = createRedisCoordination({ client: await client(), prefix }).tokens("client-1", secret);
    const minted = token();
    await tokens.renew(null, async () => minted);
    expect(await tokens.read()).toEqual(minted);

    const raw = await admin.get(`${prefix}:token:client-1`);
    expect(raw).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    const stored = await watch.until(new RegExp(`"SET" "${prefix}:token:client-1"`), 1);
    watch.close();
    for (const text of [raw ?? "", ...watch.lines]) {
      expect(text).not.toContain(minted.accessToken);
      expect(text).not.toContain(minted.refreshToken);
      expect(text).not.toContain(secret);
    }
    expect(stored[0]).toContain(raw);
    // Stored until the token expires, not longer.
    const ttl = await admin.pTTL(`${prefix}:token:client-1`);
    expect(ttl).toBeGreaterThan(3_590_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  test("another process with the same secret reads the token back whole", async () => {
    nextPrefix();
    const write = createRedisCoordination({ client: await client(), prefix }).tokens("client-1", secret);
    const read = createRedisCoordination({ client: await client(), prefix }).tokens("client-1", secret);
    for (const minted of [token(), token({ refreshToken: null }), { accessToken: "puid_at_NoRefreshNoExpiry0123456789ab", expiresAt: null }]) {
      await write.renew(await read.read(), async () => minted);
      expect(await read.read()).toStrictEqual(minted);
    }
  });

  test("another secret reads no token, logs one warning without secrets, and never crashes", async () => {
    nextPrefix();
    await createRedisCoordination({ client: await client(), prefix })
      .tokens("client-1", secret)
      .renew(null, async () => token());
    const log = recordingLogger();
    const other = createRedisCoordination({ client: await client(), prefix, logger: log.logger }).tokens("client-1", "another-secret");
    expect(await other.read()).toBeNull();
    expect(await other.read()).toBeNull();
    expect(log.at("warn")).toHaveLength(1);
    expect(log.lines).toHaveLength(1);
    expectNoSecret(log.lines, [secret, "another-secret", "client-1"]);
  });

  test("a sealed value moved to another client's key does not open there", async () => {
    nextPrefix();
    const log = recordingLogger();
    const coordination = createRedisCoordination({ client: await client(), prefix, logger: log.logger });
    await coordination.tokens("client-1", secret).renew(null, async () => token());
    await admin.copy(`${prefix}:token:client-1`, `${prefix}:token:client-2`);
    expect(await coordination.tokens("client-2", secret).read()).toBeNull();
    expect(log.at("warn")).toHaveLength(1);
  });

  test("a handle and the coordination show no secret when printed or serialised", async () => {
    const coordination = createRedisCoordination({ client: await client(), prefix: nextPrefix() });
    const tokens = coordination.tokens("client-1", secret);
    await tokens.renew(null, async () => token({ accessToken: "puid_at_PrintedNowhere0123456789abcdef" }));
    expectNoSecret(tokens, [secret, "puid_at_PrintedNowhere"]);
    expectNoSecret(coordination, [secret, "puid_at_PrintedNowhere"]);
  });
});

describe("renewal", () => {
  test("a stored token other than the stale one is returned without minting", async () => {
    nextPrefix();
    const tokens = createRedisCoordination({ client: await client(), prefix }).tokens("client-1", secret);
    const first = token();
    await tokens.renew(null, async () => first);
    let mints = 0;
    const mint = async () => (mints++, token());
    expect(await tokens.renew(null, mint)).toEqual(first);
    expect(await tokens.renew(token(), mint)).toEqual(first);
    expect(mints).toBe(0);
  });

  test("the stale token itself is replaced by exactly one mint, however many callers ask at once", async () => {
    nextPrefix();
    const tokens = createRedisCoordination({ client: await client(), prefix }).tokens("client-1", secret);
    const first = token();
    await tokens.renew(null, async () => first);
    let mints = 0;
    const second = token();
    const renewed = await Promise.all(Array.from({ length: 10 }, () => tokens.renew(first, async () => (mints++, second))));
    expect(mints).toBe(1);
    expect(renewed.every((t) => t.accessToken === second.accessToken)).toBe(true);
    expect(await tokens.read()).toEqual(second);
    expect(await admin.exists(`${prefix}:lock:client-1`)).toBe(0);
  });

  test("concurrent renewals on several clients mint once, and all get that token", async () => {
    nextPrefix();
    const handles = await Promise.all(
      Array.from({ length: 8 }, async () => createRedisCoordination({ client: await client(), prefix }).tokens("client-1", secret)),
    );
    let mints = 0;
    const mint = async () => {
      mints++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return token();
    };
    const got = await Promise.all(handles.map((h) => h.renew(null, mint)));
    expect(mints).toBe(1);
    expect(new Set(got.map((t) => t.accessToken)).size).toBe(1);
  });

  test("a failing mint releases the lock and rejects with its own error; the next renewal mints", async () => {
    nextPrefix();
    const tokens = createRedisCoordination({ client: await client(), prefix }).tokens("client-1", secret);
    const failure = new PicketPuidError({ message: "invalid_client", code: "invalid_client", status: 401 });
    await expect(tokens.renew(null, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(await admin.exists(`${prefix}:lock:client-1`)).toBe(0);
    const next = token();
    expect(await tokens.renew(null, async () => next)).toEqual(next);
  });

  test("a waiter gives up after renewWaitMs when the lock is never released", async () => {
    nextPrefix();
    await admin.set(`${prefix}:lock:client-1`, "someone-else", { PX: 60_000 });
    const tokens = createRedisCoordination({ client: await client(), prefix, renewWaitMs: 300 }).tokens("client-1", secret);
    const start = performance.now();
    const error = await rejection(
      PicketPuidError,
      tokens.renew(null, async () => token()),
    );
    expect(error.code).toBe("coordination_timeout");
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
    expect(performance.now() - start).toBeLessThan(1_000);
  });
});

describe("the coordination", () => {
  test("keys are namespaced by prefix and kind; the lock is gone after a renewal", async () => {
    nextPrefix();
    const coordination = createRedisCoordination({ client: await client(), prefix });
    await coordination.pace("acct-id").claim(60_000);
    await coordination.tokens("client-id", secret).renew(null, async () => token());
    expect((await admin.keys(`${prefix}:*`)).sort()).toEqual([`${prefix}:pace:acct-id`, `${prefix}:token:client-id`]);
    const other = createRedisCoordination({ client: await client() });
    await other.pace("acct-id").claim(60_000); // kept a minute: a 1 ms interval would leave the key for 1 ms
    expect(await admin.exists("picket-puid:pace:acct-id")).toBe(1);
  });

  test("works with a client whose replies are Buffers, and after SCRIPT FLUSH", async () => {
    nextPrefix();
    const buffers = (await client()) as unknown as { withTypeMapping(mapping: object): RedisClientLike };
    const { RESP_TYPES } = await import("redis");
    const coordination = createRedisCoordination({ client: buffers.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }), prefix });
    expect((await coordination.pace("acct").claim(500)).wait).toBe(0);
    await admin.scriptFlush();
    expect((await coordination.pace("acct").claim(500)).wait).toBeGreaterThan(400);
    const minted = token();
    await coordination.tokens("client-1", secret).renew(null, async () => minted);
    expect(await coordination.tokens("client-1", secret).read()).toEqual(minted);
  });

  test("a node-redis client fits the option's type, and bad options are refused at once", () => {
    const unconnected = createClient();
    const fits: RedisClientLike = unconnected;
    const refused = (make: () => unknown, says: RegExp) => {
      expect(thrown(PicketPuidError, make)).toMatchObject({ code: "invalid_option", message: expect.stringMatching(says) });
    };
    refused(() => createRedisCoordination({ client: fits, timeoutMs: 0 }), /timeoutMs/);
    refused(() => createRedisCoordination({ client: fits, timeoutMs: 2 ** 31 }), /timeoutMs.*at most 2147483647/); // a timer would fire at once
    refused(() => createRedisCoordination({ client: fits, lockLeaseMs: 1e15 }), /lockLeaseMs/);
    refused(() => createRedisCoordination({ client: fits, renewWaitMs: Number.NaN }), /renewWaitMs/);
    for (const prefix of ["", "a b", "x\r\ny", "tab\there"]) refused(() => createRedisCoordination({ client: fits, prefix }), /prefix/);
    for (const logger of [5, {}, { info() {}, warn() {} }])
      refused(() => createRedisCoordination({ client: fits, logger: logger as never }), /logger must have debug, info, warn and error/);
    refused(() => createRedisCoordination({ client: {} as never }), /node-redis client/);
    refused(() => createRedisCoordination({ client: fits }).pace(""), /pace\(\) needs a non-empty key/);
    refused(() => createRedisCoordination({ client: fits }).tokens("client-1", ""), /client secret/);
  });
});
