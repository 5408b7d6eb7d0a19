#!/usr/bin/env node
// `npm run bench` — a benchmark, not a test: it prints numbers and fails only on errors.
//
//   npm run build && node bench/run.mjs            full run (about a minute on 2 cores)
//   node bench/run.mjs --quick                     a short run, to check that it works
//
// What it measures, against a local keep-alive HTTP server (bench/server.mjs):
//
// - For an ids-like GET (PUID `GET /v1/ids?n=3`) and a nonce-like POST (Picket `POST /auth/nonce`),
//   four ways of making the same request:
//     raw          `fetch` + `JSON.parse` written by hand, the baseline;
//     cancellable  the same plus what any client needs to be able to end a request it gave up
//                  on: an AbortController handed to `fetch` and a timer. It shows what
//                  cancellation alone costs on this runtime, apart from the package;
//     client       the typed low-level client (`createPuidClient` / `createPicketClient`): openapi-fetch
//                  sending through the package's transport, the same one the facade uses;
//     facade       `new Puid({ requestsPerSecond: false }).ids(3)` / `new Picket(key).nonce(...)`.
//   Latency (median, p99) of sequential calls, throughput sequentially and with 16 calls in
//   flight, and each variant's ratio against raw. The issue's goal is facade/raw ≤ 1.10 at the
//   median; the run prints whether it holds, and never fails because of it.
// - The cold `import` time of each facade entry of scripts/entries.mjs (`picket-puid`,
//   `picket-puid/puid`, `picket-puid/picket`) in fresh processes, minus that of importing an empty
//   module.
//
// The server runs in a child process, not a worker thread and not this process: client and
// server each get their own event loop *and* their own heap and garbage collector, so the
// server's work never pauses the client's isolate (a worker shares the process, and `--cpu-prof`
// of this process would then also have to be told apart from the server). On a 2-core machine the
// OS can then run the two on separate cores, as a client and a remote server would be.
//
// Variants run interleaved: every round runs one batch of each of the eight variants, in an order
// shuffled from round to round (a fixed seed, so runs compare), so drift of a shared machine
// (another build, CPU frequency) lands on all of them alike, and so does the garbage one variant
// leaves for the next to collect: a rotation alone would keep each variant behind the same one.
import { execFileSync, fork } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { Picket, createPicketClient } from "picket-puid/picket";
import { Puid, createPuidClient } from "picket-puid/puid";
import { entries as packageEntries } from "../scripts/entries.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const quick = process.argv.includes("--quick");

/** How much to run: 6,000 timed sequential calls and 8,000 concurrent ones per variant; about a minute on 2 cores. */
const PLAN = quick
  ? { warmup: 300, rounds: 4, batch: 100, concurrency: 16, concurrentRounds: 2, concurrentBatch: 320, importReps: 3 }
  : { warmup: 1_600, rounds: 24, batch: 250, concurrency: 16, concurrentRounds: 5, concurrentBatch: 1_600, importReps: 15 };
const GOAL = 1.1;
const VARIANT_NAMES = {
  raw: "raw `fetch` + `JSON.parse`",
  cancellable: "raw, cancellable (+ `AbortController`, timer)",
  client: "typed client",
  facade: "facade",
};

const API_KEY = "puid_live_0123456789abcdefghijklmnop";
const SECRET_KEY = "sk_0123456789abcdef0123456789abcdef";
const WALLET = "0x3fC91A3afd70395Cd496C647d5a6CC9D4B2b7FAD";

const EXPECTED_IDS = ["64qAN39GjJh5kbi4HROOxh", "7U17bzw0MO3mzwuFKO7cc0", "30VPBF31VZWWlzaiUnNPQ6"];
const EXPECTED_IDS_BODY = { ids: EXPECTED_IDS, count: 3, quota: { used: 3, limit: 1000 } };
const EXPECTED_NONCE = { nonce: "Ov8GZ4fKq1OKtbgZV", statement: "Sign in to Example App", format: "siwe" };

const t0 = performance.now();
const log = (/** @type {string} */ line) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// The server

/**
 * Start bench/server.mjs in a child process; resolves with its base URL and a way to stop it.
 * @returns {Promise<{ base: string, stop: () => void }>}
 */
function startServer() {
  // `execArgv: []`: the server must not inherit `--cpu-prof` or the like given to this process.
  const child = fork(path.join(here, "server.mjs"), [], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  process.on("exit", stop);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the benchmark server exited early (code ${code})`)));
    // The server's one message: { port }.
    child.once("message", (message) => resolve({ base: `http://127.0.0.1:${/** @type {{ port: number }} */ (message).port}`, stop }));
  });
}

