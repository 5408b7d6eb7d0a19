// picket-puid/redis across real processes: each worker (test/fixtures/redis-worker.ts, run with
// child_process.fork) has its own node-redis client and coordination, as a fleet would.
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { Token } from "../src/core/token-source.js";
import { createRedisCoordination } from "../src/redis/index.js";
import type { WorkerJob, WorkerMessage } from "./fixtures/redis-worker.js";
import { connect, monitor, startRedis, type RedisClient, type RedisServer } from "./support/redis.js";
import { bundle, startAll, stopAll, type Bundle, type CommonMessage, type Worker } from "./support/workers.js";

const WORKER_SOURCE = fileURLToPath(new URL("./fixtures/redis-worker.ts", import.meta.url));

let server: RedisServer;
let bundled: Bundle;
let admin: RedisClient;
const workers: Worker<WorkerMessage | CommonMessage>[] = [];
const clients: RedisClient[] = [];

beforeAll(async () => {
  [bundled, server] = await Promise.all([bundle(WORKER_SOURCE), startRedis()]);
  admin = await connect(server.url);
});
afterAll(async () => {
  admin?.destroy();
  await Promise.all([server?.stop(), bundled?.close()]);
});
afterEach(() => {
  stopAll(workers.splice(0));
  clients.splice(0).forEach((client) => client.destroy());
});

/** Start `count` workers, wait until all are connected, then let them go at once. */
async function fleet(count: number, job: Omit<WorkerJob, "url">): Promise<Worker<WorkerMessage | CommonMessage>[]> {
  const started = await startAll<WorkerMessage>(bundled, count, { ...job, url: server.url });
  workers.push(...started);
  return started;
}

const secret = "fleet-secret-Qm3nP5rS7tU9vW1xY3zA";

describe("processes sharing one Redis", () => {
  test("claims from 4 processes are granted one interval apart in Redis time, none twice", async () => {
    const prefix = "claims";
    const watch = await monitor(server.url);
    const interval = 30;
    const started = await fleet(4, { mode: "claim", prefix, key: "acct", intervalMs: interval, claims: 6 });
    const results = await Promise.all(started.map((w) => w.next("claimed")));
    const sets = await watch.until(new RegExp(`"SET" "${prefix}:pace:acct"`), 24);
    watch.close();

    const slots = sets.map((line) => Number(/"SET" "[^"]+" "([\d.]+)"/.exec(line)?.[1]));
    expect(new Set(slots).size).toBe(24);
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(interval - 0.001);
    // Claims that reached Redis before the previous slot had passed are exactly one interval apart.
    const back = slots.filter((_, i) => i > 0 && slots[i]! - slots[i - 1]! < interval + 0.001).length;
    expect(back).toBeGreaterThan(0);
    expect(results.flatMap((r) => r.waits)).toHaveLength(24);
  }, 30_000);

  test("20 processes that find no token renew at once: one mint, and all 20 get that token", async () => {
    const prefix = "renew20";
    const started = await fleet(20, { mode: "renew", prefix, key: "client-1", secret, mintDelayMs: 200 });
    const results = await Promise.all(started.map((w) => w.next("renewed")));
    expect(await admin.get(`${prefix}:test:mints`)).toBe("1");
    expect(results.filter((r) => r.minted)).toHaveLength(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(await admin.exists(`${prefix}:lock:client-1`)).toBe(0);
    // The token they agree on is the one stored, sealed.
    const reader = await connect(server.url);
    clients.push(reader);
    const stored = await createRedisCoordination({ client: reader, prefix }).tokens("client-1", secret).read();
    expect(stored?.accessToken).toBe(results[0]!.accessToken);
    expect(started.flatMap((w) => w.logs)).toEqual([]);
  }, 120_000); // twenty Node processes starting on a shared two-core machine: 8 s alone, 26 s seen under load

  test("a holder killed mid-mint blocks the others only until its lease ends; then one of them mints", async () => {
    const prefix = "killed";
    const lockLeaseMs = 1_500;
    const lock = `${prefix}:lock:client-1`;
    const [holder] = await fleet(1, { mode: "hang", prefix, key: "client-1", secret, lockLeaseMs });
    await holder!.next("minting");

    let mints = 0;
    const mint = async (): Promise<Token> => {
      mints++;
      return { accessToken: `puid_at_AfterTheLease${mints}0123456789ab`, expiresAt: Date.now() + 3_600_000 };
    };
    const waiters = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const client = await connect(server.url);
        clients.push(client);
        return createRedisCoordination({ client, prefix, lockLeaseMs }).tokens("client-1", secret);
      }),
    );
    const renewals = waiters.map((tokens) => tokens.renew(null, mint).then((token) => ({ token, at: performance.now() })));

    const gone = new Promise((resolve) => holder!.child.once("exit", resolve));
    holder!.child.kill("SIGKILL");
    await gone;
    const killedAt = performance.now();
    const leaseLeft = await admin.pTTL(lock);
    expect(leaseLeft).toBeGreaterThan(0); // nobody released it: its holder is dead

    const done = await Promise.all(renewals);
    expect(mints).toBe(1);
    expect(new Set(done.map((d) => d.token.accessToken)).size).toBe(1);
    const first = Math.min(...done.map((d) => d.at)) - killedAt;
    const last = Math.max(...done.map((d) => d.at)) - killedAt;
    expect(first).toBeGreaterThanOrEqual(leaseLeft - 50); // blocked while the lease lasted
    expect(last).toBeLessThan(leaseLeft + 1_000); // and not much longer
  }, 30_000);
});
