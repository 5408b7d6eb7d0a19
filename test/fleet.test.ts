// A fleet of real processes sharing one PUID account through picket-puid/redis, against the PUID
// emulator (1 `/v1/ids` request per second per account) and a real redis-server. The rate
// figures are measured at the server; `npm run bench:fleet` prints the same runs as a table.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  bundleWorker,
  runIds,
  startServer,
  startTokenFleet,
  stopFleet,
  tokenRequests,
  type FleetBundle,
  type FleetServer,
  type IdsRun,
} from "./fleet/fleet.js";
import { startRedis, type RedisServer } from "./support/redis.js";

let bundle: FleetBundle;
let server: FleetServer;
let redis: RedisServer;

beforeAll(async () => {
  [bundle, server, redis] = await Promise.all([bundleWorker(), startServer(), startRedis()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([bundle?.close(), server?.close(), redis?.stop()]);
});

/** Every id the server issued reached a caller, once, and nothing else did. */
function noIdLost(run: IdsRun) {
  expect(new Set(run.received).size).toBe(run.received.length);
  expect([...run.received].sort()).toEqual([...run.issued].sort());
}

const LIMIT = 1; // requests per second per account

/** Each `/v1/ids` request as "status +gap ms". */
const gaps = (run: IdsRun) => run.arrivals.map((a, i) => `${a.status} +${i === 0 ? 0 : a.at - run.arrivals[i - 1]!.at}`);

describe.sequential("a fleet sharing one API key", () => {
  // For each size: the shared run, then the control without Redis on the same server (the
  // account's last request is more than a second old by then, so neither run inherits a wait).
  for (const processes of [4, 16]) {
    test(`${processes} processes: shared pacing gives no 429 and the server's limit within 5%; alone they collide`, async () => {
      const shared = await runIds(bundle, server, { processes, durationMs: 8_000, redisUrl: redis.url });
      // On failure, the server's view: each request's status and its gap to the previous one.
      const picture = { tooMany: shared.tooMany, errors: shared.errors, logs: shared.logs.flat(), arrivals: gaps(shared) };
      expect(picture).toEqual({ tooMany: 0, errors: {}, logs: [], arrivals: picture.arrivals });
      expect(shared.requests).toBeGreaterThanOrEqual(8);
      expect(shared.rate, JSON.stringify(picture.arrivals)).toBeGreaterThanOrEqual(LIMIT * 0.95);
      expect(shared.rate).toBeLessThanOrEqual(LIMIT * 1.05);
      noIdLost(shared);

      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const control = await runIds(bundle, server, { processes, durationMs: 4_000, redisUrl: null });
      expect(control.tooMany).toBeGreaterThan(processes);
      noIdLost(control);
    }, 90_000);
  }

  test("Redis killed mid-run: one warning per process, each paces alone, all share again once it is back; no id is lost", async () => {
    const processes = 4;
    let began = 0;
    const run = await runIds(bundle, server, {
      processes,
      durationMs: 14_000,
      redisUrl: redis.url,
      during: async (startedAt) => {
        began = startedAt;
        const at = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + ms - Date.now())));
        await at(3_000);
        await redis.kill();
        // Down long enough that every process calls at least once meanwhile (each waits for its
        // shared slot, up to one interval per process, before it next touches Redis).
        await at(9_000);
        await redis.restart();
      },
    });
    for (const lines of run.logs) {
      const warnings = lines.filter((line) => line.level === "warn");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toMatch(/^picket-puid\/redis: .*fall back to each process until Redis answers again$/);
      expect(lines.filter((line) => line.level === "info" && /Redis answers again/.test(line.message))).toHaveLength(1);
    }
    noIdLost(run);
    // While it was down the processes collided (the control's picture); once it is back, the pace
    // is shared again: nothing after the first second back is refused.
    const refusedLate = run.arrivals.filter((a) => a.status === 429 && a.at > began + 10_000);
    expect(refusedLate).toEqual([]);
    expect(Object.keys(run.errors).filter((code) => code !== "rate_limited")).toEqual([]);
  }, 90_000);
});

describe("a fleet sharing one OAuth client", () => {
  test("20 processes starting at once make one token request; when it expires, one more", async () => {
    const from = server.emulator.log.length;
    const workers = await startTokenFleet(bundle, server, redis.url, 20);
    try {
      const first = await Promise.all(workers.map((w) => w.next("done")));
      const start = { errors: first.flatMap((r) => r.errors), tokenRequests: tokenRequests(server.emulator, from), logs: workers.flatMap((w) => w.logs) };
      expect(start).toEqual({ errors: [], tokenRequests: 1, logs: [] });

      // The server's clock passes the token's hour: every process's next call is refused (401)
      // with the token it holds, and one of them gets the next token for all.
      const tokens = server.emulator.tokens.length;
      server.skip(3_600_000 + 1_000);
      const middle = server.emulator.log.length;
      workers.forEach((w) => w.child.send({ type: "again" }));
      const second = await Promise.all(workers.map((w) => w.next("done")));
      const renewal = { errors: second.flatMap((r) => r.errors), tokenRequests: tokenRequests(server.emulator, middle), logs: workers.flatMap((w) => w.logs) };
      expect(renewal).toEqual({ errors: [], tokenRequests: 1, logs: [] });
      expect(server.emulator.tokens.length).toBe(tokens + 1);
      expect(server.emulator.log.slice(middle).filter((e) => e.path === "/api/v1/quota" && e.status === 401)).toHaveLength(20);
    } finally {
      stopFleet(workers);
    }
  }, 120_000);
});