// ---------------------------------------------------------------------------------------------
// The variants

/**
 * @typedef {object} Variant One way of making a group's request.
 * @property {keyof typeof VARIANT_NAMES} name
 * @property {unknown} expect what every call must answer
 * @property {() => Promise<unknown>} run one call
 */
/** @typedef {{ request: string, label: string, variants: Variant[] }} Group The variants of one request. */

/**
 * @param {string} base the server's origin
 * @returns {Group[]}
 */
function variants(base) {
  const puidClient = createPuidClient({ apiKey: API_KEY, endpoint: base });
  const picketClient = createPicketClient({ secretKey: SECRET_KEY, baseURL: base });
  // Pacing off: the real 1 request per second would be all this measured.
  const puid = new Puid({ apiKey: API_KEY, endpoint: base, requestsPerSecond: false });
  const picket = new Picket(SECRET_KEY, { baseURL: base });

  // The raw baseline sends what the package sends (credentials, accept, content-type), the way
  // one would write it by hand, and fails on a non-2xx as any real caller would.
  const idsHeaders = { "x-api-key": API_KEY, accept: "application/json" };
  const basic = `Basic ${btoa(`${SECRET_KEY}:`)}`;
  const nonceHeaders = { authorization: basic, accept: "application/json", "content-type": "application/json" };
  const ok = (/** @type {Response} */ res) => {
    if (!res.ok) throw new Error(`raw fetch: HTTP ${res.status}`);
    return res;
  };
  // What the package does at the least per attempt to be able to cancel it: an AbortController
  // handed to fetch and a timer, cleared after the body. Without these a timed-out request could
  // not be ended. The facade's cost over this variant is the package's own.
  /** @type {(url: string, init: RequestInit) => Promise<unknown>} */
  const cancellable = async (url, init) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      return JSON.parse(await ok(await fetch(url, { ...init, signal: controller.signal })).text());
    } finally {
      clearTimeout(timer);
    }
  };
  /** @type {(result: { data?: unknown, error?: unknown, response: Response }) => unknown} */
  const lowLevel = ({ data, error, response }) => {
    if (error !== undefined || !response.ok) throw new Error(`client: HTTP ${response.status}: ${JSON.stringify(error)}`);
    return data;
  };

  return [
    {
      request: "ids",
      label: "GET /v1/ids?n=3",
      variants: [
        {
          name: "raw",
          expect: EXPECTED_IDS_BODY,
          run: async () => JSON.parse(await ok(await fetch(`${base}/v1/ids?n=${3}`, { headers: idsHeaders })).text()),
        },
        { name: "cancellable", expect: EXPECTED_IDS_BODY, run: () => cancellable(`${base}/v1/ids?n=${3}`, { headers: idsHeaders }) },
        {
          name: "client",
          expect: EXPECTED_IDS_BODY,
          run: async () => lowLevel(await puidClient.GET("/v1/ids", { params: { query: { n: 3 } } })),
        },
        { name: "facade", expect: EXPECTED_IDS, run: () => puid.ids(3) },
      ],
    },
    {
      request: "nonce",
      label: "POST /auth/nonce",
      variants: [
        {
          name: "raw",
          expect: EXPECTED_NONCE,
          run: async () => {
            const body = JSON.stringify({ chain: "ethereum", walletAddress: WALLET });
            return JSON.parse(await ok(await fetch(`${base}/auth/nonce`, { method: "POST", headers: nonceHeaders, body })).text());
          },
        },
        {
          name: "cancellable",
          expect: EXPECTED_NONCE,
          run: () =>
            cancellable(`${base}/auth/nonce`, { method: "POST", headers: nonceHeaders, body: JSON.stringify({ chain: "ethereum", walletAddress: WALLET }) }),
        },
        {
          name: "client",
          expect: EXPECTED_NONCE,
          run: async () => lowLevel(await picketClient.POST("/auth/nonce", { body: { chain: "ethereum", walletAddress: WALLET } })),
        },
        { name: "facade", expect: EXPECTED_NONCE, run: () => picket.nonce({ walletAddress: WALLET }) },
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Measuring

/**
 * The value at quantile `q` of sorted `values` (nearest rank); NaN for none.
 * @param {Float64Array} sorted
 * @param {number} q
 */
function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
const median = (/** @type {number[]} */ values) => quantile(Float64Array.from(values).sort(), 0.5);

/**
 * `n` sequential calls, each timed; returns the wall time of the whole batch, in ms.
 * @param {() => Promise<unknown>} run
 * @param {number} n
 * @param {number[]} [samples] where each call's time goes, in ms
 */
async function sequential(run, n, samples) {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run();
    samples?.push(performance.now() - t);
  }
  return performance.now() - start;
}

/**
 * `n` calls with `width` in flight at any time; returns the wall time, in ms.
 * @param {() => Promise<unknown>} run
 * @param {number} n
 * @param {number} width
 */
async function concurrent(run, n, width) {
  let left = n;
  const lane = async () => {
    while (left > 0) {
      left--;
      await run();
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: width }, lane));
  return performance.now() - start;
}

/**
 * Every variant once per round, in an order shuffled each round by a seeded generator.
 * @template T
 * @param {T[]} all
 * @param {number} rounds
 * @param {(item: T, round: number) => Promise<unknown>} each
 */
async function roundRobin(all, rounds, each) {
  let seed = 0x9e3779b9;
  /** A number in [0, 1) from a 32-bit xorshift: the same orders in every run. */
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  for (let round = 0; round < rounds; round++) {
    const order = [...all];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [/** @type {T} */ (order[j]), /** @type {T} */ (order[i])];
    }
    for (const item of order) await each(item, round);
  }
}

