// Puid clients sharing a coordination on a real redis-server, in one process: the order of calls,
// a call given up while it waits, fairness between clients, the store failing mid-call, and what
// is shared per account. The server is a fetch of the test's own that hands out valid ids and
// notes when each request arrived; a pace of 10 requests per second (100 ms windows, slots 105 ms
// apart) keeps the waits short. test/fleet.test.ts does the same across real processes.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { guard } from "../src/core/api.js";
import type { Coordination } from "../src/core/coordination.js";
import type { Logger } from "../src/core/log.js";
import { PicketPuidError } from "../src/core/errors.js";
import { puidErrors } from "../src/puid/errors.js";
import { encodePuid, Puid, PuidError } from "../src/puid/index.js";
import { createRedisCoordination } from "../src/redis/index.js";
import { rejection } from "./support/rejection.js";
import { connect, recordingLogger, startRedis, type RedisClient, type RedisServer } from "./support/redis.js";

let server: RedisServer;
const clients: RedisClient[] = [];
let testNumber = 0;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(() => {
  clients.splice(0).forEach((client) => client.destroy());
});

const RATE = 10; // requests per second: slots (1000 + 50) / 10 = 105 ms apart

/** A server for `/v1/ids`: each request gets fresh ids and is noted with its key, arrival time and tag. */
function idsServer() {
  let next = 1n;
  const arrivals: { key: string | null; at: number; tag: string | null }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    arrivals.push({ key: request.headers.get("x-api-key"), at: performance.now(), tag: request.headers.get("x-test-tag") });
    const n = Number(new URL(request.url).searchParams.get("n") ?? 1);
    return Response.json({ ids: Array.from({ length: n }, () => encodePuid(next++)) });
  };
  return { fetch, arrivals };
}

/** A Redis coordination on a connection of its own (as another process would have), under `prefix`. */
async function coordinationOn(prefix: string, logger?: Logger) {
  const redis = await connect(server.url);
  clients.push(redis);
  return { redis, coordination: createRedisCoordination({ client: redis, prefix, ...(logger ? { logger } : {}) }) };
}

