// picket-puid/redis when Redis fails: killed (and restarted on the same port), slowed by
// DEBUG SLEEP, or never connected. Every operation must reject within its bound, never wait in
// node-redis's offline queue, log one warning per outage and one line when Redis is back.
import { once } from "node:events";
import { afterEach, describe, expect, test } from "vitest";
import { createClient } from "redis";
import { PicketPuidError } from "../src/core/errors.js";
import type { Token } from "../src/core/token-source.js";
import { createRedisCoordination } from "../src/redis/index.js";
import { commandCalls, connect, recordingLogger, startRedis, untilAsleep, type RedisClient, type RedisServer } from "./support/redis.js";
import { expectNoSecret } from "./support/secrets.js";

const servers: RedisServer[] = [];
const clients: RedisClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((client) => client.destroy());
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function setup() {
  const server = await startRedis();
  servers.push(server);
  const [client, admin] = [await connect(server.url), await connect(server.url)];
  clients.push(client, admin);
  const log = recordingLogger();
  const coordination = createRedisCoordination({ client, prefix: "p", timeoutMs: TIMEOUT_MS, logger: log.logger });
  return { server, client, admin, log, pace: coordination.pace("acct"), tokens: coordination.tokens("client-1", secret) };
}

const TIMEOUT_MS = 250;
/** What "within about timeoutMs" means in these tests: the limit plus room for a busy machine. */
const BOUND_MS = 1_000;
const secret = "outage-secret-Kp2Lq4Mr6Ns8Ot0Pu2Qv";
const token = (): Token => ({ accessToken: "puid_at_OutageTestToken0123456789abcd", expiresAt: Date.now() + 3_600_000, refreshToken: null });

/** Time a promise; returns its outcome and the milliseconds it took. */
async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    return { ms: performance.now() - start, value: await run() };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

function expectStoreFailure(outcome: { ms: number; error?: unknown }, maxMs: number = BOUND_MS): PicketPuidError {
  expect(outcome.error).toBeInstanceOf(PicketPuidError);
  const error = outcome.error as PicketPuidError;
  expect(["coordination_timeout", "coordination_unavailable"]).toContain(error.code);
  expect(outcome.ms).toBeLessThan(maxMs);
  expectNoSecret(error, [secret]);
  return error;
}

describe("Redis killed and restarted", () => {
  test("operations reject within the bound and log one warning; after the restart they succeed and log one info line; nothing was queued meanwhile", async () => {
    const { server, client, admin, log, pace, tokens } = await setup();
    await tokens.renew(null, async () => token());
    expect((await pace.claim(100)).wait).toBe(0);

    await server.kill();
    // Many at once, some surely sent before node-redis noticed, then one after another.
    const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => timed<unknown>(() => (i % 2 ? pace.claim(100) : tokens.read()))));
    burst.forEach((outcome) => expectStoreFailure(outcome));
    // node-redis has noticed by now; from here nothing is even sent: each call fails at once.
    expect(client.isReady).toBe(false);
    for (let i = 0; i < 5; i++) expectStoreFailure(await timed(() => pace.claim(100)), 50);
    let minted = 0;
    expectStoreFailure(await timed(() => tokens.renew(null, async () => (minted++, token()))));
    expect(minted).toBe(0); // the caller mints locally instead; nothing here minted without a lock
    expect(log.at("warn")).toHaveLength(1);
    expect(log.at("info")).toHaveLength(0);

    await server.restart();
    if (!client.isReady) await once(client, "ready");
    if (!admin.isReady) await once(admin, "ready");
    expect((await pace.claim(100)).wait).toBe(0); // a fresh server: no slot taken
    expect(log.at("info")).toHaveLength(1);
    expect(log.at("warn")).toHaveLength(1);
    // Had any of the 206 failed operations waited in node-redis's offline queue, it would have
    // run on reconnecting, before this claim: the new server has seen the one claim only
    // (EVALSHA, NOSCRIPT on a fresh server, then EVAL; the script's TIME, GET and SET).
    const calls = await commandCalls(admin);
    expect(calls.get).toBe(1);
    expect(calls.set).toBe(1);
    expect((calls.evalsha ?? 0) + (calls.eval ?? 0)).toBeLessThanOrEqual(2);

    const renewed = token();
    expect(await tokens.renew(null, async () => renewed)).toEqual(renewed);
    expect((await pace.claim(100)).wait).toBeGreaterThan(0);
    expect(log.lines).toHaveLength(2);
    expectNoSecret(log.lines, [secret, renewed.accessToken, "client-1"]);
  }, 30_000);

  test("a second outage logs a second warning, and a second recovery a second info line", async () => {
    const { server, client, log, pace } = await setup();
    for (let outage = 1; outage <= 2; outage++) {
      await server.kill();
      for (let i = 0; i < 3; i++) expectStoreFailure(await timed(() => pace.claim(10)));
      await server.restart();
      if (!client.isReady) await once(client, "ready");
      await pace.claim(10);
      expect(log.at("warn")).toHaveLength(outage);
      expect(log.at("info")).toHaveLength(outage);
    }
  }, 30_000);
});