/**
 * @typedef {object} Stats What measure() finds for a variant: times in µs, rates in calls per
 *   second, ratios over raw's (>1: slower).
 * @property {string} request its group's
 * @property {number[]} samples each timed sequential call, in ms
 * @property {number[]} roundMedians the median of each sequential round, in ms
 * @property {number} seqWall wall time of the sequential rounds, in ms
 * @property {number} conWall wall time of the concurrent rounds, in ms
 * @property {number} median
 * @property {number} p99
 * @property {number} seqRps
 * @property {number} conRps
 * @property {number} ratio median over raw's
 * @property {number} p99Ratio
 * @property {number} conRatio raw's concurrent rate over this one's
 * @property {[number, number]} ratioRange the lowest and highest per-round ratio
 */
/** @typedef {Variant & Stats} Measured */
/** @typedef {Omit<Group, "variants"> & { variants: Measured[] }} MeasuredGroup */

/**
 * The variant of `group` named `name`.
 * @param {MeasuredGroup} group
 * @param {Variant["name"]} name
 */
function variantOf(group, name) {
  const variant = group.variants.find((v) => v.name === name);
  if (!variant) throw new Error(`${group.request} has no ${name} variant`);
  return variant;
}

/**
 * @param {Group[]} groups
 * @returns {Promise<MeasuredGroup[]>}
 */
async function measure(groups) {
  /** @type {MeasuredGroup[]} */
  const measured = groups.map((group) => ({
    ...group,
    variants: group.variants.map((variant) => ({
      ...variant,
      request: group.request,
      samples: [],
      roundMedians: [],
      seqWall: 0,
      conWall: 0,
      median: NaN,
      p99: NaN,
      seqRps: NaN,
      conRps: NaN,
      ratio: NaN,
      p99Ratio: NaN,
      conRatio: NaN,
      ratioRange: [NaN, NaN],
    })),
  }));
  const all = measured.flatMap((group) => group.variants);

  // Correctness first: a variant that answers wrongly would be timed for nothing.
  for (const v of all) {
    const got = await v.run();
    if (!isDeepStrictEqual(got, v.expect)) throw new Error(`${v.request}/${v.name} answered ${JSON.stringify(got)}`);
  }

  log(`warming up: ${PLAN.warmup} calls of each variant, sequential and ${PLAN.concurrency} in flight`);
  await roundRobin(all, 4, (v) => sequential(v.run, PLAN.warmup / 4));
  await roundRobin(all, 1, (v) => concurrent(v.run, PLAN.concurrency * 20, PLAN.concurrency));

  log(`sequential: ${PLAN.rounds} rounds × ${PLAN.batch} calls of each variant`);
  await roundRobin(all, PLAN.rounds, async (v) => {
    const start = v.samples.length;
    v.seqWall += await sequential(v.run, PLAN.batch, v.samples);
    v.roundMedians.push(median(v.samples.slice(start)));
  });

  log(`concurrent: ${PLAN.concurrentRounds} rounds × ${PLAN.concurrentBatch} calls of each variant, ${PLAN.concurrency} in flight`);
  await roundRobin(all, PLAN.concurrentRounds, async (v) => {
    v.conWall += await concurrent(v.run, PLAN.concurrentBatch, PLAN.concurrency);
  });

  for (const v of all) {
    const sorted = Float64Array.from(v.samples).sort();
    v.median = quantile(sorted, 0.5) * 1000;
    v.p99 = quantile(sorted, 0.99) * 1000;
    v.seqRps = (v.samples.length / v.seqWall) * 1000;
    v.conRps = ((PLAN.concurrentRounds * PLAN.concurrentBatch) / v.conWall) * 1000;
  }
  for (const group of measured) {
    const raw = variantOf(group, "raw");
    for (const v of group.variants) {
      v.ratio = v.median / raw.median;
      v.p99Ratio = v.p99 / raw.p99;
      v.conRatio = raw.conRps / v.conRps; // > 1: slower, like the latency ratios
      // The same ratio within each round (paired, so drift between rounds cancels): its spread
      // says how far the headline ratio can be trusted.
      const perRound = v.roundMedians.map((m, i) => m / /** @type {number} */ (raw.roundMedians[i])).sort((a, b) => a - b);
      v.ratioRange = [perRound[0] ?? NaN, perRound[perRound.length - 1] ?? NaN];
    }
  }
  return measured;
}

