// Pacing against the PUID emulator's own rate limit (one /v1/ids request a second per account,
// judged by arrival): one client never meets it, however its calls come; a second client on the
// same account that does not pace meets it and is retried after the server's retryAfterMs. The
// client paces by its own clock, so these emulators run on real time; the quota test, which is
// not about pacing, steps a manual clock instead.
import { afterEach, describe, expect, test } from "vitest";
import { createPuidEmulator, type PuidEmulator } from "../src/emulator/puid.js";
import { manualClock, type Listening } from "../src/emulator/serve.js";
import { Puid, PuidError, decodePuid } from "../src/puid/index.js";
import { rejection } from "./support/rejection.js";

const endpoint = "http://127.0.0.1/api";

const servers: Listening[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The /v1/ids requests the emulator saw: when each arrived (its clock), what it asked and what it answered. */
const idsRequests = (emulator: PuidEmulator) => emulator.log.filter(({ path }) => path.startsWith("/api/v1/ids"));

/** Milliseconds between consecutive arrivals. */
const gaps = (arrivals: readonly { at: number }[]) => arrivals.slice(1).map((request, i) => request.at - arrivals[i]!.at);

describe("one Puid client against the emulator's rate limit", () => {
  test("three concurrent ids() over a real port: no 429 even with maxRetries 0, answered in call order, arrivals a second apart", async () => {
    const emulator = createPuidEmulator();
    const server = await emulator.listen();
    servers.push(server);
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: server.url, maxRetries: 0 });
    const results = await Promise.all([puid.ids(1), puid.ids(2), puid.ids(3)]);
    expect(results.map((ids) => ids.length)).toEqual([1, 2, 3]);
    expect(results.flat().map(decodePuid)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]); // one counter: call order is ordinal order
    const requests = idsRequests(emulator);
    expect(requests.map(({ path, status }) => [path, status])).toEqual([
      ["/api/v1/ids?n=1", 200],
      ["/api/v1/ids?n=2", 200],
      ["/api/v1/ids?n=3", 200],
    ]);
    for (const gap of gaps(requests)) expect(gap).toBeGreaterThanOrEqual(1000);
  });

  test("without pacing the same calls meet the limit: the emulator really enforces it", async () => {
    const emulator = createPuidEmulator();
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint, fetch: emulator.fetch, requestsPerSecond: false, maxRetries: 0 });
    const outcomes = await Promise.allSettled([puid.ids(1), puid.ids(1)]);
    const refused = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ status: 429, code: "rate_limited" });
    expect(emulator.usage().used).toBe(1);
  });

  test("generate(25): requests of 10, 10 and 5, none refused, 25 distinct ids that are the ones the server issued", async () => {
    const emulator = createPuidEmulator();
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint, fetch: emulator.fetch, maxRetries: 0 });
    const ids: string[] = [];
    for await (const id of puid.generate(25)) ids.push(id);
    expect(new Set(ids).size).toBe(25);
    const requests = idsRequests(emulator);
    expect(requests.map(({ path, status }) => [path, status])).toEqual([
      ["/api/v1/ids?n=10", 200],
      ["/api/v1/ids?n=10", 200],
      ["/api/v1/ids?n=5", 200],
    ]);
    expect(requests.flatMap((request) => request.ids)).toEqual(ids);
    for (const gap of gaps(requests)) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(emulator.usage().used).toBe(25);
  });

  test("quota() and ordinal() do not wait for a turn: they arrive within the second after an ids()", async () => {
    const emulator = createPuidEmulator();
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint, fetch: emulator.fetch, maxRetries: 0 });
    const [id] = await puid.ids(1);
    await Promise.all([puid.quota(), puid.ordinal(id!), puid.quota(), puid.ordinal(id!)]);
    const [first, ...others] = emulator.log;
    expect(others.map(({ path, status }) => `${path.split("/")[3]} ${status}`).sort()).toEqual(["ordinal 200", "ordinal 200", "quota 200", "quota 200"]);
    // A paced request would have come at least 1050 ms after the ids().
    for (const request of others) expect(request.at - first!.at).toBeLessThan(1000);
  });

  test("a first request slowed on its way (connection setup) does not squeeze the next one into its second", async () => {
    const emulator = createPuidEmulator();
    let first = true;
    const slowFirst = async (request: Request) => {
      if (first) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, 300)); // 300 ms before the request reaches the server
      }
      return emulator.fetch(request);
    };
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint, fetch: slowFirst, maxRetries: 0 });
    await Promise.all([puid.ids(1), puid.ids(1)]);
    const requests = idsRequests(emulator);
    expect(requests.map(({ status }) => status)).toEqual([200, 200]);
    expect(gaps(requests)[0]).toBeGreaterThanOrEqual(1000);
  });
});

