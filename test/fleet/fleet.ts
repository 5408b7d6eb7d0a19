// A fleet of processes sharing one PUID account, for test/fleet.test.ts and bench/fleet.ts: the
// PUID emulator serves in this process (its log is the server's view), each worker
// (test/fleet/worker.ts, bundled once with esbuild so twenty of them start in seconds) is a
// forked Node process with its own client and, when shared, its own Redis connection.
import { fileURLToPath } from "node:url";
import { createPuidEmulator, type PuidEmulator } from "../../src/emulator/index.js";
import { bundle, startAll, stopAll, type Bundle, type CommonMessage, type Worker } from "../support/workers.js";
import type { FleetJob, FleetMessage } from "./worker.js";

const WORKER_SOURCE = fileURLToPath(new URL("./worker.ts", import.meta.url));

export const API_KEY = "puid_live_FleetSharedKey0123456789ab";
export const CLIENT_ID = "fleet-client";
export const CLIENT_SECRET = "fleet-secret-4kT8mQ2wZ6yB0nC3";
const ACCOUNT = "team_fleet";

export type FleetBundle = Bundle;
export type FleetWorker = Worker<FleetMessage | CommonMessage>;

/** The fleet worker, bundled once. */
export const bundleWorker = (): Promise<FleetBundle> => bundle(WORKER_SOURCE);

/**
 * An emulator with one unlimited account (so only the rate limit, not the daily quota, is met),
 * its API key and one client-credentials client, served on a free port. Its clock is the real one
 * plus `skip(ms)`, so a test can make every token expire without waiting.
 */
export async function startServer() {
  let skipped = 0;
  const emulator = createPuidEmulator({
    accounts: [{ id: ACCOUNT, plan: "pro", apiKeys: [API_KEY] }],
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [] }],
    now: () => Date.now() + skipped,
  });
  const served = await emulator.listen();
  return {
    emulator,
    endpoint: served.url,
    skip: (ms: number) => void (skipped += ms),
    close: () => served.close(),
  };
}

export type FleetServer = Awaited<ReturnType<typeof startServer>>;

/** Start `count` workers on `job`, wait until every one has its client, then let them go at once. */
export const startFleet = (bundled: FleetBundle, count: number, job: FleetJob): Promise<FleetWorker[]> => startAll<FleetMessage>(bundled, count, job);
export const stopFleet = stopAll;

/** `count` workers that each make a client from the one OAuth client's credentials, sharing its token through Redis, all at once. */
export const startTokenFleet = (bundled: FleetBundle, server: FleetServer, redisUrl: string, count: number): Promise<FleetWorker[]> =>
  startFleet(bundled, count, { mode: "token", endpoint: server.endpoint, redisUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redisTimeoutMs: 2_000 });

/** What a run of `ids` workers looked like from the server and from the callers. */
export interface IdsRun {
  processes: number;
  shared: boolean;
  /** `/v1/ids` requests the server got, and how many it answered 429. */
  requests: number;
  tooMany: number;
  /** Successful `/v1/ids` requests per second at the server (least squares over their arrival times). */
  rate: number;
  /** Ids the server issued to the account, and ids the callers received. */
  issued: string[];
  received: string[];
  /** Errors the callers got, by code. */
  errors: Record<string, number>;
  /** Each worker's log lines. */
  logs: { level: string; message: string }[][];
  /** The server's log of the run's `/v1/ids` requests. */
  arrivals: { at: number; status: number }[];
}

export interface IdsRunOptions {
  processes: number;
  /** How long each worker keeps starting calls; a call started before then is waited for. */
  durationMs: number;
  /** The shared Redis; `null` for the control run, where each process paces only itself. */
  redisUrl: string | null;
  /**
   * Whether each process makes one (unpaced) request before the run, as a process that has been
   * running has: default `true`. A cold process's first request comes late (Node loads `fetch` and
   * connects: 40–110 ms on a busy two-core machine), more than the 50 ms margin of the pace.
   */
  warm?: boolean;
  /** Called once every worker is going, with the time it started (`Date.now()`). */
  during?: (startedAt: number) => Promise<void>;
}

/** Run `processes` workers that call `ids(10)` with one API key until `durationMs` is over. */
export async function runIds(bundle: FleetBundle, server: FleetServer, options: IdsRunOptions): Promise<IdsRun> {
  const { processes, durationMs, redisUrl } = options;
  const from = server.emulator.log.length;
  const issuedBefore = server.emulator.issued.length;
  const workers = await startFleet(bundle, processes, {
    mode: "ids",
    endpoint: server.endpoint,
    redisUrl,
    apiKey: API_KEY,
    durationMs,
    warm: options.warm ?? true,
  });
  try {
    const startedAt = Date.now();
    const [results] = await Promise.all([Promise.all(workers.map((w) => w.next("done"))), options.during?.(startedAt)]);
    const arrivals = server.emulator.log
      .slice(from)
      .filter((entry) => entry.path.startsWith("/api/v1/ids"))
      .map(({ at, status }) => ({ at, status }));
    const errors: Record<string, number> = {};
    for (const { code, status } of results.flatMap((r) => r.errors)) {
      const name = code ?? `status ${status}`;
      errors[name] = (errors[name] ?? 0) + 1;
    }
    return {
      processes,
      shared: redisUrl !== null,
      requests: arrivals.length,
      tooMany: arrivals.filter((a) => a.status === 429).length,
      rate: rateOf(arrivals.filter((a) => a.status === 200).map((a) => a.at)),
      issued: server.emulator.issued
        .slice(issuedBefore)
        .filter((id) => id.account === ACCOUNT)
        .map((id) => id.id),
      received: results.flatMap((r) => r.ids),
      errors,
      logs: workers.map((w) => w.logs),
      arrivals,
    };
  } finally {
    stopFleet(workers);
  }
}

/**
 * Requests per second from arrival times (ms): the inverse of the least-squares slope of time
 * over request number, so one late or early arrival moves it far less than it moves the span.
 */
export function rateOf(times: readonly number[]): number {
  const n = times.length;
  if (n < 2) return 0;
  const meanIndex = (n - 1) / 2;
  const meanTime = times.reduce((sum, t) => sum + t, 0) / n;
  let covariance = 0;
  let variance = 0;
  times.forEach((t, i) => {
    covariance += (i - meanIndex) * (t - meanTime);
    variance += (i - meanIndex) ** 2;
  });
  return 1000 / (covariance / variance);
}

/** Token requests the server got since log entry `from`. */
export function tokenRequests(emulator: PuidEmulator, from = 0): number {
  return emulator.log.slice(from).filter((entry) => entry.path.startsWith("/api/oauth/token")).length;
}