// ---------------------------------------------------------------------------------------------
// Cold imports

/**
 * Milliseconds a fresh Node process takes to `await import(specifier)`, as it reports it.
 * @param {string} specifier
 */
function importTime(specifier) {
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  let out;
  try {
    out = execFileSync(process.execPath, ["--input-type=module", "-e", code], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "" },
    });
  } catch (caught) {
    const error = /** @type {Error & { stderr?: string }} */ (caught);
    const why =
      String(error.stderr ?? "")
        .split("\n")
        .find((line) => /Error|error:/.test(line)) ?? error.message;
    throw new Error(`a fresh process could not import ${specifier} (is dist/ built? run \`npm run build\`): ${why.trim()}`, { cause: caught });
  }
  const ms = Number(out);
  if (!Number.isFinite(ms)) throw new Error(`importing ${specifier} printed ${JSON.stringify(out)}`);
  return ms;
}

/** @typedef {{ baseline: number, entries: { entry: string, raw: number, net: number }[] }} Imports Cold import times, in ms. */

/** @returns {Imports} */
function coldImports() {
  const baseline = pathToFileURL(path.join(here, "empty.mjs")).href;
  const entries = packageEntries.filter((entry) => entry.part === "facade").map((entry) => entry.specifier);
  const specs = [baseline, ...entries];
  /** @type {Map<string, number[]>} */
  const times = new Map(specs.map((s) => [s, []]));
  const timesOf = (/** @type {string} */ spec) => /** @type {number[]} */ (times.get(spec));
  log(`cold imports: ${PLAN.importReps} fresh processes per entry, interleaved`);
  for (let rep = 0; rep < PLAN.importReps; rep++) {
    for (let k = 0; k < specs.length; k++) {
      const spec = /** @type {string} */ (specs[(rep + k) % specs.length]);
      timesOf(spec).push(importTime(spec));
    }
  }
  const base = median(timesOf(baseline));
  return {
    baseline: base,
    entries: entries.map((entry) => ({ entry, raw: median(timesOf(entry)), net: median(timesOf(entry)) - base })),
  };
}

// ---------------------------------------------------------------------------------------------
// Output

const fmt = (/** @type {number} */ value, digits = 0) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const times = (/** @type {number} */ value) => `${value.toFixed(2)}×`;