describe("two clients on one account: the server's 429 and its retryAfterMs", () => {
  test("a client that does not pace is refused, waits the retryAfterMs the server gave, and is answered; the refusal spent nothing", async () => {
    const emulator = createPuidEmulator();
    const apiKey = emulator.apiKeys[0]!;
    const paced = new Puid({ apiKey, endpoint, fetch: emulator.fetch });
    const waits: string[] = [];
    const logger = { debug() {}, info: (message: string) => waits.push(message), warn() {}, error() {} };
    const eager = new Puid({ apiKey, endpoint, fetch: emulator.fetch, requestsPerSecond: false, logger, logLevel: "info" });
    await paced.ids(1);
    const refused = await rejection(PuidError, eager.ids(1, { maxRetries: 0 }));
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1000);

    const [late] = await eager.ids(1);
    const requests = idsRequests(emulator);
    expect(requests.map(({ status }) => status)).toEqual([200, 429, 429, 200]);
    // The retry waited what the second 429 asked, so it came a second or more after the first success.
    const asked = 1000 - (requests[2]!.at - requests[0]!.at);
    expect(waits).toEqual([
      expect.stringMatching(new RegExp(`^\\[picket-puid\\] retrying GET \\S+/v1/ids\\?n=1 in ${asked} ms after HTTP 429 \\(retry 1 of 2\\)$`)),
    ]);
    expect(requests[3]!.at - requests[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(decodePuid(late!)).toBe(2n);
    expect(emulator.usage()).toMatchObject({ used: 2 });
  });
});

describe("generate() and the daily quota", () => {
  test("generate(30) with 20 left today: yields the 20, then ends with quota_exceeded; nothing more is spent", async () => {
    const clock = manualClock(Date.UTC(2026, 5, 1, 12));
    const emulator = createPuidEmulator({ now: clock.now, dailyLimit: 20 });
    // Pacing is not what this test is about: the emulator's clock moves a second per request instead.
    const stepping = (request: Request) => {
      clock.advance(1000);
      return emulator.fetch(request);
    };
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint, fetch: stepping, requestsPerSecond: false });
    const seen: string[] = [];
    const error = await rejection(
      PuidError,
      (async () => {
        for await (const id of puid.generate(30)) seen.push(id);
      })(),
    );
    expect(error).toMatchObject({ status: 402, code: "quota_exceeded", upgradeUrl: "http://127.0.0.1/upgrade" });
    expect(error.body).toMatchObject({ used: 20, limit: 20 });
    expect(seen).toEqual(emulator.issued.map(({ id }) => id));
    expect(seen).toHaveLength(20);
    expect(idsRequests(emulator).map(({ path, status }) => [path, status])).toEqual([
      ["/api/v1/ids?n=10", 200],
      ["/api/v1/ids?n=10", 200],
      ["/api/v1/ids?n=10", 402],
    ]);
    expect(emulator.usage()).toMatchObject({ used: 20, remaining: 0 });
  });

  test("generate(0) yields nothing and sends nothing; a total that is not a whole number >= 0 is invalid_count", async () => {
    const emulator = createPuidEmulator();
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint, fetch: emulator.fetch });
    const none: string[] = [];
    for await (const id of puid.generate(0)) none.push(id);
    expect(none).toEqual([]);
    for (const total of [-1, 2.5, Number.NaN, "5"]) {
      await expect(puid.generate(total as number).next()).rejects.toMatchObject({ code: "invalid_count", status: null });
    }
    expect(emulator.log).toEqual([]);
  });
});
