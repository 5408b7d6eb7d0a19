// One process of a fleet that shares one PUID account: run by test/fleet/fleet.ts (bundled first,
// then forked, as a real deployment's processes are). It makes its client, says "ready", waits for
// "go" so all start at once, then does its job and reports over IPC.
//   ids:   ids(10) in a loop: a call is started only before the deadline, and every call started is
//          waited for (an aborted call could lose ids the server issued, which the test counts).
//   token: Puid.fromClientCredentials, then quota() (every /v1 call needs the token; quota is not
//          paced, so twenty processes do not wait twenty seconds); on "again", quota() once more.
import { createClient } from "redis";
import type { Logger } from "../../src/core/log.js";
import type { CommonMessage } from "../support/workers.js";
import { Puid, PuidError } from "../../src/puid/index.js";
import { createRedisCoordination } from "../../src/redis/index.js";

export interface FleetJob {
  mode: "ids" | "token";
  endpoint: string;
  /** Redis for the shared pace and token; none for the control run. */
  redisUrl: string | null;
  apiKey?: string;
  clientId?: string;
  clientSecret?: string;
  durationMs?: number;
  /** The coordination's `timeoutMs`; default its own (250 ms). */
  redisTimeoutMs?: number;
  /** Make one request before "ready", as a process that has been running would have. */
  warm?: boolean;
}

export type FleetMessage = { type: "done"; ids: string[]; errors: { code: string | null; status: number | null }[]; calls: number };

const job = JSON.parse(process.argv[2] ?? "{}") as FleetJob;
const send = (message: FleetMessage | CommonMessage) => new Promise<void>((resolve) => process.send?.(message, undefined, undefined, () => resolve()));
const wait = (type: string) => new Promise<void>((resolve) => process.on("message", (message: { type?: string }) => message.type === type && resolve()));
const logger: Logger = {
  debug: () => undefined,
  info: (message) => void send({ type: "log", level: "info", message }),
  warn: (message) => void send({ type: "log", level: "warn", message }),
  error: (message) => void send({ type: "log", level: "error", message }),
};

async function main() {
  // A client that keeps trying to reconnect, as an app's would, without waiting for it.
  const redis = job.redisUrl ? createClient({ url: job.redisUrl, socket: { reconnectStrategy: () => 100 } }) : null;
  redis?.on("error", () => undefined);
  await redis?.connect();
  // Twenty processes starting at once on two cores can keep Redis's answers past the default
  // 250 ms; where the store's own time limit is not what a run tests, it allows more.
  const coordination = redis ? createRedisCoordination({ client: redis, logger, ...(job.redisTimeoutMs ? { timeoutMs: job.redisTimeoutMs } : {}) }) : undefined;
  const options = { endpoint: job.endpoint, coordination, logger, logLevel: "warn" as const };
  // A running app's process, not a cold one: its first HTTP request (loading fetch, connecting)
  // is done before the measured run. `quota()` is not rate limited and issues no id.
  const warmed = job.mode === "ids" ? new Puid({ apiKey: job.apiKey!, ...options }) : null;
  if (warmed && job.warm) await warmed.quota();
  const go = wait("go");
  await send({ type: "ready" });
  await go;
  const ids: string[] = [];
  const errors: { code: string | null; status: number | null }[] = [];
  let calls = 0;
  const record = (error: unknown) => {
    if (!(error instanceof PuidError)) throw error;
    errors.push({ code: error.code, status: error.status });
  };
  if (job.mode === "ids") {
    const puid = warmed!;
    const deadline = Date.now() + job.durationMs!;
    while (Date.now() < deadline) {
      calls++;
      await puid.ids(10).then((batch) => ids.push(...batch), record);
    }
  } else {
    const puid = await Puid.fromClientCredentials({ clientId: job.clientId!, clientSecret: job.clientSecret!, ...options });
    calls++;
    await puid.quota().then(() => undefined, record);
    const again = wait("again");
    await send({ type: "done", ids, errors, calls });
    await again;
    calls++;
    await puid.quota().then(() => undefined, record);
  }
  await send({ type: "done", ids, errors, calls });
  await redis?.quit().catch(() => undefined);
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    await send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