/** @param {string[][]} rows a header, then rows of as many cells */
function textTable(rows) {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows
    .map((row, r) => {
      const line = row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
      return r === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

/**
 * @param {[string[], ...string[][]]} rows a header, then rows of as many cells
 * @param {number} alignRightFrom the first column aligned right
 */
function markdownTable(rows, alignRightFrom) {
  const [head, ...body] = rows;
  const rule = head.map((_, i) => (i >= alignRightFrom ? "---:" : "---"));
  return [head, rule, ...body].map((row) => `| ${row.join(" | ")} |`).join("\n");
}

/**
 * @param {MeasuredGroup[]} groups
 * @param {Imports} imports
 * @param {string} machine
 */
function report(groups, imports, machine) {
  const header = [
    "request",
    "variant",
    "median µs",
    "p99 µs",
    "req/s seq",
    `req/s ×${PLAN.concurrency}`,
    "median ×raw",
    "per-round ×raw",
    "p99 ×raw",
    `req/s ×${PLAN.concurrency} ×raw`,
  ];
  const rows = [header];
  for (const group of groups) {
    for (const v of group.variants) {
      rows.push([
        `${group.request} (${group.label})`,
        v.name,
        fmt(v.median),
        fmt(v.p99),
        fmt(v.seqRps),
        fmt(v.conRps),
        times(v.ratio),
        `${v.ratioRange[0].toFixed(2)}–${v.ratioRange[1].toFixed(2)}`,
        times(v.p99Ratio),
        times(v.conRatio),
      ]);
    }
  }
  console.log(`\n${machine}\n`);
  console.log(textTable(rows));
  console.log(
    `\n(×raw: the variant's time over raw fetch's, >1 is slower; per-round: the range of that ratio over the ${PLAN.rounds} interleaved rounds; req/s ×raw: raw's throughput over the variant's)\n`,
  );

  console.log(
    textTable([["entry", "", "cold import ms", "net of empty import ms"], ...imports.entries.map((e) => [e.entry, "", fmt(e.raw, 1), fmt(e.net, 1)])]),
  );
  console.log(`(empty module: ${fmt(imports.baseline, 1)} ms; median of ${PLAN.importReps} fresh processes each)\n`);

  const verdicts = groups.map((group) => {
    const facade = variantOf(group, "facade");
    const holds = facade.ratio <= GOAL;
    return { group, facade, holds };
  });
  for (const { group, facade, holds } of verdicts) {
    const cancellable = variantOf(group, "cancellable");
    console.log(
      `goal facade/raw ≤ ${GOAL.toFixed(2)} at the median, ${group.request}: ${times(facade.ratio)} — ${holds ? "holds" : "does NOT hold"}` +
        ` (cancellable raw: ${times(cancellable.ratio)}; facade over it: ${times(facade.median / cancellable.median)})`,
    );
  }

  // The table for the README: each figure with its cost relative to raw fetch (>1× is slower).
  const cell = (/** @type {number} */ value, /** @type {number} */ ratio) => `${fmt(value)} (${times(ratio)})`;
  /** @type {[string[], ...string[][]]} */
  const md = [["Request", "Variant", "Median µs", "p99 µs", "req/s, sequential", `req/s, ${PLAN.concurrency} in flight`]];
  for (const group of groups) {
    const raw = variantOf(group, "raw");
    for (const v of group.variants) {
      md.push([
        `${group.request} \`${group.label}\``,
        VARIANT_NAMES[v.name],
        cell(v.median, v.ratio),
        cell(v.p99, v.p99Ratio),
        cell(v.seqRps, raw.seqRps / v.seqRps),
        cell(v.conRps, v.conRatio),
      ]);
    }
  }
  /** @type {[string[], ...string[][]]} */
  const imd = [["Entry", "Cold import (ms, net of an empty import)"], ...imports.entries.map((e) => [`\`${e.entry}\``, fmt(e.net, 1)])];
  console.log("\nMarkdown for the README:\n");
  console.log(
    `${machine}; \`npm run build && npm run bench\`. In brackets: time per request relative to raw \`fetch\` (lower is better; the goal is facade ≤ ${GOAL.toFixed(2)}× at the median).\n`,
  );
  console.log(markdownTable(md, 2));
  console.log("");
  console.log(
    "\"Raw, cancellable\" is raw `fetch` plus the least any client needs to end a request it gave up on (an `AbortController` handed to `fetch`, and a timer): the facade's cost over it is the package's own. The typed client sends through the same transport as the facade, so it is not bare openapi-fetch.",
  );
  console.log("");
  console.log(markdownTable(imd, 1));
  console.log("");
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const cpus = os.cpus();
  const machine = `Node ${process.version}, ${cpus.length} CPU${cpus.length === 1 ? "" : "s"} (${cpus[0]?.model?.trim() ?? "unknown"}), ${os.platform()} ${os.arch()}`;
  log(`${machine}${quick ? " — quick run" : ""}`);

  const server = await startServer();
  let groups;
  try {
    groups = await measure(variants(server.base));
  } finally {
    server.stop();
  }
  const imports = coldImports();
  report(groups, imports, machine);
  log("done");
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error("bench failed:", error);
    process.exit(1);
  },
);
