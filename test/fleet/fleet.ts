// A fleet of processes sharing one PUID account, for test/fleet.test.ts and bench/fleet.ts: the
// PUID emulator serves in this process (its log is the server's view), each worker
// (test/fleet/worker.ts, bundled once with esbuild so twenty of them start in seconds) is a
// forked Node process with its own client and, when shared, its own Redis connection.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { createPuidEmulator, type PuidEmulator } from "../../src/emulator/index.js";
import type { FleetJob, FleetMessage } from "./worker.js";

const WORKER_SOURCE = fileURLToPath(new URL("./worker.ts", import.meta.url));

export const API_KEY = "puid_live_FleetSharedKey0123456789ab";
export const CLIENT_ID = "fleet-client";
export const CLIENT_SECRET = "fleet-secret-4kT8mQ2wZ6yB0nC3";
const ACCOUNT = "team_fleet";

/** The bundled worker; `close()` removes it. */
export interface FleetBundle {
  readonly file: string;
  close(): Promise<void>;
}

export async function bundleWorker(): Promise<FleetBundle> {
  const dir = await mkdtemp(path.join(tmpdir(), "picket-puid-fleet-"));
  const file = path.join(dir, "fleet-worker.cjs");
  await build({ entryPoints: [WORKER_SOURCE], outfile: file, bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning" });
  return { file, close: () => rm(dir, { recursive: true, force: true }) };
}

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

/** One forked worker: its messages in order, and its log lines. */
export interface FleetWorker {
  readonly child: ChildProcess;
  /** The next not yet taken message of `type`, waiting for it; rejects if the worker exits first. */
  next<T extends FleetMessage["type"]>(type: T): Promise<Extract<FleetMessage, { type: T }>>;
  readonly logs: { level: string; message: string }[];
}

export function startWorker(bundle: FleetBundle, job: FleetJob): FleetWorker {
  const child = fork(bundle.file, [JSON.stringify(job)], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const inbox: FleetMessage[] = [];
  const logs: { level: string; message: string }[] = [];
  const waiting = new Set<() => void>();
  let exit: string | null = null;
  child.on("message", (message: FleetMessage) => {
    if (message.type === "log") logs.push({ level: message.level, message: message.message });
    else inbox.push(message);
    waiting.forEach((check) => check());
  });
  child.on("exit", (code, signal) => {
    exit = `exited (${code ?? signal})`;
    waiting.forEach((check) => check());
  });
  return {
    child,
    logs,
    next(type) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const at = inbox.findIndex((m) => m.type === type || m.type === "failed");
          if (at >= 0) {
            const [message] = inbox.splice(at, 1);
            waiting.delete(check);
            if (message!.type === "failed") reject(new Error(`a worker failed: ${message!.message}`));
            else resolve(message as never);
          } else if (exit !== null) {
            waiting.delete(check);
            reject(new Error(`a worker ${exit} before sending "${type}"`));
          }
        };
        waiting.add(check);
        check();
      });
    },
  };
}

/** Start `count` workers, wait until every one has its client, then let them go at once. */
export async function startFleet(bundle: FleetBundle, count: number, job: FleetJob): Promise<FleetWorker[]> {
  const workers = Array.from({ length: count }, () => startWorker(bundle, job));
  try {
    await Promise.all(workers.map((w) => w.next("ready")));
  } catch (error) {
    stopFleet(workers);
    throw error;
  }
  workers.forEach((w) => w.child.send({ type: "go" }));
  return workers;
}

export function stopFleet(workers: readonly FleetWorker[]): void {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
}

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
  const workers = await startFleet(bundle, processes, { mode: "ids", endpoint: server.endpoint, redisUrl, apiKey: API_KEY, durationMs, warm: options.warm ?? true });
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