/** A client on its own Redis connection, sharing `prefix`. */
async function client(apiKey: string, fetch: typeof globalThis.fetch, prefix: string, requestsPerSecond = RATE) {
  const { coordination } = await coordinationOn(prefix);
  return new Puid({ apiKey, endpoint: "https://puid.example/api", fetch, requestsPerSecond, coordination });
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
const tagged = (tag: string) => ({ headers: { "x-test-tag": tag } });

describe("Puid with a shared pace", () => {
  test("two clients on one key: every request a slot apart at the server, calls of each client in order", async () => {
    const prefix = `p${++testNumber}`;
    const { fetch, arrivals } = idsServer();
    const [a, b] = await Promise.all([client("puid_live_SharedKeyAAAA0123456789", fetch, prefix), client("puid_live_SharedKeyAAAA0123456789", fetch, prefix)]);
    const done: string[] = [];
    const calls = ["a1", "a2", "a3"].map((tag) => a.ids(1, tagged(tag)).then(() => done.push(tag)));
    calls.push(...["b1", "b2", "b3"].map((tag) => b.ids(1, tagged(tag)).then(() => done.push(tag))));
    await Promise.all(calls);

    expect(arrivals).toHaveLength(6);
    for (const gap of gaps(arrivals.map((a) => a.at))) expect(gap).toBeGreaterThanOrEqual(1000 / RATE);
    // Each client's calls reach the server in the order they were made...
    const order = arrivals.map((a) => a.tag!);
    expect(order.filter((t) => t.startsWith("a"))).toEqual(["a1", "a2", "a3"]);
    expect(order.filter((t) => t.startsWith("b"))).toEqual(["b1", "b2", "b3"]);
    // ...and the two clients take turns: neither gets all its calls through before the other starts.
    expect(order.slice(0, 2).sort()).toEqual(["a1", "b1"]);
    expect(done.filter((t) => t.startsWith("a"))).toEqual(["a1", "a2", "a3"]);
  });

  test("different keys do not share a pace", async () => {
    const prefix = `p${++testNumber}`;
    const { fetch, arrivals } = idsServer();
    const [a, b] = await Promise.all([client("puid_live_OneKeyBBBBB0123456789", fetch, prefix), client("puid_live_TwoKeyCCCCC0123456789", fetch, prefix)]);
    await Promise.all([a.ids(1), b.ids(1)]);
    expect(arrivals).toHaveLength(2);
    expect(Math.abs(arrivals[1]!.at - arrivals[0]!.at)).toBeLessThan(1000 / RATE); // both at once
  });

  test("a call given up while it waits for its slot is never sent; the next call is not held back by it", async () => {
    // 4 requests per second: windows of 250 ms, slots 262.5 ms apart, so a wait for an answer that
    // never comes (up to a window) stands out from the wait for the slot itself.
    const prefix = `p${++testNumber}`;
    const { fetch, arrivals } = idsServer();
    const key = "puid_live_AbortKeyDDDD0123456789";
    const [a, b] = await Promise.all([client(key, fetch, prefix, 4), client(key, fetch, prefix, 4)]);
    await a.ids(1, tagged("first")); // the pace is busy: the next slot is one interval away
    const controller = new AbortController();
    const given = b.ids(1, { ...tagged("given up"), signal: controller.signal });
    setTimeout(() => controller.abort(new Error("no longer needed")), 20);
    await expect(given).rejects.toBeInstanceOf(PuidError);
    const started = performance.now();
    await a.ids(1, tagged("after"));
    expect(arrivals.map((r) => r.tag)).toEqual(["first", "after"]);
    // The given-up call's slot stays spent: the next call goes one slot after it, two after the
    // first. It does not also wait for the given-up call's answer, which would add up to a window.
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThan(262.5);
    expect(waited).toBeLessThan(2 * 262.5 + 100);
  });

  test("callers whose timeout is shorter than the shared queue fail at once with timeout; the pace never seizes", async () => {
    // 8 clients calling in a loop share slots 105 ms apart; each can wait 400 ms, so the queue is
    // always longer than some can wait. Those fail at once, without claiming a slot; before the
    // fix they claimed slots they then gave up on, pushing the next slot away faster than time
    // passed, until no request went out at all.
    const prefix = `p${++testNumber}`;
    const { fetch, arrivals } = idsServer();
    const key = "puid_live_QueueKeyFFFF0123456789";
    const puids = await Promise.all(Array.from({ length: 8 }, () => client(key, fetch, prefix)));
    const failures: PuidError[] = [];
    const failedAfter: number[] = [];
    const stopAt = performance.now() + 3_000;
    await Promise.all(
      puids.map(async (puid) => {
        while (performance.now() < stopAt) {
          const asked = performance.now();
          try {
            await puid.ids(1, { timeout: 400, maxRetries: 0 });
          } catch (error) {
            failures.push(error as PuidError);
            failedAfter.push(performance.now() - asked);
            await new Promise((resolve) => setTimeout(resolve, 30));
          }
        }
      }),
    );
    const late = arrivals.filter((a) => a.at > stopAt - 1_500); // the last 1.5 s: still flowing
    expect(late.length).toBeGreaterThanOrEqual(6);
    expect(arrivals.length).toBeGreaterThanOrEqual(14); // of at most 3000 / 105 = 28
    for (const gap of gaps(arrivals.map((a) => a.at))) expect(gap).toBeGreaterThanOrEqual(1000 / RATE);
    expect(failures.length).toBeGreaterThan(0);
    // Refused at once, not at the end of the timeout (a claimed slot that a late predecessor then
    // holds back past the timeout still times out there, now and then).
    expect(failedAfter.filter((ms) => ms < 300).length).toBeGreaterThanOrEqual(0.8 * failures.length);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(PuidError);
      expect(failure.code).toBe("timeout");
      expect(failure.message).toMatch(
        /(shared with other clients would come in \d+ ms, later than (?:the \d+ ms left of )?its timeout|waited longer than its timeout) \(400 ms\)/,
      );
    }
  });

  test("Redis going away mid-run: the call goes on at its own pace, with one warning; nothing hangs", async () => {
    const prefix = `p${++testNumber}`;
    const { fetch, arrivals } = idsServer();
    const log = recordingLogger();
    const { redis, coordination } = await coordinationOn(prefix, log.logger);
    const puid = new Puid({
      apiKey: "puid_live_DownKeyEEEEE0123456789",
      endpoint: "https://puid.example/api",
      fetch,
      requestsPerSecond: RATE,
      coordination,
      logger: log.logger,
    });
    await puid.ids(1);
    redis.destroy(); // as if the connection dropped
    const started = performance.now();
    await puid.ids(1);
    await puid.ids(1);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(arrivals).toHaveLength(3);
    for (const gap of gaps(arrivals.map((a) => a.at))) expect(gap).toBeGreaterThanOrEqual(1000 / RATE); // its own pace still holds
    expect(log.at("warn")).toHaveLength(1);
    expect(log.at("warn")[0]!.message).toMatch(/^picket-puid\/redis: .*fall back/);
  });

  test("a bare access token is paced by its client alone: nothing is claimed in Redis", async () => {
    const prefix = `p${++testNumber}`;
    const { fetch, arrivals } = idsServer();
    const { redis, coordination } = await coordinationOn(prefix);
    const puid = new Puid({
      accessToken: "puid_at_BareTokenFFFFF0123456789",
      endpoint: "https://puid.example/api",
      fetch,
      requestsPerSecond: RATE,
      coordination,
    });
    await puid.ids(1);
    await puid.ids(1);
    expect(arrivals).toHaveLength(2);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  test("the pace key names a hash of the API key, never the key", async () => {
    const prefix = `p${++testNumber}`;
    const { fetch } = idsServer();
    const apiKey = "puid_live_HashedKeyGGGG0123456789";
    const puid = await client(apiKey, fetch, prefix);
    await puid.ids(1);
    const admin = await connect(server.url);
    clients.push(admin);
    const keys = await admin.keys(`${prefix}:*`);
    expect(keys.some((key) => /^p\d+:pace:key:[A-Za-z0-9_-]{43}$/.test(key))).toBe(true);
    for (const key of keys) expect(key).not.toContain(apiKey.slice(10));
    for (const key of keys) expect(String(await admin.get(key))).not.toContain(apiKey.slice(10));
  });
});

/** A server for the token endpoint and `/v1/ids`: tokens live `expiresIn` seconds; token requests are counted. */
function tokenServer(expiresIn = 3600) {
  const served = { tokens: 0, ids: 0 };
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname.endsWith("/oauth/token")) {
      served.tokens++;
      return Response.json({
        access_token: `puid_at_Shared${served.tokens}Token0123456789`,
        token_type: "Bearer",
        expires_in: expiresIn,
        scope: "puid:generate",
      });
    }
    served.ids++;
    return Response.json({ ids: [encodePuid(BigInt(served.ids))] });
  };
  return { fetch, served };
}

