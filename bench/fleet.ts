// npm run bench:fleet — processes sharing one PUID account through picket-puid/redis, against the
// PUID emulator (1 `/v1/ids` request per second per account) and a local redis-server, measured at
// the server. Prints one table: each fleet size with the shared pace and without it (the control),
// then twenty processes sharing one OAuth client.
//   node --import tsx bench/fleet.ts [--seconds 15] [--sizes 4,16]
import { parseArgs } from "node:util";
import { bundleWorker, runIds, startServer, startTokenFleet, stopFleet, tokenRequests, type IdsRun } from "../test/fleet/fleet.js";
import { startRedis } from "../test/support/redis.js";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "15" }, sizes: { type: "string", default: "4,16" } } });
const seconds = Number(values.seconds);
const sizes = values.sizes.split(",").map(Number);
if (!(seconds > 0) || !sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error("usage: bench/fleet.ts [--seconds N] [--sizes 4,16]");

const [bundle, server, redis] = await Promise.all([bundleWorker(), startServer(), startRedis()]);
const rows: string[][] = [];
const row = (run: IdsRun, coordination: string) => {
  const lost = run.issued.filter((id) => !new Set(run.received).has(id)).length;
  const errors =
    Object.entries(run.errors)
      .map(([code, n]) => `${n} ${code}`)
      .join(", ") || "none";
  rows.push([
    String(run.processes),
    coordination,
    String(run.requests),
    String(run.tooMany),
    run.rate.toFixed(3),
    `${((run.rate / 1) * 100).toFixed(1)} %`,
    String(run.issued.length),
    String(lost),
    errors,
  ]);
};
const pause = () => new Promise((resolve) => setTimeout(resolve, 1_100)); // the account's window clears between runs

try {
  for (const processes of sizes) {
    process.stderr.write(`${processes} processes, shared pace, ${seconds} s...\n`);
    row(await runIds(bundle, server, { processes, durationMs: seconds * 1000, redisUrl: redis.url }), "Redis");
    await pause();
    process.stderr.write(`${processes} processes just started, shared pace, ${seconds} s...\n`);
    row(await runIds(bundle, server, { processes, durationMs: seconds * 1000, redisUrl: redis.url, warm: false }), "Redis, cold start");
    await pause();
    process.stderr.write(`${processes} processes, no coordination, ${seconds} s...\n`);
    row(await runIds(bundle, server, { processes, durationMs: seconds * 1000, redisUrl: null }), "none (control)");
    await pause();
  }

  process.stderr.write("20 processes, one OAuth client...\n");
  const from = server.emulator.log.length;
  const workers = await startTokenFleet(bundle, server, redis.url, 20);
  let started: number;
  let renewed: number;
  try {
    await Promise.all(workers.map((w) => w.next("done")));
    started = tokenRequests(server.emulator, from);
    server.skip(3_601_000); // past the token's hour on the server's clock: every process gets a 401
    const middle = server.emulator.log.length;
    workers.forEach((w) => w.child.send({ type: "again" }));
    await Promise.all(workers.map((w) => w.next("done")));
    renewed = tokenRequests(server.emulator, middle);
  } finally {
    stopFleet(workers);
  }

  const head = ["processes", "coordination", "/v1/ids requests", "429s", "successes/s", "of the limit", "ids issued", "ids lost", "errors to callers"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\n/v1/ids, one API key, ${seconds} s per run. Processes are running (one request made) unless "cold start": then`);
  console.log(
    `their first request is their first. Rate: least squares over the server's arrival times of 200s; slots are 1050 ms apart (95.2 % of the limit).\n`,
  );
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  rows.forEach((r) => console.log(line(r)));
  console.log(`\nOAuth client credentials, 20 processes, one Redis: ${started} token request(s) to start, ${renewed} after the token expired on the server`);
} finally {
  await Promise.all([bundle.close(), server.close(), redis.stop()]);
}