describe("Redis slowed", () => {
  test("DEBUG SLEEP 2: the first operation rejects at its time limit, the rest at once; none piles up; then they succeed again", async () => {
    const { server, client, admin, log, pace, tokens } = await setup();
    await pace.claim(10); // scripts loaded, connection warm
    const before = await commandCalls(admin);

    const sleeping = admin.sendCommand(["DEBUG", "SLEEP", "2"]);
    await untilAsleep(server.port);
    const first = await timed(() => pace.claim(10));
    expect(expectStoreFailure(first).code).toBe("coordination_timeout");
    expect(first.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    // While that claim is still unanswered, the others do not queue behind it.
    const rest = await Promise.all(Array.from({ length: 100 }, (_, i) => timed<unknown>(() => (i % 2 ? pace.claim(10) : tokens.read()))));
    rest.forEach((outcome) => expect(expectStoreFailure(outcome, 100).code).toBe("coordination_unavailable"));
    expect(log.at("warn")).toHaveLength(1);

    expect(await sleeping).toBe("OK");
    await client.ping(); // answered after the timed-out claim's reply, on the same connection
    const during = await commandCalls(admin);
    expect((during.evalsha ?? 0) - (before.evalsha ?? 0)).toBe(1); // only the first claim reached Redis

    expect((await pace.claim(10)).wait).toBeGreaterThanOrEqual(0);
    expect(await tokens.read()).toBeNull();
    expect(log.at("info")).toHaveLength(1);
    expect(log.at("warn")).toHaveLength(1);
  }, 30_000);
});

describe("Redis answering with an error", () => {
  test("out of memory (OOM) is an outage: rejected, one warning; when memory is back, one info line", async () => {
    const { admin, log, pace } = await setup();
    await admin.configSet("maxmemory", "1");
    const error = expectStoreFailure(await timed(() => pace.claim(10)));
    expect(error.code).toBe("coordination_unavailable");
    expect(error.message).toContain("OOM");
    expectStoreFailure(await timed(() => pace.claim(10)));
    expect(log.at("warn")).toHaveLength(1);
    await admin.configSet("maxmemory", "0");
    expect((await pace.claim(10)).wait).toBe(0);
    expect(log.at("info")).toHaveLength(1);
  });

  test("a key of the wrong type fails its own operation only, with one warning (sharing it is off), and the rest go on", async () => {
    const { admin, log, pace, tokens } = await setup();
    await admin.hSet("p:token:client-1", "not", "ours");
    for (let i = 0; i < 3; i++) {
      const outcome = await timed(() => tokens.read());
      expect(outcome.error).toBeInstanceOf(PicketPuidError);
      expect(outcome.error).toMatchObject({ code: "coordination_failed", message: "Redis refused a command (WRONGTYPE)" });
      expect((await pace.claim(10)).wait).toBeGreaterThanOrEqual(0);
    }
    expect(log.lines.map((line) => line.level)).toEqual(["warn"]);
    expect(log.at("warn")[0]!.message).toMatch(/^picket-puid\/redis: Redis refused a command \(WRONGTYPE\).*another program/);
  });
});

describe("a client that is not ready", () => {
  test("never connected, or closed: operations reject at once, with one warning", async () => {
    const log = recordingLogger();
    const unconnected = createClient({ url: "redis://127.0.0.1:1" });
    const coordination = createRedisCoordination({ client: unconnected, logger: log.logger });
    const outcomes = [await timed(() => coordination.pace("acct").claim(10)), await timed(() => coordination.tokens("client-1", secret).read())];
    outcomes.forEach((outcome) => expect(expectStoreFailure(outcome, 50).code).toBe("coordination_unavailable"));

    const { client, pace } = await setup();
    client.destroy();
    expect(expectStoreFailure(await timed(() => pace.claim(10)), 50).code).toBe("coordination_unavailable");
    expect(log.at("warn")).toHaveLength(1);
  });
});

describe("a logger that throws", () => {
  test("never escapes from the store's timers and callbacks: operations still reject with the store's error, in time", async () => {
    const boom = () => {
      throw new TypeError("the log sink is closed");
    };
    const logger = { debug: boom, info: boom, warn: boom, error: boom };
    // Not ready (a callback logs the outage), and never answering (the timer logs it).
    const down = createRedisCoordination({ client: { isReady: false, sendCommand: async () => null }, logger });
    expect(expectStoreFailure(await timed(() => down.pace("acct").claim(10)), 500).code).toBe("coordination_unavailable");
    const stalled = createRedisCoordination({ client: { isReady: true, sendCommand: () => new Promise<never>(() => {}) }, logger, timeoutMs: 50 });
    expect(expectStoreFailure(await timed(() => stalled.pace("acct").claim(10)), 500).code).toBe("coordination_timeout");
    expect(expectStoreFailure(await timed(() => stalled.tokens("client-1", secret).read()), 500).code).toBe("coordination_unavailable"); // the probe still waits
  });
});