describe("Puid with a shared token: the wait for it is bounded like a call", () => {
  const clientId = "client_BoundedWait0123";
  const clientSecret = "secret_BoundedWait0123456789";
  /** A coordination on its own connection, with a renewal lock held by a process that died (its lease 30 s). */
  async function deadHolder() {
    const prefix = `p${++testNumber}`;
    const { redis, coordination } = await coordinationOn(prefix, recordingLogger().logger);
    await redis.sendCommand(["SET", `${prefix}:lock:${clientId}`, "dead", "PX", "30000"]);
    return coordination;
  }
  const options = { clientId, clientSecret, endpoint: "https://puid.example/api", maxRetries: 0 };

  test("fromClientCredentials with a dead lock holder and timeout 1000: a token of its own after half the timeout, not after renewWaitMs (20 s)", async () => {
    const { fetch, served } = tokenServer();
    const started = performance.now();
    const puid = await Puid.fromClientCredentials({ ...options, fetch, coordination: await deadHolder(), timeout: 1_000 });
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(served.tokens).toBe(1);
    expect(await puid.ids(1)).toHaveLength(1);
  });

  test("fromClientCredentials with a dead lock holder: the caller's signal ends the wait when it aborts, with aborted", async () => {
    const { fetch, served } = tokenServer();
    const started = performance.now();
    const error = await rejection(
      PuidError,
      Puid.fromClientCredentials({ ...options, fetch, coordination: await deadHolder(), signal: AbortSignal.timeout(300) }),
    );
    expect(error.code).toBe("aborted");
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(served.tokens).toBe(0);
  });

  test("ids(1) whose token expired, with a dead lock holder and timeout 1000: renewed on its own within the call's bound", async () => {
    const { fetch, served } = tokenServer(0.3);
    const { redis, coordination } = await coordinationOn(`p${++testNumber}`);
    const puid = await Puid.fromClientCredentials({ ...options, fetch, coordination, timeout: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 350)); // the token has expired
    await redis.sendCommand(["SET", `p${testNumber}:lock:${clientId}`, "dead", "PX", "30000"]);
    const started = performance.now();
    expect(await puid.ids(1, { timeout: 1_000 })).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(served.tokens).toBe(2);
    // A signal that aborts while the renewal waits is seen when it aborts.
    await new Promise((resolve) => setTimeout(resolve, 350));
    const waited = performance.now();
    const error = await rejection(PuidError, puid.ids(1, { signal: AbortSignal.timeout(200) }));
    expect(error.code).toBe("aborted");
    expect(performance.now() - waited).toBeLessThan(1_500);
  });

  test("a custom shared store whose read() never answers, or that gives tokens of the wrong shape: a token of its own, not a hang and not the bad token", async () => {
    const pace = () => ({ claim: async () => ({ wait: 0 }) });
    const stores = {
      hangs: { read: () => new Promise<never>(() => {}), renew: () => new Promise<never>(() => {}) },
      empty: { read: async () => null, renew: async () => ({}) },
      crlf: {
        read: async () => ({ accessToken: "puid_at_bad\r\nX-Injected: 1", expiresAt: null }),
        renew: async () => ({ accessToken: "puid_at_bad\r\nx", expiresAt: null }),
      },
      noExpiry: { read: async () => ({ accessToken: "puid_at_NoExpiry0123456789" }), renew: async () => ({ accessToken: "puid_at_NoExpiry0123456789" }) },
    };
    for (const [what, tokens] of Object.entries(stores)) {
      const { fetch, served } = tokenServer();
      const started = performance.now();
      const coordination = { pace, tokens: () => tokens } as unknown as Coordination;
      const puid = await Puid.fromClientCredentials({ ...options, fetch, coordination, timeout: 1_000 });
      expect({ what, quick: performance.now() - started < 2_500, tokens: served.tokens }).toEqual({ what, quick: true, tokens: 1 });
      expect(await puid.ids(1)).toHaveLength(1);
    }
  });
});

describe("shared token replies of the wrong shape", () => {
  test("a PEEK or lock answered with nil or OK is coordination_failed at once, not a lock to wait for", async () => {
    for (const answer of [null, "OK"]) {
      const log = recordingLogger();
      const client = { isReady: true, sendCommand: async () => answer };
      const tokens = createRedisCoordination({ client, prefix: "shape", logger: log.logger }).tokens("client-1", "secret-Shape0123456789");
      const started = performance.now();
      let minted = 0;
      const error = await rejection(
        PicketPuidError,
        tokens.renew(null, async () => (minted++, { accessToken: "puid_at_Minted0123456789", expiresAt: null })),
      );
      expect(error.code).toBe("coordination_failed");
      expect(performance.now() - started).toBeLessThan(500);
      expect(minted).toBe(0);
      expect(log.at("warn")).toHaveLength(1);
    }
  });
});

describe("a custom coordination that misbehaves", () => {
  const apiKey = "puid_live_CustomKeyHHHH0123456789";
  const make = (coordination: unknown, fetch: typeof globalThis.fetch, over: object = {}) =>
    new Puid({
      apiKey,
      endpoint: "https://puid.example/api",
      fetch,
      requestsPerSecond: RATE,
      maxRetries: 0,
      coordination: coordination as Coordination,
      ...over,
    });
  const noTokens = () => {
    throw new Error("no tokens here");
  };

  test("a coordination that is not one (42, {}, no tokens()) is invalid_option when the client is made", async () => {
    const { fetch } = idsServer();
    for (const coordination of [42, {}, { pace: () => ({}) }, null]) {
      const error = await rejection(PuidError, () => make(coordination, fetch));
      expect(error.code).toBe("invalid_option");
      expect(error.message).toMatch(/^coordination must be a Coordination/);
    }
  });

  test("answered() that throws loses no ids", async () => {
    const { fetch, arrivals } = idsServer();
    const answered = () => {
      throw new Error("report failed");
    };
    const puid = make({ pace: () => ({ claim: async () => ({ wait: 0, answered }) }), tokens: noTokens }, fetch);
    expect(await puid.ids(2)).toHaveLength(2);
    expect(await puid.ids(1)).toHaveLength(1);
    expect(arrivals).toHaveLength(2);
  });

  test("a wait or settle that is not a finite number >= 0 never sends early: the client paces itself (Infinity no longer hangs to the timeout)", async () => {
    for (const wait of [Number.NaN, -5, Number.POSITIVE_INFINITY, "800", undefined]) {
      const { fetch, arrivals } = idsServer();
      const puid = make({ pace: () => ({ claim: async () => (wait === undefined ? undefined : { wait }) }), tokens: noTokens }, fetch, { timeout: 1_000 });
      const started = performance.now();
      for (let i = 0; i < 3; i++) await puid.ids(1);
      expect(performance.now() - started).toBeLessThan(900);
      for (const gap of gaps(arrivals.map((a) => a.at))) expect(gap).toBeGreaterThanOrEqual(1000 / RATE); // its own pace holds
    }
    // A settle that answers NaN leaves the slot to decide: the request does not go out before it.
    const { fetch, arrivals } = idsServer();
    const puid = make({ pace: () => ({ claim: async () => ({ wait: 300, settle: async () => Number.NaN }) }), tokens: noTokens }, fetch);
    const asked = performance.now();
    await puid.ids(1);
    expect(arrivals[0]!.at - asked).toBeGreaterThanOrEqual(295);
  });

  test("a pace() that throws once is asked again on the next call, not remembered for the client's lifetime", async () => {
    const { fetch } = idsServer();
    let asked = 0;
    let claims = 0;
    const puid = make(
      {
        pace() {
          if (asked++ === 0) throw new Error("transient");
          return { claim: async () => (claims++, { wait: 0 }) };
        },
        tokens: noTokens,
      },
      fetch,
    );
    await puid.ids(1); // paced alone
    await puid.ids(1);
    await puid.ids(1);
    expect({ asked, claims }).toEqual({ asked: 2, claims: 2 });
  });

  test("tokens() that throws: fromClientCredentials keeps a token of its own, and the error is not blamed on the arguments", async () => {
    const { fetch, served } = tokenServer();
    const coordination = { pace: () => ({ claim: async () => ({ wait: 0 }) }), tokens: noTokens };
    const puid = await Puid.fromClientCredentials({
      clientId: "client_Custom0123",
      clientSecret: "secret_Custom0123456789",
      endpoint: "https://puid.example/api",
      fetch,
      coordination,
    });
    expect(await puid.ids(1)).toHaveLength(1);
    expect(served.tokens).toBe(1);
    // Only an error thrown while the arguments are read is called that.
    const getter = await rejection(
      PuidError,
      Puid.fromClientCredentials(
        Object.defineProperty({ clientSecret: "s" }, "clientId", {
          enumerable: true,
          get: () => {
            throw new Error("getter");
          },
        }) as never,
      ),
    );
    expect(getter.message).toMatch(/^The arguments could not be read/);
    const bug = await rejection(
      PuidError,
      guard(puidErrors, async () => {
        throw new TypeError("x is not a function");
      }),
    );
    expect(bug).toMatchObject({ code: "invalid_request" });
    expect(bug.message).not.toMatch(/arguments could not be read/);
  });
});
